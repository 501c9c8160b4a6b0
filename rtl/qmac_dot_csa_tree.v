// The sum of N two's complement operands of W bits, modulo 2^W, as a dot
// unit's adder tree is built: a Wallace tree of carry-save adders (3:2
// compressors, one full adder per bit, no carry propagation) reduces the N
// operands to two, and one carry-propagate adder adds those. Every level
// takes the operands in groups of three and passes the one or two left over
// to the next level, so N operands need about log_1.5(N / 2) levels
// (N = 32: 8 levels) in place of a binary tree's log2(N) carry-propagate
// adders.
//
// Each level is its own wire inside g_level and reads the level before it
// (g_level[l-1].ops): one flat bus for all levels would look to Verilator like
// a combinational loop, and splitting it (split_var) made the simulation of
// wide integer units eight times slower.
//
// Golden twin: the modular sum of the operands, proved equal by Yosys SAT for
// N = 1..7 (scripts/synth/prove_csa_tree.sh) and checked inside every dot unit
// by qmac verify --dot.
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

  genvar l, g;
  for (l = 0; l <= L; l = l + 1) begin : g_level
    localparam integer M = operands_after(N, l);
    wire [M*W-1:0] ops;
    if (l == 0) begin : g_in
      assign ops = terms;
    end else begin : g_compress
      localparam integer P = operands_after(N, l - 1);
      for (g = 0; g < P / 3; g = g + 1) begin : g_csa
        wire [W-1:0] x = g_level[l-1].ops[(3*g)*W+:W];
        wire [W-1:0] y = g_level[l-1].ops[(3*g+1)*W+:W];
        wire [W-1:0] z = g_level[l-1].ops[(3*g+2)*W+:W];
        // Sum bits, and carries one place up (the carry out of bit W-1 is
        // beyond the modulus).
        assign ops[(2*g)*W+:W] = x ^ y ^ z;
        assign ops[(2*g+1)*W+:W] = {
          (x[W-2:0] & y[W-2:0]) | (x[W-2:0] & z[W-2:0]) | (y[W-2:0] & z[W-2:0]), 1'b0
        };
      end
      if (P % 3 > 0) begin : g_pass
        assign ops[(2*(P/3))*W+:(P%3)*W] = g_level[l-1].ops[(3*(P/3))*W+:(P%3)*W];
      end
    end
  end
  // The carry-propagate adder of the last two operands.
  if (operands_after(N, L) > 1) begin : g_cpa
    assign sum = g_level[L].ops[W-1:0] + g_level[L].ops[2*W-1:W];
  end else begin : g_one
    assign sum = g_level[L].ops[W-1:0];
  end
endmodule
