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
// The arithmetic is qmac_mac_datapath; this adds the state register.
// Golden twin: qmac::Multiplier + qmac::Accumulator, delayed PIPELINE + 1
// cycles (testbench/harness/golden_pe.h).
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
  wire update, next_overflow, next_nan, next_inf, next_neg;
  wire [ACC_WIDTH-1:0] next_acc;
  qmac_mac_datapath #(
      .A_KIND(A_KIND),
      .A_BITS(A_BITS),
      .A_SIGNED(A_SIGNED),
      .A_LSB(A_LSB),
      .A_EXP_BITS(A_EXP_BITS),
      .A_MAN_BITS(A_MAN_BITS),
      .A_BIAS(A_BIAS),
      .A_SPECIALS(A_SPECIALS),
      .B_KIND(B_KIND),
      .B_BITS(B_BITS),
      .B_SIGNED(B_SIGNED),
      .B_LSB(B_LSB),
      .B_EXP_BITS(B_EXP_BITS),
      .B_MAN_BITS(B_MAN_BITS),
      .B_BIAS(B_BIAS),
      .B_SPECIALS(B_SPECIALS),
      .ACC_KIND(ACC_KIND),
      .ACC_WIDTH(ACC_WIDTH),
      .ACC_EXP_BITS(ACC_EXP_BITS),
      .ACC_MAN_BITS(ACC_MAN_BITS),
      .ACC_BIAS(ACC_BIAS),
      .ACC_SPECIALS(ACC_SPECIALS),
      .SATURATE(SATURATE),
      .FLUSH(FLUSH),
      .PIPELINE(PIPELINE)
  ) datapath (
      .clk(clk), .rst(rst), .valid(valid), .clear(clear), .a(a), .b(b), .acc(acc),
      .overflow(overflow), .special_nan(special_nan), .special_inf(special_inf),
      .special_neg(special_neg), .update(update), .next_acc(next_acc),
      .next_overflow(next_overflow), .next_nan(next_nan), .next_inf(next_inf), .next_neg(next_neg)
  );

  always @(posedge clk) begin
    if (rst) begin
      acc <= {ACC_WIDTH{1'b0}};
      {overflow, special_nan, special_inf, special_neg} <= 4'b0;
    end else if (update) begin
      acc <= next_acc;
      {overflow, special_nan, special_inf, special_neg} <= {next_overflow, next_nan, next_inf, next_neg};
    end
  end
endmodule

`default_nettype wire
