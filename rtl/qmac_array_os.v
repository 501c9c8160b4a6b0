// The ROWS x COLS output-stationary MAC array: A streams in from the left, B
// from the top, each PE owns one output sum, and finished sums drain down
// each column under the next tile.
// Golden twin: qmac::sc::SystolicArray (model/sc/include/qmac/sc/systolic_array.h,
// whose header is the timing contract), port for port and edge for edge; the
// lockstep check in testbench/arrays compares every output bit on every edge.
//
// Ports (flattened; row r / column c at [r*A_BITS +: A_BITS], [c*B_BITS +:
// B_BITS], [c*ACC_WIDTH +: ACC_WIDTH], [c*4 +: 4]; flags = {special_neg,
// special_inf, special_nan, overflow} as qmac_pe's):
//   in_beat in_first in_mac in_a in_b   one aligned beat: a code per row and
//       per column; first starts a tile (restart the sums, drain the last
//       ones), mac adds the products
//   out_valid out_value out_flags        one drained output row
//
// Timing (L = ROWS + COLS + PIPELINE - 1). A beat sampled at rising edge e0
// reaches PE(r, c) at edge e0 + r + c (row skew: r registers before column 0,
// one register per PE to the right; column skew: c registers before row 0, one
// register per PE down), where its codes are registered, and takes effect at
// edge e0 + r + c + PIPELINE + 1: the PE's sum (restarted from +0 by first)
// adds a[r] * b[c] if mac, and the column's drain, a shift register of two
// stages per PE (qmac_array_os_cell: hold takes the drain above, drain takes
// hold, or the finished sum on a first beat), moves one row. So the ROWS
// beats after a tile show its sums at the bottom, last row first. The bottom
// drains are deskewed by COLS - 1 - c registers, so out_value/out_flags show
// a beat's drain after edge e0 + L; out_valid is high for that one cycle when
// the drained value is a finished sum (none before the first tile). Between
// beats every register holds (the free-running lines shift held values); rst
// (synchronous) clears sums, drains, the lines and the outputs.
//
// QMAC_FAULT_ARRAY_SKEW delays the last row's codes by one extra register
// (a deliberately broken variant the lockstep check must reject).
`include "qmac_format.vh"
`default_nettype none

