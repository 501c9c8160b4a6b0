// The ROWS x COLS weight-stationary MAC array: A streams in from the left,
// partial sums flow down, each PE holds two weights (double buffering).
// Golden twin: qmac::sc::SystolicArray (model/sc/include/qmac/sc/systolic_array.h,
// whose header is the timing contract), port for port and edge for edge; the
// lockstep check in testbench/arrays compares every output bit on every edge.
//
// Ports (flattened; row r / column c at [r*A_BITS +: A_BITS], [c*ACC_WIDTH +:
// ACC_WIDTH], [c*4 +: 4], ...; flags = {special_neg, special_inf, special_nan,
// overflow} as qmac_pe's):
//   in_beat in_sel in_a in_psum in_psum_flags   one aligned beat: a code per
//       row, the partial sum entering the top of each column, and the weight
//       buffer (sel) it multiplies with
//   w_we w_buf w_row w_data w_present   one row of weights into one buffer
//   out_valid out_value out_flags        each column's finished partial sum
//
// Timing (L = ROWS + COLS + PIPELINE - 1). A beat sampled at rising edge e0
// reaches PE(r, c) at edge e0 + r + c (row skew: r registers before column 0;
// one register per PE to the right), where its codes are registered; the
// product leaves the PE's PIPELINE registers and updates the PE's partial sum
// at edge e0 + r + c + PIPELINE + 1: psum = psum_above + a[r] * w (one
// accumulator step, flags included), or psum_above when the weight is
// absent. The top row's psum_above is in_psum[c] of the beat, delayed by c +
// PIPELINE + 1 registers. The bottom row's sums are deskewed by COLS - 1 - c
// registers, so out_value/out_flags show the beat's results after edge e0 +
// L, with out_valid high for that one cycle. A weight write sampled at edge e
// goes straight into the weight registers of row w_row (rows >= ROWS are
// ignored), so beats reaching the PE at edge e or later use it. Between beats
// every register holds (the free-running lines shift held values); rst
// (synchronous) clears sums, weights (absent), the lines and the outputs.
//
// QMAC_FAULT_ARRAY_SKEW delays the last row's codes by one extra register
// (a deliberately broken variant the lockstep check must reject).
`include "qmac_format.vh"
`default_nettype none

