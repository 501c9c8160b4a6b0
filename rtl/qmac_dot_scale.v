// A block scale of a block-scaled dot unit (OCP MX, NVFP4), decoded once per
// beat for all N products of the block. Combinational. Golden twin: scaled()
// in model/dot/src/operands.cpp, which folds the scale into each operand.
//
// KIND 0: no scale (the value 1); 1: E8M0 (2^(code - 127), 0xff NaN); 2: an
// unsigned E4M3 (e4m3fn's layout; a set sign bit and 0x7f read as NaN, 0x00
// as zero). The scale's value is sig * 2^lsb; sig is 1 bit wide for kinds 0
// and 1, 4 bits (hidden bit and 3 fraction bits, a subnormal with its leading
// zero) for kind 2, so its top bit weighs 2^(lsb + SIG_W - 1): the alignment
// exponent the golden model adds to each operand's.
//
// QMAC_FAULT_DOT_SCALE builds a deliberately wrong variant: E8M0's NaN code
// 0xff read as the number 2^128. The bit-exact check must reject it.
`include "qmac_format.vh"
`default_nettype none

module qmac_dot_scale #(
    parameter integer KIND = 1,
    parameter integer SIG_W = 1,  // 4 for KIND 2, else 1
    parameter integer LSB_W = 9   // holds -127..128
) (
    input  wire [7:0]              code,
    output wire [SIG_W-1:0]        sig,
    output wire signed [LSB_W-1:0] lsb,
    output wire                    nan,
    output wire                    zero
);
  generate
    if (KIND == 2) begin : g_e4m3
      wire sign, inf, nan_code;
      wire signed [4:0] exp;
      qmac_decode #(.FMT(`QMAC_FORMAT_E4M3FN), .SIG_W(4), .EXP_W(5)) decode (
          .code(code), .sign(sign), .sig(sig), .exp(exp), .nan(nan_code), .inf(inf)
      );
      assign nan = nan_code || sign;  // scales are unsigned
      assign zero = !nan && sig == 0;
      assign lsb = {{(LSB_W - 5) {exp[4]}}, exp};
      wire unused = inf;
    end else if (KIND == 1) begin : g_e8m0
      localparam [LSB_W-1:0] BIAS = 127;
      assign sig = 1'b1;
      assign lsb = $signed({{(LSB_W - 8) {1'b0}}, code}) - $signed(BIAS);
`ifdef QMAC_FAULT_DOT_SCALE
      assign nan = 1'b0;
`else
      assign nan = &code;
`endif
      assign zero = 1'b0;
    end else begin : g_none
      assign sig = 1'b1;
      assign lsb = {LSB_W{1'b0}};
      assign nan = 1'b0;
      assign zero = 1'b0;
      wire unused = &{1'b0, code};
    end
  endgenerate
endmodule

`default_nettype wire
