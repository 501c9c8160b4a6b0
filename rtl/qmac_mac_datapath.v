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
`default_nettype none

module qmac_mac_datapath #(
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
    parameter integer FLUSH = 0,
    parameter integer PIPELINE = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 valid,
    input  wire                 clear,
    input  wire [A_BITS-1:0]    a,
    input  wire [B_BITS-1:0]    b,
    input  wire [ACC_WIDTH-1:0] acc,
    input  wire                 overflow,
    input  wire                 special_nan,
    input  wire                 special_inf,
    input  wire                 special_neg,
    output wire                 update,
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
  // One beat: valid, clear and the exact product (sign, sig, exp, nan, inf).
  localparam integer BEAT_W = 2 + 1 + P_SIG_W + P_EXP_W + 2;

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

  // ---- product pipeline -------------------------------------------------
  wire [BEAT_W-1:0] beat_in = {valid, clear, p_sign, p_sig, p_exp, p_nan, p_inf};
  wire [BEAT_W-1:0] beat;
  generate
    if (PIPELINE == 0) begin : g_direct
      assign beat = beat_in;
      wire unused_clock = &{1'b0, clk, rst};
    end else begin : g_stages
      reg [BEAT_W-1:0] stage[0:PIPELINE-1];
      integer i;
      always @(posedge clk) begin
        if (rst) begin
          for (i = 0; i < PIPELINE; i = i + 1) stage[i] <= {BEAT_W{1'b0}};
        end else begin
          stage[0] <= beat_in;
          for (i = 1; i < PIPELINE; i = i + 1) stage[i] <= stage[i-1];
        end
      end
      assign beat = stage[PIPELINE-1];
    end
  endgenerate

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
      .ACC_KIND(ACC_KIND), .ACC_WIDTH(ACC_WIDTH), .ACC_EXP_BITS(ACC_EXP_BITS),
      .ACC_MAN_BITS(ACC_MAN_BITS), .ACC_BIAS(ACC_BIAS), .ACC_SPECIALS(ACC_SPECIALS),
      .SATURATE(SATURATE), .FLUSH(FLUSH), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W),
      .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
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
