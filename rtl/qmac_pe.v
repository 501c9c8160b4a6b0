// MAC processing element: one multiplier and one accumulator, with valid and
// clear, and PIPELINE register stages between them.
//
// Timing: a beat (a, b, valid, clear) presented before rising edge t is in
// `acc` after edge t + PIPELINE; latency PIPELINE + 1 cycles. A beat with
// clear starts a new sum: the accumulator restarts from +0 (and clears the
// overflow and special flags) before adding the beat's product, if valid. A
// beat without valid (a bubble) changes nothing, unless it clears. The
// accumulator loop itself is one cycle; the pipeline stages register the
// exact product. rst is synchronous and empties the pipeline and the state.
// Golden twin: qmac::Multiplier + qmac::Accumulator, delayed PIPELINE + 1
// cycles (testbench/golden_pe.h).
`default_nettype none

module qmac_pe #(
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
    output reg  [ACC_WIDTH-1:0] acc,
    output reg                  overflow,
    output reg                  special_nan,
    output reg                  special_inf,
    output reg                  special_neg
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
  wire [ACC_WIDTH-1:0] next_acc;
  wire next_overflow, next_nan, next_inf, next_neg;
  qmac_acc_step #(
      .ACC_KIND(ACC_KIND), .ACC_WIDTH(ACC_WIDTH), .ACC_EXP_BITS(ACC_EXP_BITS),
      .ACC_MAN_BITS(ACC_MAN_BITS), .ACC_BIAS(ACC_BIAS), .ACC_SPECIALS(ACC_SPECIALS),
      .SATURATE(SATURATE), .FLUSH(FLUSH), .P_SIG_W(P_SIG_W), .P_EXP_W(P_EXP_W),
      .P_EXP_LO(P_EXP_LO), .P_EXP_HI(P_EXP_HI)
  ) step (
      .acc(base_acc), .overflow(base_overflow), .special_nan(base_nan), .special_inf(base_inf),
      .special_neg(base_neg), .p_sign(s_sign), .p_sig(s_sig), .p_exp(s_exp), .p_nan(s_nan),
      .p_inf(s_inf), .next_acc(next_acc), .next_overflow(next_overflow), .next_nan(next_nan),
      .next_inf(next_inf), .next_neg(next_neg)
  );

  always @(posedge clk) begin
    if (rst) begin
      acc <= {ACC_WIDTH{1'b0}};
      {overflow, special_nan, special_inf, special_neg} <= 4'b0;
    end else if (s_valid) begin
      acc <= next_acc;
      {overflow, special_nan, special_inf, special_neg} <= {next_overflow, next_nan, next_inf, next_neg};
    end else if (s_clear) begin
      acc <= {ACC_WIDTH{1'b0}};
      {overflow, special_nan, special_inf, special_neg} <= 4'b0;
    end
  end
endmodule

`default_nettype wire
