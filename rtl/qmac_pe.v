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
// Golden twin: the PE cycle model, qmac::array::PeCycleModel
// (model/array/include/qmac/array/pe_cycle.h): one accumulator step behind
// PIPELINE beat registers.
`include "qmac_format.vh"
`default_nettype none

module qmac_pe #(
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
    output reg  [`QMAC_BITS(ACC)-1:0] acc,
    output reg                  overflow,
    output reg                  special_nan,
    output reg                  special_inf,
    output reg                  special_neg
);
  localparam integer ACC_WIDTH = `QMAC_BITS(ACC);
  wire update, next_overflow, next_nan, next_inf, next_neg;
  wire [ACC_WIDTH-1:0] next_acc;
  qmac_mac_datapath #(.A(A), .B(B), .ACC(ACC), .PIPELINE(PIPELINE)) datapath (
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