module qmac_array_ws #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,  // operand formats (qmac_format.vh)
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] ACC = `QMAC_ACC_FP32,  // the accumulator
    parameter integer PIPELINE = 1,
    parameter integer ROWS = 4,
    parameter integer COLS = 4
) (
    input  wire                                         clk,
    input  wire                                         rst,
    input  wire                                         in_beat,
    input  wire                                         in_sel,
    input  wire [ROWS*`QMAC_BITS(A)-1:0]                       in_a,
    input  wire [COLS*`QMAC_BITS(ACC)-1:0]                    in_psum,
    input  wire [COLS*4-1:0]                            in_psum_flags,
    input  wire                                         w_we,
    input  wire                                         w_buf,
    input  wire [((ROWS > 1) ? $clog2(ROWS) : 1)-1:0]   w_row,
    input  wire [COLS*`QMAC_BITS(B)-1:0]                       w_data,
    input  wire [COLS-1:0]                              w_present,
    output wire                                         out_valid,
    output wire [COLS*`QMAC_BITS(ACC)-1:0]                    out_value,
    output wire [COLS*4-1:0]                            out_flags
);
  localparam integer A_BITS = `QMAC_BITS(A), B_BITS = `QMAC_BITS(B), ACC_WIDTH = `QMAC_BITS(ACC);
  localparam integer S_W = ACC_WIDTH + 4;  // a partial sum and its flags
  localparam integer ROW_W = (ROWS > 1) ? $clog2(ROWS) : 1;

  // Per PE (index r * COLS + c): the input registers passed right, the
  // partial sum passed down, and the beat that updates the sum next.
  wire [ROWS*COLS-1:0] beat_q, sel_q, sum_beat;
  wire [ROWS*COLS*A_BITS-1:0] a_q;
  wire [ROWS*COLS*S_W-1:0] psum;

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      // ---- row skew: r registers before column 0 ---------------------------
`ifdef QMAC_FAULT_ARRAY_SKEW  // fault injection: the last row's codes one cycle late
      localparam integer A_SKEW = (r == ROWS - 1) ? r + 1 : r;
`else
      localparam integer A_SKEW = r;
`endif
      wire row_beat, row_sel;
      wire [A_BITS-1:0] row_a;
      qmac_delay #(.WIDTH(2), .DEPTH(r)) skew_control (
          .clk(clk), .rst(rst), .d({in_beat, in_sel}), .q({row_beat, row_sel})
      );
      qmac_delay #(.WIDTH(A_BITS), .DEPTH(A_SKEW)) skew_a (
          .clk(clk), .rst(rst), .d(in_a[r*A_BITS+:A_BITS]), .q(row_a)
      );
      localparam integer ROW_I = r;
      localparam [ROW_W-1:0] ROW_ID = ROW_I[ROW_W-1:0];
      wire row_we = w_we && w_row == ROW_ID;

      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam integer PE = r * COLS + c;
        wire left_beat, left_sel;
        wire [A_BITS-1:0] left_a;
        wire [S_W-1:0] above;
        if (c == 0) begin : g_left_edge
          assign {left_beat, left_sel, left_a} = {row_beat, row_sel, row_a};
        end else begin : g_left_pe
          assign {left_beat, left_sel, left_a} =
              {beat_q[PE-1], sel_q[PE-1], a_q[(PE-1)*A_BITS+:A_BITS]};
        end
        if (r == 0) begin : g_top
          // ---- the beat's partial sum, delayed to meet the beat ------------
          qmac_delay #(.WIDTH(S_W), .DEPTH(c + PIPELINE + 1)) psum_line (
              .clk(clk), .rst(rst),
              .d({in_psum[c*ACC_WIDTH+:ACC_WIDTH], in_psum_flags[c*4+:4]}), .q(above)
          );
        end else begin : g_below
          assign above = psum[(PE-COLS)*S_W+:S_W];
        end

        qmac_array_ws_cell #(.A(A), .B(B), .ACC(ACC), .PIPELINE(PIPELINE)) pe (
            .clk(clk), .rst(rst), .in_beat(left_beat), .in_sel(left_sel), .in_a(left_a),
            .beat_q(beat_q[PE]), .sel_q(sel_q[PE]), .a_q(a_q[PE*A_BITS+:A_BITS]),
            .w_we(row_we), .w_buf(w_buf), .w_data(w_data[c*B_BITS+:B_BITS]),
            .w_present(w_present[c]), .psum_in(above[S_W-1:4]), .psum_in_flags(above[3:0]),
            .psum(psum[PE*S_W+4+:ACC_WIDTH]), .psum_flags(psum[PE*S_W+:4]),
            .sum_beat(sum_beat[PE])
        );
      end
    end

    // ---- outputs: the bottom row, column c deskewed by COLS - 1 - c --------
    for (c = 0; c < COLS; c = c + 1) begin : g_out
      wire [S_W-1:0] bottom = psum[((ROWS-1)*COLS+c)*S_W+:S_W];
      wire [S_W-1:0] shown;
      qmac_delay #(.WIDTH(S_W), .DEPTH(COLS - 1 - c)) deskew (
          .clk(clk), .rst(rst), .d(bottom), .q(shown)
      );
      assign out_value[c*ACC_WIDTH+:ACC_WIDTH] = shown[S_W-1:4];
      assign out_flags[c*4+:4] = shown[3:0];
    end
  endgenerate

  // out_valid: column 0's bottom PE took a beat COLS - 1 edges ago (one
  // register, then the deskew).
  qmac_delay #(.WIDTH(1), .DEPTH(COLS)) valid_line (
      .clk(clk), .rst(rst), .d(sum_beat[(ROWS-1)*COLS]), .q(out_valid)
  );

  // The last column's forwarded codes and the other PEs' sum_beat go nowhere.
  wire unused = &{1'b0, beat_q, sel_q, a_q, sum_beat};
endmodule

`default_nettype wire
