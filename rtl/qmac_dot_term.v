// One product of a dot-product unit as its alignment logic sees it: both codes
// decoded, the exact product of the significands, its class (NaN, Inf, zero)
// and the exponent it is placed by. Combinational. Golden twin: the Term that
// qmac::dot::DotEngine (model/dot/src/dot_engine.cpp) builds from two
// Operands (operand_of, model/dot/src/operands.cpp).
//
// NORMALIZE = 1 (units that align by the largest exponent): exp is the
// alignment exponent x.exp + y.exp, where an operand's exp is floor(log2|x|)
// for a normal float, an int or a flint, and the format's minimum normal
// exponent for a float subnormal. A float significand keeps its leading zeros
// (its exp is always lsb + MAN_BITS); an int or flint significand is shifted
// up until its leading one is at the top of its field. Either way frame bit
// P_SIG_W - 2 then weighs 2^exp and the product lies below 2^(exp + 2).
//
// NORMALIZE = 0 (exact units, integer registers): frame is the plain product
// significand and exp the weight of its bit 0 (the product's LSB exponent).
//
// Specials as IEEE: NaN in, or 0 x Inf, gives nan; otherwise an Inf operand
// gives inf; zero is a finite zero product (sign = the product's sign, as the
// golden model reads it for the -0 rule). The parent passes the widths
// (qmac_widths.vh): A_SIG_W = qmac_sig_width(A), A_EXP_W =
// qmac_signed_width(qmac_exp_lo(A), qmac_exp_hi(A)), the same for B; P_SIG_W
// = A_SIG_W + B_SIG_W; EXP_W (< 32) must hold every exponent. (This module
// does not include qmac_widths.vh itself: Verilator inlines qmac_decode, which
// does, into it and would see the functions declared twice.)
`include "qmac_format.vh"
`default_nettype none

module qmac_dot_term #(
    parameter [63:0] A = `QMAC_FORMAT_E4M3FN,
    parameter [63:0] B = `QMAC_FORMAT_E4M3FN,
    parameter integer NORMALIZE = 1,
    parameter integer A_SIG_W = 4,
    parameter integer B_SIG_W = 4,
    parameter integer A_EXP_W = 5,
    parameter integer B_EXP_W = 5,
    parameter integer P_SIG_W = 8,
    parameter integer EXP_W = 12
) (
    input  wire [`QMAC_BITS(A)-1:0] a,
    input  wire [`QMAC_BITS(B)-1:0] b,
    output wire                     sign,
    output wire [P_SIG_W-1:0]       frame,
    output wire signed [EXP_W-1:0]  exp,
    output wire                     nan,
    output wire                     inf,
    output wire                     zero
);
  function integer dot_term_clog2(input integer value);
    integer k;
    begin
      k = 0;
      while ((1 << k) < value) k = k + 1;
      dot_term_clog2 = k;
    end
  endfunction

  localparam integer A_LZ_W = dot_term_clog2(A_SIG_W + 1), B_LZ_W = dot_term_clog2(B_SIG_W + 1);
  // Floats keep their leading zeros (a subnormal aligns by the minimum normal exponent).
  localparam A_NORM = NORMALIZE != 0 && `QMAC_KIND(A) != `QMAC_FLOAT;
  localparam B_NORM = NORMALIZE != 0 && `QMAC_KIND(B) != `QMAC_FLOAT;

  wire a_sign, b_sign, a_nan, b_nan, a_inf, b_inf;
  wire [A_SIG_W-1:0] a_sig;
  wire [B_SIG_W-1:0] b_sig;
  wire signed [A_EXP_W-1:0] a_exp;
  wire signed [B_EXP_W-1:0] b_exp;
  qmac_decode #(.FMT(A), .SIG_W(A_SIG_W), .EXP_W(A_EXP_W)) decode_a (
      .code(a), .sign(a_sign), .sig(a_sig), .exp(a_exp), .nan(a_nan), .inf(a_inf)
  );
  qmac_decode #(.FMT(B), .SIG_W(B_SIG_W), .EXP_W(B_EXP_W)) decode_b (
      .code(b), .sign(b_sign), .sig(b_sig), .exp(b_exp), .nan(b_nan), .inf(b_inf)
  );

  wire a_zero = !a_inf && !a_nan && a_sig == 0;
  wire b_zero = !b_inf && !b_nan && b_sig == 0;
  assign nan = a_nan || b_nan || ((a_inf || b_inf) && (a_zero || b_zero));
  assign inf = (a_inf || b_inf) && !nan;
  assign zero = !nan && !inf && (a_zero || b_zero);
  assign sign = a_sign ^ b_sign;

  // Leading zeros of the int/flint significands (0 for floats).
  wire [A_LZ_W-1:0] a_lz;
  wire [B_LZ_W-1:0] b_lz;
  generate
    if (A_NORM) begin : g_norm_a
      qmac_lzc #(.W(A_SIG_W), .CW(A_LZ_W)) lzc_a (.x(a_sig), .count(a_lz));
    end else begin : g_keep_a
      assign a_lz = {A_LZ_W{1'b0}};
    end
    if (B_NORM) begin : g_norm_b
      qmac_lzc #(.W(B_SIG_W), .CW(B_LZ_W)) lzc_b (.x(b_sig), .count(b_lz));
    end else begin : g_keep_b
      assign b_lz = {B_LZ_W{1'b0}};
    end
  endgenerate

  // The normalizing shift, wide enough for both counts (up to P_SIG_W).
  localparam integer LZ_W = dot_term_clog2(P_SIG_W + 1);
  wire [LZ_W-1:0] lz = {{(LZ_W - A_LZ_W) {1'b0}}, a_lz} + {{(LZ_W - B_LZ_W) {1'b0}}, b_lz};
  wire [P_SIG_W-1:0] product = a_sig * b_sig;
  assign frame = product << lz;

  // Exponents in 32 bits, then cut to EXP_W.
  wire signed [31:0] a_exp_32 = {{(32 - A_EXP_W) {a_exp[A_EXP_W-1]}}, a_exp};
  wire signed [31:0] b_exp_32 = {{(32 - B_EXP_W) {b_exp[B_EXP_W-1]}}, b_exp};
  wire signed [31:0] a_lz_32 = $signed({{(32 - A_LZ_W) {1'b0}}, a_lz});
  wire signed [31:0] b_lz_32 = $signed({{(32 - B_LZ_W) {1'b0}}, b_lz});
  // The weight of frame bit P_SIG_W - 2 (NORMALIZE) or of bit 0.
  localparam [31:0] TOP_OFFSET = NORMALIZE != 0 ? A_SIG_W + B_SIG_W - 2 : 0;
  wire signed [31:0] exp_32 = a_exp_32 + b_exp_32 + $signed(TOP_OFFSET) - a_lz_32 - b_lz_32;
  assign exp = exp_32[EXP_W-1:0];
  wire unused = &{1'b0, exp_32[31:EXP_W]};
endmodule

`default_nettype wire
