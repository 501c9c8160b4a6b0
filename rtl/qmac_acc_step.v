// The accumulator's next state for one product, for every accumulator kind:
// the state is the register plus, for the fixed-point kinds (intN, fx+G), a
// sticky overflow flag and a special-value flag beside the register (NaN, or
// Inf with a sign). Combinational; the PE registers it.
// Golden twin: qmac::Accumulator::add (accumulator.cpp).
`include "qmac_format.vh"
`default_nettype none

module qmac_acc_step #(
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator's vector (qmac_format.vh)
    parameter integer P_SIG_W = 8,
    parameter integer P_EXP_W = 7,
    parameter integer P_EXP_LO = 0,
    parameter integer P_EXP_HI = 0
) (
    input  wire [`QMAC_BITS(ACC)-1:0] acc,
    input  wire                      overflow,
    input  wire                      special_nan,
    input  wire                      special_inf,
    input  wire                      special_neg,
    input  wire                      p_sign,
    input  wire [P_SIG_W-1:0]        p_sig,
    input  wire signed [P_EXP_W-1:0] p_exp,
    input  wire                      p_nan,
    input  wire                      p_inf,
    output wire [`QMAC_BITS(ACC)-1:0] next_acc,
    output wire                      next_overflow,
    output wire                      next_nan,
    output wire                      next_inf,
    output wire                      next_neg
);
  localparam integer ACC_KIND = `QMAC_ACC_KIND(ACC), ACC_WIDTH = `QMAC_BITS(ACC);

  generate
    if (ACC_KIND == `QMAC_ACC_FLOAT) begin : g_float
      qmac_acc_float #(.ACC(ACC), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W)) add (
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
          .ACC(ACC), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W), .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
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
    end
  endgenerate
endmodule

`default_nettype wire
