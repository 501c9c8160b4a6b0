// A delay line of DEPTH registers (DEPTH = 0: a wire), synchronously reset to
// zero: q after edge t is d before edge t - DEPTH + 1. The PE's product
// pipeline and the MAC arrays' skew, partial-sum, deskew and control lines.
// Free-running: it shifts on every edge, so a line fed a held value holds it.
`default_nettype none

module qmac_delay #(
    parameter integer WIDTH = 1,
    parameter integer DEPTH = 1
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [WIDTH-1:0] d,
    output wire [WIDTH-1:0] q
);
  generate
    if (DEPTH == 0) begin : g_wire
      assign q = d;
      wire unused = &{1'b0, clk, rst};
    end else begin : g_regs
      reg [WIDTH-1:0] stage[0:DEPTH-1];
      integer i;
      always @(posedge clk) begin
        if (rst) begin
          for (i = 0; i < DEPTH; i = i + 1) stage[i] <= {WIDTH{1'b0}};
        end else begin
          stage[0] <= d;
          for (i = 1; i < DEPTH; i = i + 1) stage[i] <= stage[i-1];
        end
      end
      assign q = stage[DEPTH-1];
    end
  endgenerate
endmodule

`default_nettype wire
