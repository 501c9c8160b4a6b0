// A ROWS x COLS grid of dot-product PEs, the shape of a tensor core's MMA
// datapath: each cycle every PE (r, c) takes one block of N pairs, row r's
// N elements of A against column c's N elements of B, both broadcast (no
// skew), and adds it to its output (+0 at the start of a tile), so each PE
// owns one element of the output tile, output-stationary.
// Golden twin: qmac::sc::DotArray (model/sc/include/qmac/sc/dot_array.h,
// whose header is the timing contract): ROWS x COLS dot PE cycle models
// (qmac::dot::DotPeCycleModel, the twin of qmac_dot_pe); the lockstep check
// in testbench/dot_arrays compares every output bit on every edge.
//
// Parameters as qmac_dot_pe (A, B, ACC, N, BITS, STICKY, ROUND, LATE_C,
// USE_MIN_EXP, MIN_EXP, NARROW, PIPELINE) and the grid (ROWS, COLS).
//
// Ports (flattened): in_a row r element i at [(r*N + i)*A_BITS +: A_BITS],
// in_b column c element i at [(c*N + i)*B_BITS +: B_BITS], out_acc PE (r, c)
// at [(r*COLS + c)*ACC_WIDTH +: ACC_WIDTH].
//   in_valid   a block for every PE (else a bubble: every PE holds its sums)
//   in_start   the block starts a tile: each PE adds it to +0
//   in_last    the block ends a tile
//
// Timing (L = PIPELINE + 1): as qmac_dot_pe, each PE interleaves L tiles,
// the beat of cycle t belonging to lane t mod L. A beat sampled at edge e
// shows its blocks' results in out_acc after edge e + PIPELINE, and
// out_valid is high after that edge when the beat had in_valid and in_last:
// out_acc then holds the finished tile. rst (synchronous) clears every PE
// and out_valid.
//
// QMAC_FAULT_DOT_ARRAY_ROW feeds the last row of PEs row 0's elements (a
// deliberately broken variant the lockstep check must reject).
`include "qmac_format.vh"
`default_nettype none

module qmac_dot_array #(
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
    parameter integer ROWS = 2,
    parameter integer COLS = 2
) (
    input  wire                                  clk,
    input  wire                                  rst,
    input  wire                                  in_valid,
    input  wire                                  in_start,
    input  wire                                  in_last,
    input  wire [ROWS*N*`QMAC_BITS(A)-1:0]       in_a,
    input  wire [COLS*N*`QMAC_BITS(B)-1:0]       in_b,
    output wire                                  out_valid,
    output wire [ROWS*COLS*`QMAC_BITS(ACC)-1:0]  out_acc
);
  localparam integer A_ROW = N * `QMAC_BITS(A), B_COL = N * `QMAC_BITS(B);
  localparam integer W = `QMAC_BITS(ACC);

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
`ifdef QMAC_FAULT_DOT_ARRAY_ROW  // fault injection: the last row reads row 0
      localparam integer SRC = (r == ROWS - 1) ? 0 : r;
`else
      localparam integer SRC = r;
`endif
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        qmac_dot_pe #(
            .A(A), .B(B), .ACC(ACC), .N(N), .BITS(BITS), .STICKY(STICKY), .ROUND(ROUND),
            .LATE_C(LATE_C), .USE_MIN_EXP(USE_MIN_EXP), .MIN_EXP(MIN_EXP), .NARROW(NARROW),
            .PIPELINE(PIPELINE)
        ) pe (
            .clk(clk), .rst(rst), .valid(in_valid), .start(in_start),
            .a(in_a[SRC*A_ROW+:A_ROW]), .b(in_b[c*B_COL+:B_COL]), .sa(8'd0), .sb(8'd0),
            .c_in({W{1'b0}}),
            .acc(out_acc[(r*COLS+c)*W+:W])
        );
      end
    end
  endgenerate

`ifdef QMAC_FAULT_DOT_ARRAY_ROW
  // The fault leaves the last row's elements unread.
  // verilator lint_off UNUSEDSIGNAL
  wire unused_fault = &{1'b0, in_a};
  // verilator lint_on UNUSEDSIGNAL
`endif

  // A tile's last beat, as far as its results: PIPELINE + 1 registers.
  qmac_delay #(.WIDTH(1), .DEPTH(PIPELINE + 1)) done_line (
      .clk(clk), .rst(rst), .d(in_valid & in_last), .q(out_valid)
  );
endmodule

`default_nettype wire