module qmac_array_os #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,  // operand formats (qmac_format.vh)
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator
    parameter integer PIPELINE = 1,
    parameter integer ROWS = 4,
    parameter integer COLS = 4
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire                      in_beat,
    input  wire                      in_first,
    input  wire                      in_mac,
    input  wire [ROWS*`QMAC_BITS(A)-1:0]    in_a,
    input  wire [COLS*`QMAC_BITS(B)-1:0]    in_b,
    output wire                      out_valid,
    output wire [COLS*`QMAC_BITS(ACC)-1:0] out_value,
    output wire [COLS*4-1:0]         out_flags
);
  localparam integer A_BITS = `QMAC_BITS(A), B_BITS = `QMAC_BITS(B), ACC_WIDTH = `QMAC_BITS(ACC);
  localparam integer S_W = ACC_WIDTH + 4;  // a sum and its flags

  // Per PE (index r * COLS + c): the input registers passed right and down,
  // the drain stage passed down, and the beat that moves the drain next.
  wire [ROWS*COLS-1:0] beat_q, first_q, mac_q, drain_valid, sum_beat;
  wire [ROWS*COLS*A_BITS-1:0] a_q;
  wire [ROWS*COLS*B_BITS-1:0] b_q;
  wire [ROWS*COLS*S_W-1:0] drain;

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      // ---- row skew: r registers before column 0 ---------------------------
`ifdef QMAC_FAULT_ARRAY_SKEW  // fault injection: the last row's codes one cycle late
      localparam integer A_SKEW = (r == ROWS - 1) ? r + 1 : r;
`else
      localparam integer A_SKEW = r;
`endif
      wire row_beat, row_first, row_mac;
      wire [A_BITS-1:0] row_a;
      qmac_delay #(.WIDTH(3), .DEPTH(r)) skew_control (
          .clk(clk), .rst(rst), .d({in_beat, in_first, in_mac}),
          .q({row_beat, row_first, row_mac})
      );
      qmac_delay #(.WIDTH(A_BITS), .DEPTH(A_SKEW)) skew_a (
          .clk(clk), .rst(rst), .d(in_a[r*A_BITS+:A_BITS]), .q(row_a)
      );

      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam integer PE = r * COLS + c;
        wire left_beat, left_first, left_mac;
        wire [A_BITS-1:0] left_a;
        wire [B_BITS-1:0] top_b;
        wire [S_W-1:0] above;
        wire above_valid;
        if (c == 0) begin : g_left_edge
          assign {left_beat, left_first, left_mac, left_a} = {row_beat, row_first, row_mac, row_a};
        end else begin : g_left_pe
          assign {left_beat, left_first, left_mac, left_a} =
              {beat_q[PE-1], first_q[PE-1], mac_q[PE-1], a_q[(PE-1)*A_BITS+:A_BITS]};
        end
        if (r == 0) begin : g_top
          // ---- column skew: c registers before row 0; nothing above --------
          qmac_delay #(.WIDTH(B_BITS), .DEPTH(c)) skew_b (
              .clk(clk), .rst(rst), .d(in_b[c*B_BITS+:B_BITS]), .q(top_b)
          );
          assign {above, above_valid} = {(S_W + 1) {1'b0}};
        end else begin : g_below
          assign top_b = b_q[(PE-COLS)*B_BITS+:B_BITS];
          assign {above, above_valid} = {drain[(PE-COLS)*S_W+:S_W], drain_valid[PE-COLS]};
        end

        qmac_array_os_cell #(.A(A), .B(B), .ACC(ACC), .PIPELINE(PIPELINE)) pe (
            .clk(clk), .rst(rst), .in_beat(left_beat), .in_first(left_first), .in_mac(left_mac),
            .in_a(left_a), .in_b(top_b), .beat_q(beat_q[PE]), .first_q(first_q[PE]),
            .mac_q(mac_q[PE]), .a_q(a_q[PE*A_BITS+:A_BITS]), .b_q(b_q[PE*B_BITS+:B_BITS]),
            .drain_in(above[S_W-1:4]), .drain_in_flags(above[3:0]), .drain_in_valid(above_valid),
            .drain(drain[PE*S_W+4+:ACC_WIDTH]), .drain_flags(drain[PE*S_W+:4]),
            .drain_valid(drain_valid[PE]), .sum_beat(sum_beat[PE])
        );
      end
    end

    // ---- outputs: the bottom drains, column c deskewed by COLS - 1 - c -----
    for (c = 0; c < COLS; c = c + 1) begin : g_out
      wire [S_W-1:0] bottom = drain[((ROWS-1)*COLS+c)*S_W+:S_W];
      wire [S_W-1:0] shown;
      qmac_delay #(.WIDTH(S_W), .DEPTH(COLS - 1 - c)) deskew (
          .clk(clk), .rst(rst), .d(bottom), .q(shown)
      );
      assign out_value[c*ACC_WIDTH+:ACC_WIDTH] = shown[S_W-1:4];
      assign out_flags[c*4+:4] = shown[3:0];
    end
  endgenerate

  // out_valid: column 0's bottom PE took a beat and its drain holds a
  // finished sum, COLS - 1 edges ago.
  reg took;
  always @(posedge clk) begin
    if (rst) took <= 1'b0;
    else took <= sum_beat[(ROWS-1)*COLS];
  end
  qmac_delay #(.WIDTH(1), .DEPTH(COLS - 1)) valid_line (
      .clk(clk), .rst(rst), .d(took && drain_valid[(ROWS-1)*COLS]), .q(out_valid)
  );

  // The last column's and row's forwarded codes, the other PEs' sum_beat and
  // the other bottom drains' valid bits go nowhere.
  wire unused = &{1'b0, beat_q, first_q, mac_q, a_q, b_q, drain_valid, sum_beat};
endmodule

`default_nettype wire
