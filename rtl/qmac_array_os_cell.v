// One PE of the output-stationary array (qmac_array_os): the input registers
// of the beat passing through (beat, first, mac and a to the right, b down),
// the PE's arithmetic (qmac_mac_datapath: multiplier, PIPELINE product
// registers, one accumulator step), the sum register, and two stages of the
// column's drain shift register, `hold` and `drain`.
//
// Timing: the beat in the input registers after edge t takes effect at edge
// t + PIPELINE + 1 (sum_beat is high just before it):
//   hold  <= drain_in (the drain of the PE above, which took this beat one
//            edge earlier; zero and invalid in the top row);
//   first: drain <= sum (valid if the PE has had a first beat before),
//          sum <= mac ? +0 + a * b : +0;
//   else:  drain <= hold, and sum <= sum + a * b if mac.
// Nothing changes without a beat; rst (synchronous) clears everything.
`include "qmac_format.vh"
`default_nettype none

module qmac_array_os_cell #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,  // operand formats (qmac_format.vh)
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator
    parameter integer PIPELINE = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    // The beat from the left and b from above, and the input registers
    // (beat, first, mac, a to the right; b down).
    input  wire                 in_beat,
    input  wire                 in_first,
    input  wire                 in_mac,
    input  wire [`QMAC_BITS(A)-1:0]    in_a,
    input  wire [`QMAC_BITS(B)-1:0]    in_b,
    output reg                  beat_q,
    output reg                  first_q,
    output reg                  mac_q,
    output reg  [`QMAC_BITS(A)-1:0]    a_q,
    output reg  [`QMAC_BITS(B)-1:0]    b_q,
    // The drain stage of the PE above, and this PE's (flags {neg, inf, nan, overflow}).
    input  wire [`QMAC_BITS(ACC)-1:0] drain_in,
    input  wire [3:0]           drain_in_flags,
    input  wire                 drain_in_valid,
    output reg  [`QMAC_BITS(ACC)-1:0] drain,
    output reg  [3:0]           drain_flags,
    output reg                  drain_valid,
    output wire                 sum_beat
);
  localparam integer A_BITS = `QMAC_BITS(A), B_BITS = `QMAC_BITS(B), ACC_WIDTH = `QMAC_BITS(ACC);
  always @(posedge clk) begin
    if (rst) begin
      {beat_q, first_q, mac_q, a_q, b_q} <= {(3 + A_BITS + B_BITS) {1'b0}};
    end else begin
      {beat_q, first_q, mac_q, a_q, b_q} <= {in_beat, in_first, in_mac, in_a, in_b};
    end
  end

  // ---- arithmetic: mac adds the product, first restarts from +0 -----------
  reg [ACC_WIDTH-1:0] sum;
  reg [3:0] sum_flags;
  wire update, next_overflow, next_nan, next_inf, next_neg;
  wire [ACC_WIDTH-1:0] next_acc;
  qmac_mac_datapath #(.A(A), .B(B), .ACC(ACC), .PIPELINE(PIPELINE)) datapath (
      .clk(clk), .rst(rst), .valid(beat_q && mac_q), .clear(beat_q && first_q), .a(a_q),
      .b(b_q), .acc(sum), .overflow(sum_flags[0]), .special_nan(sum_flags[1]),
      .special_inf(sum_flags[2]), .special_neg(sum_flags[3]), .update(update),
      .next_acc(next_acc), .next_overflow(next_overflow), .next_nan(next_nan),
      .next_inf(next_inf), .next_neg(next_neg)
  );

  always @(posedge clk) begin
    if (rst) begin
      {sum, sum_flags} <= {(ACC_WIDTH + 4) {1'b0}};
    end else if (update) begin
      {sum, sum_flags} <= {next_acc, next_neg, next_inf, next_nan, next_overflow};
    end
  end

  // ---- the drain: two stages per PE, moved by each beat -----------------
  wire sum_first;
  qmac_delay #(.WIDTH(2), .DEPTH(PIPELINE)) control_pipe (
      .clk(clk), .rst(rst), .d({beat_q, first_q}), .q({sum_beat, sum_first})
  );
  reg [ACC_WIDTH-1:0] hold;
  reg [3:0] hold_flags;
  reg hold_valid, has_sum;
  always @(posedge clk) begin
    if (rst) begin
      {hold, hold_flags, hold_valid} <= {(ACC_WIDTH + 5) {1'b0}};
      {drain, drain_flags, drain_valid} <= {(ACC_WIDTH + 5) {1'b0}};
      has_sum <= 1'b0;
    end else if (sum_beat) begin
      {hold, hold_flags, hold_valid} <= {drain_in, drain_in_flags, drain_in_valid};
      if (sum_first) begin
        {drain, drain_flags, drain_valid} <= {sum, sum_flags, has_sum};
        has_sum <= 1'b1;
      end else begin
        {drain, drain_flags, drain_valid} <= {hold, hold_flags, hold_valid};
      end
    end
  end
endmodule

`default_nettype wire
