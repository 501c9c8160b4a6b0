// Dot-product PE: a qmac_dot_unit whose result is fed back as the next
// block's addend, so that consecutive blocks chain into a long dot product
// (each block's result is the next block's c). Golden twin: the chaining of
// qmac::dot::DotEngine::dot (model/dot/src/dot_engine.cpp), one
// DotEngine::block per beat.
//
// Parameters as qmac_dot_unit (A, B, ACC, N, BITS, STICKY, ROUND, LATE_C,
// USE_MIN_EXP, MIN_EXP, NARROW, PIPELINE, SA, SB); sa and sb are the beat's
// block scales (block-scaled units only).
//
// Each cycle the unit gets c = start ? c_in : acc and the beat's N pairs
// (valid) or a bubble (!valid: c passes through unchanged). The unit's output,
// after its PIPELINE stages, is registered into `acc` at every rising edge,
// so the loop's latency is L = PIPELINE + 1 cycles and `acc` after edge t
// holds the result of the beat issued L - 1 edges earlier (before edge
// t - PIPELINE).
//
// Interleaving: with a pipeline deeper than one register (L > 1) the PE does
// not stall; it interleaves L independent dot products. The beat issued at
// cycle t belongs to stream t mod L, and when that stream's next beat is
// issued (cycle t + L), `acc` holds exactly that stream's previous result.
// A stream starts with a beat that has `start` set (c = c_in, e.g. +0 or the
// bias); its result leaves through `acc` L - 1 edges after its last beat.
// With PIPELINE = 0 there is one stream and `acc` after each edge is the
// running result. rst (synchronous) sets every stage and `acc` to 0.
`include "qmac_format.vh"
`default_nettype none

module qmac_dot_pe #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,
    parameter integer N = 4,
    parameter integer BITS = 14,
    parameter integer STICKY = 0,
    parameter integer ROUND = 0,
    parameter integer LATE_C = 0,
    parameter integer USE_MIN_EXP = 0,
    parameter integer MIN_EXP = 0,
    parameter integer NARROW = 1,
    parameter integer PIPELINE = 0,
    parameter integer SA = 0,
    parameter integer SB = 0
) (
    input  wire                         clk,
    input  wire                         rst,
    input  wire                         valid,
    input  wire                         start,
    input  wire [N*`QMAC_BITS(A)-1:0]   a,
    input  wire [N*`QMAC_BITS(B)-1:0]   b,
    input  wire [7:0]                   sa,
    input  wire [7:0]                   sb,
    input  wire [`QMAC_BITS(ACC)-1:0]   c_in,
    output reg  [`QMAC_BITS(ACC)-1:0]   acc
);
  localparam integer CW = `QMAC_BITS(ACC);
  wire [CW-1:0] c = start ? c_in : acc;
  wire [CW-1:0] d;
  wire valid_out;
  qmac_dot_unit #(
      .A(A), .B(B), .ACC(ACC), .N(N), .BITS(BITS), .STICKY(STICKY), .ROUND(ROUND),
      .LATE_C(LATE_C), .USE_MIN_EXP(USE_MIN_EXP), .MIN_EXP(MIN_EXP), .NARROW(NARROW),
      .PIPELINE(PIPELINE), .SA(SA), .SB(SB)
  ) unit (
      .clk(clk), .rst(rst), .valid_in(valid), .a(a), .b(b), .sa(sa), .sb(sb), .c(c),
      .valid_out(valid_out), .d(d)
  );
  wire unused = valid_out;

  always @(posedge clk) begin
    if (rst) acc <= {CW{1'b0}};
    else acc <= d;
  end
endmodule

`default_nettype wire
