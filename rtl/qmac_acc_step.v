// The accumulator's next state for one product, for every accumulator kind:
// the state is the register plus, for the fixed-point kinds (intN, fx+G), a
// sticky overflow flag and a special-value flag beside the register (NaN, or
// Inf with a sign). Combinational; the PE registers it.
// Golden twin: qmac::Accumulator::add (accumulator.cpp).
`default_nettype none

module qmac_acc_step #(
    parameter integer ACC_KIND = 1,  // QMAC_ACC_INT, QMAC_ACC_FLOAT or QMAC_ACC_FIXED
    parameter integer ACC_WIDTH = 16,
    parameter integer ACC_EXP_BITS = 5,  // float only
    parameter integer ACC_MAN_BITS = 10,
    parameter integer ACC_BIAS = 15,
    parameter integer ACC_SPECIALS = 0,
    parameter integer SATURATE = 0,
    parameter integer FLUSH = 0,
    parameter integer P_SIG_W = 8,
    parameter integer P_EXP_W = 7,
    parameter integer P_EXP_LO = 0,
    parameter integer P_EXP_HI = 0
) (
    input  wire [ACC_WIDTH-1:0]      acc,
    input  wire                      overflow,
    input  wire                      special_nan,
    input  wire                      special_inf,
    input  wire                      special_neg,
    input  wire                      p_sign,
    input  wire [P_SIG_W-1:0]        p_sig,
    input  wire signed [P_EXP_W-1:0] p_exp,
    input  wire                      p_nan,
    input  wire                      p_inf,
    output wire [ACC_WIDTH-1:0]      next_acc,
    output wire                      next_overflow,
    output wire                      next_nan,
    output wire                      next_inf,
    output wire                      next_neg
);
  `include "qmac_format.vh"

  generate
    if (ACC_KIND == QMAC_ACC_FLOAT) begin : g_float
      qmac_acc_float #(
          .EXP_BITS(ACC_EXP_BITS), .MAN_BITS(ACC_MAN_BITS), .BIAS(ACC_BIAS),
          .SPECIALS(ACC_SPECIALS), .SATURATE(SATURATE), .FLUSH(FLUSH), .P_SIG_W(P_SIG_W),
          .P_EXP_W(P_EXP_W)
      ) add (
          .acc(acc), .p_sign(p_sign), .p_sig(p_sig), .p_exp(p_exp), .p_nan(p_nan), .p_inf(p_inf),
          .sum(next_acc)
      );
      // Specials live in the float code itself.
      assign next_overflow = 1'b0;
      assign next_nan = 1'b0;
      assign next_inf = 1'b0;
      assign next_neg = 1'b0;
      wire unused = &{1'b0, overflow, special_nan, special_inf, special_neg};
    end else begin : g_fixed
      wire [ACC_WIDTH-1:0] sum;
      wire sum_overflow;
      qmac_acc_fixed #(
          .WIDTH(ACC_WIDTH), .SATURATE(SATURATE), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W),
          .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
      ) add (
          .acc(acc), .p_sign(p_sign), .p_sig(p_sig), .p_exp(p_exp), .sum(sum),
          .overflow(sum_overflow)
      );
      // A NaN or Inf product leaves the register alone and sets the flag:
      // NaN wins, and Inf + -Inf is NaN.
      wire finite = !p_nan && !p_inf;
      wire becomes_nan = special_nan || p_nan || (p_inf && special_inf && special_neg != p_sign);
      assign next_acc = finite ? sum : acc;
      assign next_overflow = overflow || (finite && sum_overflow);
      assign next_nan = becomes_nan;
      assign next_inf = !becomes_nan && (special_inf || p_inf);
      assign next_neg = !becomes_nan && (special_inf ? special_neg : p_inf && p_sign);
      wire unused = &{1'b0, ACC_EXP_BITS[0], ACC_MAN_BITS[0], ACC_BIAS[0], ACC_SPECIALS[0], FLUSH[0]};
    end
  endgenerate
endmodule

`default_nettype wire
