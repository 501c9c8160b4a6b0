// One multiply-accumulate step, combinational: the accumulator state after
// adding a * b. The PE's arithmetic without its registers, so that a checker
// can start from any accumulator state (the exhaustive proof of the step).
// Golden twin: qmac::Accumulator::add(qmac::Multiplier(a, b)).
`default_nettype none

module qmac_mac_step #(
    parameter integer A_KIND = 1,
    parameter integer A_BITS = 8,
    parameter integer A_SIGNED = 1,
    parameter integer A_LSB = 0,
    parameter integer A_EXP_BITS = 4,
    parameter integer A_MAN_BITS = 3,
    parameter integer A_BIAS = 7,
    parameter integer A_SPECIALS = 1,
    parameter integer B_KIND = 1,
    parameter integer B_BITS = 8,
    parameter integer B_SIGNED = 1,
    parameter integer B_LSB = 0,
    parameter integer B_EXP_BITS = 4,
    parameter integer B_MAN_BITS = 3,
    parameter integer B_BIAS = 7,
    parameter integer B_SPECIALS = 1,
    parameter integer ACC_KIND = 1,
    parameter integer ACC_WIDTH = 32,
    parameter integer ACC_EXP_BITS = 8,
    parameter integer ACC_MAN_BITS = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer ACC_SPECIALS = 0,
    parameter integer SATURATE = 0,
    parameter integer FLUSH = 0
) (
    input  wire [A_BITS-1:0]    a,
    input  wire [B_BITS-1:0]    b,
    input  wire [ACC_WIDTH-1:0] acc,
    input  wire                 overflow,
    input  wire                 special_nan,
    input  wire                 special_inf,
    input  wire                 special_neg,
    output wire [ACC_WIDTH-1:0] next_acc,
    output wire                 next_overflow,
    output wire                 next_nan,
    output wire                 next_inf,
    output wire                 next_neg
);
  `include "qmac_format.vh"

  localparam integer P_SIG_W = qmac_sig_width(A_KIND, A_BITS, A_SIGNED, A_MAN_BITS)
                               + qmac_sig_width(B_KIND, B_BITS, B_SIGNED, B_MAN_BITS);
  localparam integer P_EXP_LO = qmac_exp_lo(A_KIND, A_LSB, A_MAN_BITS, A_BIAS)
                                + qmac_exp_lo(B_KIND, B_LSB, B_MAN_BITS, B_BIAS);
  localparam integer P_EXP_HI =
      qmac_exp_hi(A_KIND, A_BITS, A_SIGNED, A_LSB, A_EXP_BITS, A_MAN_BITS, A_BIAS, A_SPECIALS)
      + qmac_exp_hi(B_KIND, B_BITS, B_SIGNED, B_LSB, B_EXP_BITS, B_MAN_BITS, B_BIAS, B_SPECIALS);
  localparam integer P_EXP_W = qmac_signed_width(P_EXP_LO, P_EXP_HI);
  wire p_sign, p_nan, p_inf;
  wire [P_SIG_W-1:0] p_sig;
  wire signed [P_EXP_W-1:0] p_exp;
  qmac_multiplier #(
      .A_KIND(A_KIND), .A_BITS(A_BITS), .A_SIGNED(A_SIGNED), .A_LSB(A_LSB),
      .A_EXP_BITS(A_EXP_BITS), .A_MAN_BITS(A_MAN_BITS), .A_BIAS(A_BIAS), .A_SPECIALS(A_SPECIALS),
      .B_KIND(B_KIND), .B_BITS(B_BITS), .B_SIGNED(B_SIGNED), .B_LSB(B_LSB),
      .B_EXP_BITS(B_EXP_BITS), .B_MAN_BITS(B_MAN_BITS), .B_BIAS(B_BIAS), .B_SPECIALS(B_SPECIALS),
      .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W)
  ) multiplier (
      .a(a), .b(b), .sign(p_sign), .sig(p_sig), .exp(p_exp), .nan(p_nan), .inf(p_inf)
  );

  qmac_acc_step #(
      .ACC_KIND(ACC_KIND), .ACC_WIDTH(ACC_WIDTH), .ACC_EXP_BITS(ACC_EXP_BITS),
      .ACC_MAN_BITS(ACC_MAN_BITS), .ACC_BIAS(ACC_BIAS), .ACC_SPECIALS(ACC_SPECIALS),
      .SATURATE(SATURATE), .FLUSH(FLUSH), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W),
      .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
  ) step (
      .acc(acc), .overflow(overflow), .special_nan(special_nan), .special_inf(special_inf),
      .special_neg(special_neg), .p_sign(p_sign), .p_sig(p_sig), .p_exp(p_exp), .p_nan(p_nan),
      .p_inf(p_inf), .next_acc(next_acc), .next_overflow(next_overflow), .next_nan(next_nan),
      .next_inf(next_inf), .next_neg(next_neg)
  );

endmodule

`default_nettype wire
