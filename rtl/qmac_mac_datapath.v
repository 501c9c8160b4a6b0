// The MAC PE's datapath: multiplier, PIPELINE product registers, and the
// accumulator's next state from the current one. qmac_pe adds the state
// register; with PIPELINE = 0 this is purely combinational, which is how the
// exhaustive checker drives it from any accumulator state.
//
// `update` says the state register takes `next_*` on this edge: the beat
// leaving the pipeline is valid (next = state + product, from the zero state
// if it clears) or clears without a product (next = the zero state).
//
// Golden twin: qmac::Accumulator::add(qmac::Multiplier(a, b)).
`include "qmac_format.vh"
`default_nettype none

module qmac_mac_datapath #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,  // operand formats (qmac_format.vh)
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator
    parameter integer PIPELINE = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 valid,
    input  wire                 clear,
    input  wire [`QMAC_BITS(A)-1:0]    a,
    input  wire [`QMAC_BITS(B)-1:0]    b,
    input  wire [`QMAC_BITS(ACC)-1:0] acc,
    input  wire                 overflow,
    input  wire                 special_nan,
    input  wire                 special_inf,
    input  wire                 special_neg,
    output wire                 update,
    output wire [`QMAC_BITS(ACC)-1:0] next_acc,
    output wire                 next_overflow,
    output wire                 next_nan,
    output wire                 next_inf,
    output wire                 next_neg
);
  localparam integer ACC_WIDTH = `QMAC_BITS(ACC);
  `include "qmac_widths.vh"

  localparam integer P_SIG_W = qmac_sig_width(A) + qmac_sig_width(B);
  localparam integer P_EXP_LO = qmac_exp_lo(A) + qmac_exp_lo(B);
  localparam integer P_EXP_HI = qmac_exp_hi(A) + qmac_exp_hi(B);
  localparam integer P_EXP_W = qmac_signed_width(P_EXP_LO, P_EXP_HI);
  // One beat: valid, clear and the exact product (sign, sig, exp, nan, inf).
  localparam integer BEAT_W = 2 + 1 + P_SIG_W + P_EXP_W + 2;

  wire p_sign, p_nan, p_inf;
  wire [P_SIG_W-1:0] p_sig;
  wire signed [P_EXP_W-1:0] p_exp;
  qmac_multiplier #(.A(A), .B(B), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W)) multiplier (
      .a(a), .b(b), .sign(p_sign), .sig(p_sig), .exp(p_exp), .nan(p_nan), .inf(p_inf)
  );

  // ---- product pipeline -------------------------------------------------
  wire [BEAT_W-1:0] beat_in = {valid, clear, p_sign, p_sig, p_exp, p_nan, p_inf};
  wire [BEAT_W-1:0] beat;
  qmac_delay #(.WIDTH(BEAT_W), .DEPTH(PIPELINE)) pipeline (
      .clk(clk), .rst(rst), .d(beat_in), .q(beat)
  );

  wire s_valid, s_clear, s_sign, s_nan, s_inf;
  wire [P_SIG_W-1:0] s_sig;
  wire signed [P_EXP_W-1:0] s_exp;
  assign {s_valid, s_clear, s_sign, s_sig, s_exp, s_nan, s_inf} = beat;

  // ---- accumulate -------------------------------------------------------
  // Clear restarts from the zero state; the product is then added if valid.
  wire [ACC_WIDTH-1:0] base_acc = s_clear ? {ACC_WIDTH{1'b0}} : acc;
  wire base_overflow = !s_clear && overflow;
  wire base_nan = !s_clear && special_nan;
  wire base_inf = !s_clear && special_inf;
  wire base_neg = !s_clear && special_neg;
  wire [ACC_WIDTH-1:0] sum_acc;
  wire sum_overflow, sum_nan, sum_inf, sum_neg;
  qmac_acc_step #(
      .ACC(ACC), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W), .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
  ) step (
      .acc(base_acc), .overflow(base_overflow), .special_nan(base_nan), .special_inf(base_inf),
      .special_neg(base_neg), .p_sign(s_sign), .p_sig(s_sig), .p_exp(s_exp), .p_nan(s_nan),
      .p_inf(s_inf), .next_acc(sum_acc), .next_overflow(sum_overflow), .next_nan(sum_nan),
      .next_inf(sum_inf), .next_neg(sum_neg)
  );

  // A clear without a product leaves the zero state.
  assign update = s_valid || s_clear;
  assign next_acc = s_valid ? sum_acc : {ACC_WIDTH{1'b0}};
  assign {next_overflow, next_nan, next_inf, next_neg} =
      s_valid ? {sum_overflow, sum_nan, sum_inf, sum_neg} : 4'b0;
endmodule

`default_nettype wire
