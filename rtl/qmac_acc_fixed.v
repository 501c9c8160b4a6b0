// One fixed-point accumulation step: sum = acc + product, exactly, in a
// WIDTH-bit two's complement register whose LSB weighs 2^P_EXP_LO (the
// smallest product quantum). Combinational. This is both qmac accumulator
// kinds that hold integers: intN (WIDTH = N; LSB 2^0 for integer inputs) and
// fx+G (WIDTH from qmac::parse_accumulator). Golden twins:
// qmac::integer_accumulate and qmac::FixedRegister::add (accumulator.cpp).
//
// The product is shifted to its place (a constant shift for integer inputs,
// which synthesis folds away), negated if negative, and added in a width that
// cannot overflow. Out-of-range sums wrap modulo 2^WIDTH, or with SATURATE
// clamp to the register's range; `overflow` says that either happened. ACC
// is the accumulator's vector (qmac_format.vh): its register width and SAT.
//
// Every quantity is an integer count of the register's LSB, 2^P_EXP_LO:
//
//                      TW-1                 WIDTH-1                        0
//   acc, sign-extended  |s  s  ...  s|s|<-------- register bits --------->|
//   magnitude           |0 ..   0|<- P_SIG_W ->|0 ..                     0|
//                                 p_sig << (p_exp - P_EXP_LO), at most
//                                 AW = P_SIG_W + SPAN bits
//   total = acc + (p_sign ? -magnitude : magnitude), in TW = max(WIDTH,
//   AW + 1) + 1 bits, which no sum of two such numbers overflows; it is in
//   the register's range iff bits TW-1 .. WIDTH-1 are all equal.
//
// QMAC_FAULT_FIXED_NEGATE and QMAC_FAULT_SATURATE_SIGN build deliberately
// wrong variants that `qmac verify --fault` must reject.
`include "qmac_format.vh"
`default_nettype none

module qmac_acc_fixed #(
    parameter [63:0] ACC = 64'h0000_0000_0020_0000,  // int32
    parameter integer P_SIG_W = 16,
    parameter integer P_EXP_W = 2,
    parameter integer P_EXP_LO = 0,
    parameter integer P_EXP_HI = 0
) (
    input  wire [`QMAC_BITS(ACC)-1:0] acc,
    input  wire                      p_sign,
    input  wire [P_SIG_W-1:0]        p_sig,
    input  wire signed [P_EXP_W-1:0] p_exp,
    output wire [`QMAC_BITS(ACC)-1:0] sum,
    output wire                      overflow
);
  `include "qmac_widths.vh"

  localparam integer WIDTH = `QMAC_BITS(ACC), SATURATE = `QMAC_SATURATE(ACC);
  localparam integer SPAN = P_EXP_HI - P_EXP_LO;  // largest shift
  localparam integer AW = P_SIG_W + SPAN;  // aligned product magnitude
  localparam integer TW = qmac_max(WIDTH, AW + 1) + 1;  // the sum cannot overflow TW bits
  localparam integer SHW = qmac_clog2(SPAN + 1) + 1;

  // p_exp - P_EXP_LO is in [0, SPAN]: only its low SHW bits matter.
  wire signed [31:0] offset = {{(32 - P_EXP_W) {p_exp[P_EXP_W-1]}}, p_exp} - P_EXP_LO;
  wire [SHW-1:0] shift = offset[SHW-1:0];
  wire unused_offset = &{1'b0, offset[31:SHW]};
  wire [TW-1:0] magnitude = {{(TW - P_SIG_W) {1'b0}}, p_sig} << shift;
`ifdef QMAC_FAULT_FIXED_NEGATE  // fault injection: ones' complement (the +1 forgotten)
  wire [TW-1:0] addend = p_sign ? ~magnitude : magnitude;
`else
  wire [TW-1:0] addend = p_sign ? ~magnitude + 1'b1 : magnitude;
`endif
  wire [TW-1:0] total = {{(TW - WIDTH) {acc[WIDTH-1]}}, acc} + addend;

  // In range iff every bit above the register's sign bit repeats it.
  wire negative = total[TW-1];
  assign overflow = total[TW-1:WIDTH-1] != {(TW - WIDTH + 1) {negative}};
  localparam [WIDTH-1:0] MOST = {1'b0, {(WIDTH - 1) {1'b1}}};
`ifdef QMAC_FAULT_SATURATE_SIGN  // fault injection: every overflow clamps to the positive limit
  assign sum = (SATURATE != 0 && overflow) ? MOST : total[WIDTH-1:0];
  wire unused_negative = negative;
`else
  assign sum = (SATURATE != 0 && overflow) ? (negative ? ~MOST : MOST) : total[WIDTH-1:0];
`endif
endmodule

`default_nettype wire
