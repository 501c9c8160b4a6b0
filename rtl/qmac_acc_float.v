// One floating-point accumulation step: sum = round(acc + product), rounded
// ONCE to nearest even, for an accumulator of any signed EeMm format with a
// NaN (fp32, fp16, bf16, ...). Combinational. Golden twin:
// qmac::float_accumulate (accumulator.cpp).
//
// Datapath: both operands are normalized to F bits (F = the wider of the
// product significand and the accumulator precision), the smaller is aligned
// to the larger with G = 3 extra bits and its shifted-out bits ORed into the
// lowest bit (sticky), added or subtracted, renormalized, and rounded at the
// result's LSB (the subnormal LSB when the result is tiny). This is exact
// rounding of the true sum: when bits were shifted out (distance >= 2) the
// renormalizing shift is at most 1 bit, so at least two bits separate the
// rounding point from the sticky bit and the sticky value can never be
// mistaken for a tie.
//
// Specials as the golden model: NaN or Inf + -Inf gives the NaN code; an
// infinite operand gives Inf (NaN where the format has no Inf); SATURATE turns
// every overflow and every infinite operand into the signed largest finite
// value. Exact zero sums are +0 unless both operands are -0. FLUSH flushes
// subnormal results to a signed zero (after rounding). Formats without -0
// (fnuz) give +0.
//
// ACC is the accumulator's vector (qmac_format.vh): its float format (E
// exponent bits, M mantissa bits, BIAS, special-value style) with SATURATE and
// FLUSH.
//
// The working registers, F = max(P_SIG_W, M + 1), G = 3, SW = F + G + 1:
//
//   x_al, y_al   |<-------- F -------->|<- G ->|     x: the larger operand,
//                | 1 . significand     | g r s |     normalized; y aligned
//                                              ^     under it, the bits
//                          sticky: OR of y's bits shifted past here
//   s            |c|<-------- F -------->|<- G ->|   x +/- y, carry on top
//   s_n          s shifted left until its leading one is at the top
//   q_wide       s_n >> drop:  |<- SW ->|<------------- SW ------------->|
//                              |0 ..  q |r| sticky bits                   |
//                q = M + 2 bits (room for the rounding carry, the hidden
//                bit, M fraction bits), r the round bit; drop puts q's LSB
//                at 2^(r_top - M), or at the subnormal LSB when tiny
//
// QMAC_FAULT_TRUNCATE and QMAC_FAULT_NO_STICKY build deliberately wrong
// variants; the test suite checks that the cross-check rejects them.
`include "qmac_format.vh"
`default_nettype none

