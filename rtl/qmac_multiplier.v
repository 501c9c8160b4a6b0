// Exact multiplier of two operands of any qmac formats (mixed pairs allowed):
// decode both, multiply the integer significands, add the exponents. Nothing
// is rounded; the product is (-1)^sign * sig * 2^exp with the widths below.
// Golden twin: qmac::multiply (value.cpp) after qmac::decode.
//
// Specials as IEEE: NaN in gives NaN, Inf * 0 is NaN, otherwise Inf in gives
// Inf with the product's sign. A and B are format vectors (qmac_format.vh); a
// parent sizes the product wires with qmac_sig_width/qmac_exp_lo/qmac_exp_hi of
// both formats (P_SIG_W, P_EXP_W; qmac_widths.vh).
//
// QMAC_FAULT_MUL_LSB builds a deliberately wrong variant that `qmac verify
// --fault mul_lsb` must reject.
`include "qmac_format.vh"
`default_nettype none

module qmac_multiplier #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter integer P_SIG_W = 8,
    parameter integer P_EXP_W = 7
) (
    input  wire [`QMAC_BITS(A)-1:0]  a,
    input  wire [`QMAC_BITS(B)-1:0]  b,
    output wire                      sign,
    output wire [P_SIG_W-1:0]        sig,
    output wire signed [P_EXP_W-1:0] exp,
    output wire                      nan,
    output wire                      inf
);
  `include "qmac_widths.vh"

  localparam integer A_SIG_W = qmac_sig_width(A), B_SIG_W = qmac_sig_width(B);
  localparam integer A_EXP_W = qmac_signed_width(qmac_exp_lo(A), qmac_exp_hi(A));
  localparam integer B_EXP_W = qmac_signed_width(qmac_exp_lo(B), qmac_exp_hi(B));

  wire a_sign, b_sign, a_nan, b_nan, a_inf, b_inf;
  wire [A_SIG_W-1:0] a_sig;
  wire [B_SIG_W-1:0] b_sig;
  wire signed [A_EXP_W-1:0] a_exp;
  wire signed [B_EXP_W-1:0] b_exp;

  qmac_decode #(.FMT(A), .SIG_W(A_SIG_W), .EXP_W(A_EXP_W)) decode_a (
      .code(a), .sign(a_sign), .sig(a_sig), .exp(a_exp), .nan(a_nan), .inf(a_inf)
  );
  qmac_decode #(.FMT(B), .SIG_W(B_SIG_W), .EXP_W(B_EXP_W)) decode_b (
      .code(b), .sign(b_sign), .sig(b_sig), .exp(b_exp), .nan(b_nan), .inf(b_inf)
  );

  wire a_zero = !a_inf && !a_nan && a_sig == 0;
  wire b_zero = !b_inf && !b_nan && b_sig == 0;
  assign nan = a_nan || b_nan || ((a_inf || b_inf) && (a_zero || b_zero));
  assign inf = (a_inf || b_inf) && !nan;
  assign sign = a_sign ^ b_sign;

  wire [A_SIG_W+B_SIG_W-1:0] full_sig = a_sig * b_sig;
  wire signed [P_EXP_W-1:0] a_exp_ext = {{(P_EXP_W - A_EXP_W) {a_exp[A_EXP_W-1]}}, a_exp};
  wire signed [P_EXP_W-1:0] b_exp_ext = {{(P_EXP_W - B_EXP_W) {b_exp[B_EXP_W-1]}}, b_exp};
`ifdef QMAC_FAULT_MUL_LSB  // fault injection: the product's least significant bit lost
  assign sig = full_sig[P_SIG_W-1:0] & ~{{(P_SIG_W - 1) {1'b0}}, 1'b1};
`else
  assign sig = full_sig[P_SIG_W-1:0];
`endif
  assign exp = a_exp_ext + b_exp_ext;
endmodule

`default_nettype wire
