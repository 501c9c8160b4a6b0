// One PE of the weight-stationary array (qmac_array_ws): two weight buffers
// with their present bits, the input registers of the beat passing through
// (beat, sel and a, forwarded to the PE on the right), the PE's arithmetic
// (qmac_mac_datapath: multiplier, PIPELINE product registers, one accumulator
// step) and the partial-sum register.
//
// Timing: the beat in the input registers after edge t multiplies a by the
// weight of buffer sel as it is after edge t (a write at edge t is seen), and
// updates psum at edge t + PIPELINE + 1 from psum_in as it is just before that
// edge: psum = psum_in + a * w (one accumulator step, flags included), or
// psum = psum_in when the weight is absent. sum_beat is the beat that updates
// psum at the next edge. Only a beat changes psum; only a write changes the
// weights; rst (synchronous) clears everything.
`include "qmac_format.vh"
`default_nettype none

module qmac_array_ws_cell #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,  // operand formats (qmac_format.vh)
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator
    parameter integer PIPELINE = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    // The beat from the left, and the input registers (to the right).
    input  wire                 in_beat,
    input  wire                 in_sel,
    input  wire [`QMAC_BITS(A)-1:0]    in_a,
    output reg                  beat_q,
    output reg                  sel_q,
    output reg  [`QMAC_BITS(A)-1:0]    a_q,
    // This PE's row of a weight write.
    input  wire                 w_we,
    input  wire                 w_buf,
    input  wire [`QMAC_BITS(B)-1:0]    w_data,
    input  wire                 w_present,
    // The partial sum from above, and this PE's (flags {neg, inf, nan, overflow}).
    input  wire [`QMAC_BITS(ACC)-1:0] psum_in,
    input  wire [3:0]           psum_in_flags,
    output reg  [`QMAC_BITS(ACC)-1:0] psum,
    output reg  [3:0]           psum_flags,
    output wire                 sum_beat
);
  localparam integer A_BITS = `QMAC_BITS(A), B_BITS = `QMAC_BITS(B), ACC_WIDTH = `QMAC_BITS(ACC);
  always @(posedge clk) begin
    if (rst) begin
      {beat_q, sel_q, a_q} <= {(2 + A_BITS) {1'b0}};
    end else begin
      {beat_q, sel_q, a_q} <= {in_beat, in_sel, in_a};
    end
  end

  // ---- double-buffered weights ------------------------------------------
  reg [B_BITS-1:0] weight0, weight1;
  reg present0, present1;
  always @(posedge clk) begin
    if (rst) begin
      {weight0, weight1, present0, present1} <= {(2 * B_BITS + 2) {1'b0}};
    end else if (w_we) begin
      if (w_buf) {weight1, present1} <= {w_data, w_present};
      else {weight0, present0} <= {w_data, w_present};
    end
  end
  wire [B_BITS-1:0] weight = sel_q ? weight1 : weight0;
  wire present = sel_q ? present1 : present0;

  // ---- arithmetic: the product of a present weight, added at the sum stage
  wire update, next_overflow, next_nan, next_inf, next_neg;
  wire [ACC_WIDTH-1:0] next_acc;
  qmac_mac_datapath #(.A(A), .B(B), .ACC(ACC), .PIPELINE(PIPELINE)) datapath (
      .clk(clk), .rst(rst), .valid(beat_q && present), .clear(1'b0), .a(a_q), .b(weight),
      .acc(psum_in), .overflow(psum_in_flags[0]), .special_nan(psum_in_flags[1]),
      .special_inf(psum_in_flags[2]), .special_neg(psum_in_flags[3]), .update(update),
      .next_acc(next_acc), .next_overflow(next_overflow), .next_nan(next_nan),
      .next_inf(next_inf), .next_neg(next_neg)
  );

  // The beat itself through the same PIPELINE stages: with an absent weight
  // it still moves the partial sum down.
  qmac_delay #(.WIDTH(1), .DEPTH(PIPELINE)) beat_pipe (
      .clk(clk), .rst(rst), .d(beat_q), .q(sum_beat)
  );

  always @(posedge clk) begin
    if (rst) begin
      {psum, psum_flags} <= {(ACC_WIDTH + 4) {1'b0}};
    end else if (sum_beat) begin
      {psum, psum_flags} <= update ? {next_acc, next_neg, next_inf, next_nan, next_overflow}
                                   : {psum_in, psum_in_flags};
    end
  end
endmodule

`default_nettype wire
