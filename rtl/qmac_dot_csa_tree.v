// The sum of N two's complement operands of W bits, modulo 2^W, as a dot
// unit's adder tree is built: a Wallace tree of carry-save adders (3:2
// compressors, one full adder per bit, no carry propagation) reduces the N
// operands to two, and one carry-propagate adder adds those. Every level
// takes the operands in groups of three and passes the one or two left over
// to the next level, so N operands need about log_1.5(N / 2) levels
// (N = 32: 8 levels) in place of a binary tree's log2(N) carry-propagate
// adders.
//
// Golden twin: the exact sum of the terms; qmac_dot_unit's tests (qmac verify
// --dot against the dot PE cycle model) check it inside every dot unit.
module qmac_dot_csa_tree #(
    parameter integer N = 4,  // operands
    parameter integer W = 16  // bits per operand and of the sum
) (
    input  wire [N*W-1:0] terms,
    output wire [  W-1:0] sum
);
  // Operands left of n after `level` levels of 3:2 compression.
  function automatic integer operands_after(input integer n, input integer level);
    integer l, m;
    begin
      m = n;
      for (l = 0; l < level; l = l + 1) m = m > 2 ? 2 * (m / 3) + m % 3 : m;
      operands_after = m;
    end
  endfunction

  // Levels until two operands (or one) of n remain.
  function automatic integer levels_for(input integer n);
    integer l;
    begin
      l = 0;
      while (operands_after(n, l) > 2) l = l + 1;
      levels_for = l;
    end
  endfunction

  localparam integer L = levels_for(N);

  // Level l's operands in slots [l*N, l*N + operands_after(N, l)); unused slots
  // are tied to zero.
  // split_var: each level reads the one before; unsplit, Verilator would see
  // the bus feed itself (UNOPTFLAT).
  wire [(L+1)*N*W-1:0] level_bus  /* verilator split_var */;
  assign level_bus[N*W-1:0] = terms;

  genvar l, g;
  generate
    for (l = 0; l < L; l = l + 1) begin : g_level
      localparam integer M = operands_after(N, l);
      localparam integer NEXT = operands_after(N, l + 1);
      localparam integer IN = l * N * W;
      localparam integer OUT = (l + 1) * N * W;
      for (g = 0; g < M / 3; g = g + 1) begin : g_csa
        wire [W-1:0] x = level_bus[IN+(3*g)*W+:W];
        wire [W-1:0] y = level_bus[IN+(3*g+1)*W+:W];
        wire [W-1:0] z = level_bus[IN+(3*g+2)*W+:W];
        // Sum bits, and carries one place up (the carry out of bit W-1 is
        // beyond the modulus).
        assign level_bus[OUT+(2*g)*W+:W] = x ^ y ^ z;
        assign level_bus[OUT+(2*g+1)*W+:W] = {
          (x[W-2:0] & y[W-2:0]) | (x[W-2:0] & z[W-2:0]) | (y[W-2:0] & z[W-2:0]), 1'b0
        };
      end
      for (g = 0; g < M % 3; g = g + 1) begin : g_pass
        assign level_bus[OUT+(2*(M/3)+g)*W+:W] = level_bus[IN+(3*(M/3)+g)*W+:W];
      end
      if (NEXT < N) begin : g_idle
        assign level_bus[OUT+NEXT*W+:(N-NEXT)*W] = {((N - NEXT) * W) {1'b0}};
        wire unused = &{1'b0, level_bus[OUT+NEXT*W+:(N-NEXT)*W]};
      end
    end
  endgenerate

  // The carry-propagate adder of the last two operands.
  localparam integer TOP = L * N * W;
  if (operands_after(N, L) > 1) begin : g_cpa
    assign sum = level_bus[TOP+:W] + level_bus[TOP+W+:W];
  end else begin : g_one
    assign sum = level_bus[TOP+:W];
  end
endmodule