module qmac_acc_float #(
    parameter [63:0] ACC = `QMAC_ACC_FP32,
    parameter integer P_SIG_W = 8,
    parameter integer P_EXP_W = 7
) (
    input  wire [`QMAC_BITS(ACC)-1:0] acc,
    input  wire                       p_sign,
    input  wire [P_SIG_W-1:0]         p_sig,
    input  wire signed [P_EXP_W-1:0]  p_exp,
    input  wire                       p_nan,
    input  wire                       p_inf,
    output reg  [`QMAC_BITS(ACC)-1:0] sum
);
  `include "qmac_widths.vh"

  localparam integer E = `QMAC_EXP_BITS(ACC), M = `QMAC_MAN_BITS(ACC), N = 1 + E + M;
  localparam integer BIAS = `QMAC_BIAS(ACC), SPECIALS = `QMAC_SPECIALS(ACC);
  localparam integer SATURATE = `QMAC_SATURATE(ACC), FLUSH = `QMAC_FLUSH(ACC);
  localparam integer A_EXP_W = qmac_signed_width(qmac_exp_lo(ACC), qmac_exp_hi(ACC));
  localparam integer F = qmac_max(P_SIG_W, M + 1);  // working precision
  localparam integer G = 3;  // guard, round and sticky positions
  localparam integer SW = F + G + 1;  // sum width: carry + F + G
  localparam integer FLZ = qmac_clog2(F + 1), SLZ = qmac_clog2(SW + 1), DW = qmac_clog2(SW + 2);
  localparam integer XW = qmac_max(qmac_max(A_EXP_W, P_EXP_W),
                                   qmac_signed_width(-(BIAS + M + 2), BIAS + M + 2))
                          + qmac_clog2(2 * SW) + 3;

  // Codes of this format's special results.
  localparam integer TOP_FIELD = qmac_top_field(ACC);
  localparam [E+M-1:0] ONES = {(E + M) {1'b1}};
  localparam [E+M-1:0] INF_MAG = {{E{1'b1}}, {M{1'b0}}};
  localparam [E+M-1:0] QUIET = {{(E + M - 1) {1'b0}}, 1'b1} << (M - 1);
  localparam [E+M-1:0] MAX_MAG = SPECIALS == `QMAC_IEEE ? INF_MAG - 1'b1
                               : SPECIALS == `QMAC_FN ? ONES - 1'b1 : ONES;
  localparam [N-1:0] NAN_CODE = SPECIALS == `QMAC_IEEE ? {1'b0, INF_MAG | QUIET}
                              : SPECIALS == `QMAC_FN ? {1'b0, ONES} : {1'b1, {(E + M) {1'b0}}};
  localparam HAS_NEG_ZERO = SPECIALS != `QMAC_FNUZ;

  // ---- decode the accumulator ------------------------------------------
  wire a_sign, a_nan, a_inf;
  wire [M:0] a_sig;
  wire signed [A_EXP_W-1:0] a_exp;
  // A float accumulator's vector is a float format vector of N-bit codes.
  qmac_decode #(.FMT(ACC), .SIG_W(M + 1), .EXP_W(A_EXP_W)) decode_acc (
      .code(acc), .sign(a_sign), .sig(a_sig), .exp(a_exp), .nan(a_nan), .inf(a_inf)
  );

  // ---- normalize both operands to F bits -------------------------------
  // Exponent constants, XW bits wide.
  localparam [31:0] M_32 = M, F_LESS_1 = F - 1, SUM_W = SW, EMIN_LSB_32 = 1 - BIAS - M, BIAS_M = BIAS + M;
  localparam [31:0] FAR_32 = SW + 1, TOP_FIELD_32 = TOP_FIELD;
  wire signed [XW-1:0] c_f_less_1 = F_LESS_1[XW-1:0], c_sum_w = SUM_W[XW-1:0];
  wire signed [XW-1:0] c_emin_lsb = EMIN_LSB_32[XW-1:0], c_bias_m = BIAS_M[XW-1:0];
  wire signed [XW-1:0] c_m = M_32[XW-1:0], c_one = 1, c_zero = 0, c_top_field = TOP_FIELD_32[XW-1:0];

  // One spare zero on top keeps every replication count positive.
  wire [F:0] a_pad = {{(F - M) {1'b0}}, a_sig};
  wire [F:0] p_pad = {{(F + 1 - P_SIG_W) {1'b0}}, p_sig};
  wire unused_pad = &{1'b0, a_pad[F], p_pad[F]};
  wire [FLZ-1:0] a_lz, p_lz;
  qmac_lzc #(.W(F), .CW(FLZ)) lzc_a (.x(a_pad[F-1:0]), .count(a_lz));
  qmac_lzc #(.W(F), .CW(FLZ)) lzc_p (.x(p_pad[F-1:0]), .count(p_lz));
  wire [F-1:0] a_n = a_pad[F-1:0] << a_lz;
  wire [F-1:0] p_n = p_pad[F-1:0] << p_lz;
  // Exponent of each normalized leading bit.
  wire signed [XW-1:0] a_top = {{(XW - A_EXP_W) {a_exp[A_EXP_W-1]}}, a_exp} + c_f_less_1
                               - $signed({{(XW - FLZ) {1'b0}}, a_lz});
  wire signed [XW-1:0] p_top = {{(XW - P_EXP_W) {p_exp[P_EXP_W-1]}}, p_exp} + c_f_less_1
                               - $signed({{(XW - FLZ) {1'b0}}, p_lz});
  wire a_zero = a_sig == 0;
  wire p_zero = p_sig == 0;

  // ---- order by magnitude: x is the larger -----------------------------
  wire a_big = p_zero || (!a_zero && (a_top > p_top || (a_top == p_top && a_n >= p_n)));
  wire x_sign = a_big ? a_sign : p_sign;
  wire y_sign = a_big ? p_sign : a_sign;
  wire [F-1:0] x_n = a_big ? a_n : p_n;
  wire [F-1:0] y_n = a_big ? p_n : a_n;
  wire signed [XW-1:0] x_top = a_big ? a_top : p_top;
  wire signed [XW-1:0] distance = a_big ? a_top - p_top : p_top - a_top;
  wire y_zero = a_big ? p_zero : a_zero;

  // ---- align y under x, with sticky ------------------------------------
  localparam [DW-1:0] FAR = FAR_32[DW-1:0];  // past every kept bit
  wire [DW-1:0] shift = (y_zero || distance > c_sum_w) ? FAR : distance[DW-1:0];
  wire [2*(F+G)-1:0] y_wide = {y_n, {(F + 2 * G) {1'b0}}} >> shift;
`ifdef QMAC_FAULT_NO_STICKY  // fault injection: the checker must catch this
  wire y_sticky = 1'b0;
`else
  wire y_sticky = |y_wide[F+G-1:0];
`endif
  wire [F+G-1:0] y_al = y_wide[2*(F+G)-1:F+G] | {{(F + G - 1) {1'b0}}, y_sticky};
  wire [F+G-1:0] x_al = {x_n, {G{1'b0}}};

  wire eff_sub = x_sign ^ y_sign;
  wire [SW-1:0] s = eff_sub ? {1'b0, x_al} - {1'b0, y_al} : {1'b0, x_al} + {1'b0, y_al};

  // ---- renormalize and round at the result's LSB ------------------------
  wire [SLZ-1:0] s_lz;
  qmac_lzc #(.W(SW), .CW(SLZ)) lzc_s (.x(s), .count(s_lz));
  wire [SW-1:0] s_n = s << s_lz;
  wire signed [XW-1:0] r_top = x_top + c_one - $signed({{(XW - SLZ) {1'b0}}, s_lz});
  wire signed [XW-1:0] r_lsb = (r_top - c_m >= c_emin_lsb) ? r_top - c_m : c_emin_lsb;
  wire signed [XW-1:0] keep = r_top - r_lsb + c_one;  // bits kept, <= M+1, may be <= 0
  wire [DW-1:0] drop = keep < c_zero ? FAR : SUM_W[DW-1:0] - keep[DW-1:0];
  wire [2*SW-1:0] q_wide = {s_n, {SW{1'b0}}} >> drop;
  wire [M+1:0] q = q_wide[SW+M+1:SW];
  wire round_bit = q_wide[SW-1];
  wire sticky = |q_wide[SW-2:0];
`ifdef QMAC_FAULT_TRUNCATE  // fault injection: truncation instead of rounding
  wire [M+1:0] q_r = q + {{(M + 1) {1'b0}}, 1'b0 & round_bit & (sticky | q[0])};
`else
  wire [M+1:0] q_r = q + {{(M + 1) {1'b0}}, round_bit & (sticky | q[0])};
`endif
  wire carry = q_r[M+1];
  wire normal = carry | q_r[M];
  wire [M-1:0] frac = carry ? {M{1'b0}} : q_r[M-1:0];
  wire signed [XW-1:0] field = r_lsb + (carry ? c_one : c_zero) + c_bias_m;
  // In fn formats the top binade's all-ones fraction is the NaN.
  wire frac_is_nan = SPECIALS == `QMAC_FN && &frac;
  wire overflow = normal && (field > c_top_field || (field == c_top_field && frac_is_nan));
  wire exact_zero = s == 0;
  wire to_zero = exact_zero || (!normal && (q_r == 0 || FLUSH != 0));
  wire zero_sign = exact_zero ? a_zero && p_zero && a_sign && p_sign : x_sign;

  // ---- specials and the result code -----------------------------------
  wire nan = a_nan || p_nan || (a_inf && p_inf && a_sign != p_sign);
  wire inf = a_inf || p_inf;
  wire inf_sign = a_inf ? a_sign : p_sign;
  always @* begin
    if (nan) sum = NAN_CODE;
    else if (inf || overflow)
      sum = SATURATE != 0 ? {inf ? inf_sign : x_sign, MAX_MAG}
          : SPECIALS == `QMAC_IEEE ? {inf ? inf_sign : x_sign, INF_MAG} : NAN_CODE;
    else if (to_zero) sum = {zero_sign && HAS_NEG_ZERO, {(E + M) {1'b0}}};
    else sum = {x_sign, normal ? field[E-1:0] : {E{1'b0}}, frac};
  end
endmodule

`default_nettype wire
