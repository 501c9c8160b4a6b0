// Dot-product unit: one block of N pairs and an addend c per cycle, d = c +
// sum(a_i * b_i), summed as the block-FMA model of tensor cores does it
// (Khattak and Mikaitis, arXiv 2512.07004) and rounded once. Golden twin:
// qmac::dot::DotEngine::block (model/dot/src/dot_engine.cpp: float_block for
// a float output, integer_block for an integer register); its parameters are
// qmac::dot::DotUnit's (model/dot/include/qmac/dot/dot_unit.h).
//
// Parameters
//   A, B         operand format vectors (qmac_format.vh), any kinds, mixed allowed
//   ACC          the output: `QMAC_ACC_FLOAT with its float format (a signed
//                float with a NaN, as qmac::parse_accumulator requires; d and c are
//                codes of it), or `QMAC_ACC_INT, a two's complement register of
//                BITS(ACC) bits counting units of the smallest product quantum,
//                that wraps (its SAT and FTZ bits are not read: the golden unit
//                rounds with its own options)
//   N            products per block, 1..64
//   BITS         aligned width: the grid's last bit weighs 2^(emax - BITS + 1);
//                0 = exact (a Kulisch-style window over every bit a term can have)
//   STICKY       1: each term keeps the OR of its lost bits one bit below the grid
//   ROUND        the block sum's rounding: 0 = toward zero (overflow to the largest
//                finite value), 1 = to nearest even (overflow to Inf, or the NaN
//                code where the output has no Inf)
//   LATE_C       0: c is one more term of the alignment; 1: the products' sum is
//                rounded first (ROUND, and NARROW), then c is added with one RNE
//                rounding (qmac_acc_float: qmac::accumulate_decoded)
//   USE_MIN_EXP, MIN_EXP   emax is raised to at least MIN_EXP
//   NARROW       1: when 0 < BITS < MAN_BITS(ACC) + 1 the sum is rounded to the
//                output's exponent range with BITS - 1 mantissa bits (then encoded
//                exactly in the output), as DotEngine's finish()
//   PIPELINE     register stages (0 = combinational), cut as below
//   SA, SB       block scales of a and b (OCP MX, NVFP4; model/dot's DotInput):
//                0 none, 1 E8M0, 2 unsigned E4M3; one scale per operand per beat
//                (sa, sb), shared by the N products (N divides the format's block)
// Not in RTL (the generator refuses them): odd/even grouping, FTZ in or out,
// stochastic rounding, late c other than RNE, saturating or fx+G outputs.
// BITS, when not 0, is at least 2.
//
// Float datapath (DotEngine::float_block):
//   1. qmac_dot_term per pair: both codes decoded, the exact product, and its
//      alignment exponent x.exp + y.exp (floor(log2|x|), or the minimum normal
//      exponent for a float subnormal); c decoded is one more term unless LATE_C.
//      NaN, 0 x Inf or +Inf with -Inf anywhere gives the NaN code; else an Inf
//      gives Inf of its sign (NaN or the largest finite value where the output
//      has no Inf).
//   2. a maximum tree over the nonzero terms' exponents: emax (then raised to
//      MIN_EXP).
//   3. every term is shifted right by emax - exp onto the window:
//
//        product frame  |0x.xxxxxx|          P bits, bit P-2 weighs 2^exp, below 2^(exp+2)
//        c frame         |1.xxxxxxxxxx|      M+1 bits, bit M weighs 2^exp
//        kept (BITS+1)   |x|x..........x|s|  bit BITS-1 weighs 2^emax; the grid's
//                                            last bit 2^(emax-BITS+1); s = sticky
//      truncated toward zero (STICKY: one more bit, the OR of the lost bits).
//      Exact units (BITS = 0) instead place each term by its LSB exponent on a
//      fixed window from the smallest term LSB (products' and c's subnormal
//      quantum) to the largest term top: no emax, nothing lost.
//   4. terms negated as needed and added exactly in a carry-save adder tree
//      (qmac_dot_csa_tree: 3:2 compressors, one carry-propagate adder), SW = window
//      + clog2(terms) + 1 bits, two's complement.
//   5. sign-magnitude, leading-zero count, normalize, round once (RZ or RNE,
//      subnormals as IEEE) with Mr = BITS - 1 (NARROW) or MAN_BITS(ACC)
//      mantissa bits; an exact zero sum is +0 unless every term (zero products
//      and c) is -0, a sum that rounds to zero keeps its sign.
//   6. LATE_C: the rounded products' code plus c in qmac_acc_float (RNE).
// Integer registers (DotEngine::integer_block): d = c + the N exact products
// (NaN/Inf products of float inputs add nothing), modulo 2^BITS(ACC).
//
// Block scales (SA or SB not 0): a scale multiplies every product of the beat
// exactly (qmac_dot_scale; a NaN scale makes every product NaN, a zero E4M3
// scale every product zero, Inf x 0 NaN). Truncating units scale each term
// before the alignment: its exponent moves by the scales' exponents and, when
// a scale is E4M3, its frame is multiplied by their significands (a term then
// reaches 2^(exp + 4): the window keeps 2 more bits above it). Exact units
// (BITS = 0) split instead, as MX hardware does: the element products are
// summed exactly on their own (narrow) window, the sum is multiplied by the
// scales, and c is added with one RNE rounding (qmac_acc_float): the exact sum
// rounded once, as the golden model's exact window (RNE only).
//
// Bubbles: when valid_in is low d = c (c travels down the pipeline with the
// block), which qmac_dot_pe relies on. valid_out is valid_in delayed.
//
// Pipeline cuts (PIPELINE registers from valid_in/a/b/c to d, rst clears them):
//   PIPELINE >= 1: after the adder tree (before normalize and round)
//   PIPELINE >= 2: also after the multipliers and the maximum-exponent tree
//                  (before the alignment shifters)
//   PIPELINE >= 3: PIPELINE - 2 more registers on the output (for retiming)
//
// QMAC_FAULT_DOT_WIDTH builds a deliberately wrong variant: the aligned window
// one bit narrower (the grid's last bit at 2^(emax - BITS + 2); exact units
// lose the window's lowest bit). The bit-exact check must reject it.
`include "qmac_format.vh"
`default_nettype none

module qmac_dot_unit #(
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
    input  wire                         valid_in,
    input  wire [N*`QMAC_BITS(A)-1:0]   a,
    input  wire [N*`QMAC_BITS(B)-1:0]   b,
    input  wire [7:0]                   sa,
    input  wire [7:0]                   sb,
    input  wire [`QMAC_BITS(ACC)-1:0]   c,
    output wire                         valid_out,
    output wire [`QMAC_BITS(ACC)-1:0]   d
);
  `include "qmac_widths.vh"

  localparam integer AW = `QMAC_BITS(A), BW = `QMAC_BITS(B), CW = `QMAC_BITS(ACC);
  localparam integer A_SIG_W = qmac_sig_width(A), B_SIG_W = qmac_sig_width(B);
  localparam integer P = A_SIG_W + B_SIG_W;  // a product's significand bits
  localparam integer A_EXP_W = qmac_signed_width(qmac_exp_lo(A), qmac_exp_hi(A));
  localparam integer B_EXP_W = qmac_signed_width(qmac_exp_lo(B), qmac_exp_hi(B));
  localparam integer DEPTH_A = PIPELINE >= 2 ? 1 : 0;  // after the multipliers / max tree
  localparam integer DEPTH_B = PIPELINE >= 1 ? 1 : 0;  // after the adder tree
  localparam integer DEPTH_OUT = PIPELINE > 2 ? PIPELINE - 2 : 0;
`ifdef QMAC_FAULT_DOT_WIDTH  // fault injection: the aligned window one bit narrower
  localparam integer NARROWER = 1;
`else
  localparam integer NARROWER = 0;
`endif

  // The range of an operand's alignment exponent (floor(log2|x|)).
  function integer align_lo(input [63:0] f);
    align_lo = `QMAC_KIND(f) == `QMAC_FLOAT ? qmac_exp_lo(f) + `QMAC_MAN_BITS(f) : qmac_exp_lo(f);
  endfunction
  function integer align_hi(input [63:0] f);
    align_hi = `QMAC_KIND(f) == `QMAC_FLOAT ? qmac_exp_hi(f) + `QMAC_MAN_BITS(f)
                                            : qmac_exp_hi(f) + qmac_sig_width(f) - 1;
  endfunction
  function integer qmac_min(input integer x, input integer y);
    qmac_min = x < y ? x : y;
  endfunction
  function integer qmac_abs(input integer x);
    qmac_abs = x < 0 ? -x : x;
  endfunction
  // The range of a block scale's exponent (qmac_dot_scale): its alignment
  // exponent and its LSB exponent.
  function integer scale_align_lo(input integer kind);
    scale_align_lo = kind == 1 ? -127 : kind == 2 ? -6 : 0;
  endfunction
  function integer scale_align_hi(input integer kind);
    scale_align_hi = kind == 1 ? 127 : kind == 2 ? 8 : 0;
  endfunction
  function integer scale_lsb_lo(input integer kind);
    scale_lsb_lo = kind == 1 ? -127 : kind == 2 ? -9 : 0;
  endfunction

  generate
    if (`QMAC_ACC_KIND(ACC) == `QMAC_ACC_INT) begin : g_int
      // ==== integer register: c + the exact products, modulo 2^CW ===========
      localparam integer LSB_ACC = qmac_exp_lo(A) + qmac_exp_lo(B);
      localparam integer SH_MAX = qmac_exp_hi(A) + qmac_exp_hi(B) - LSB_ACC;
      localparam integer XW = qmac_signed_width(qmac_min(LSB_ACC, 0) - 2,
                                                qmac_max(SH_MAX + 2, qmac_abs(LSB_ACC) + SH_MAX + 2));
      localparam integer SHW = qmac_clog2(SH_MAX + 1) + 1;
      localparam [31:0] LSB_ACC_32 = LSB_ACC;
      wire signed [XW-1:0] c_lsb_acc = LSB_ACC_32[XW-1:0];
      wire unused_scales = &{1'b0, sa, sb};  // integer units take no block scales

      wire [N*CW-1:0] terms;
      genvar i;
      for (i = 0; i < N; i = i + 1) begin : g_lane
        wire sign, nan, inf, zero;
        wire [P-1:0] frame;
        wire signed [XW-1:0] exp;
        qmac_dot_term #(.A(A), .B(B), .NORMALIZE(0), .A_SIG_W(A_SIG_W), .B_SIG_W(B_SIG_W),
                        .A_EXP_W(A_EXP_W), .B_EXP_W(B_EXP_W), .P_SIG_W(P), .EXP_W(XW)) term (
            .a(a[i*AW+:AW]), .b(b[i*BW+:BW]), .sign(sign), .frame(frame), .exp(exp),
            .nan(nan), .inf(inf), .zero(zero)
        );
        // The product in units of the register's LSB, modulo 2^CW.
        wire signed [XW-1:0] shift = exp - c_lsb_acc;
        wire [CW+P-1:0] placed = {{CW{1'b0}}, frame} << shift[SHW-1:0];
        wire [CW-1:0] value = placed[CW-1:0];
        assign terms[i*CW+:CW] = (nan || inf) ? {CW{1'b0}} : sign ? -value : value;
        wire unused = &{1'b0, zero, placed[CW+P-1:CW], shift[XW-1:SHW]};
      end

      // ---- cut A: the products -------------------------------------------
      wire valid_a;
      wire [CW-1:0] c_a;
      wire [N*CW-1:0] terms_a;
      qmac_delay #(.WIDTH(1 + CW + N * CW), .DEPTH(DEPTH_A)) cut_a (
          .clk(clk), .rst(rst), .d({valid_in, c, terms}), .q({valid_a, c_a, terms_a})
      );

      // ---- carry-save adder tree (modulo 2^CW), c one more operand --------
      wire [CW-1:0] sum;
      qmac_dot_csa_tree #(.N(N + 1), .W(CW)) adder_tree (.terms({c_a, terms_a}), .sum(sum));

      // ---- cut B: the sum --------------------------------------------------
      wire valid_b;
      wire [CW-1:0] c_b, sum_b;
      qmac_delay #(.WIDTH(1 + 2 * CW), .DEPTH(DEPTH_B)) cut_b (
          .clk(clk), .rst(rst), .d({valid_a, c_a, sum}), .q({valid_b, c_b, sum_b})
      );
      qmac_delay #(.WIDTH(1 + CW), .DEPTH(DEPTH_OUT)) cut_out (
          .clk(clk), .rst(rst), .d({valid_b, valid_b ? sum_b : c_b}), .q({valid_out, d})
      );
    end else begin : g_float
      // ==== float output =====================================================
      localparam integer E = `QMAC_EXP_BITS(ACC), M = `QMAC_MAN_BITS(ACC), C_BIAS = `QMAC_BIAS(ACC);
      localparam integer SPECIALS = `QMAC_SPECIALS(ACC);
      // The golden unit rounds with its own options: no saturation, no flush.
      localparam [63:0] ACC_R = {ACC[63:8], 2'b00, ACC[5:0]};
      localparam integer C_SIG_W = M + 1;
      localparam integer C_EXP_W = qmac_signed_width(qmac_exp_lo(ACC), qmac_exp_hi(ACC));
      localparam integer EMIN = 1 - C_BIAS;
      localparam EXACT = BITS == 0;
      // Block scales: SPLIT (exact units) sums the element products alone, then
      // scales the sum and adds c; otherwise each term is scaled (MUL: a scale
      // is E4M3, so the frames are multiplied by the scales' significands).
      localparam SCALED = SA != 0 || SB != 0;
      localparam SPLIT = SCALED && EXACT;
      localparam MUL = (SA == 2 || SB == 2) && !SPLIT;
      localparam integer SA_SIG_W = SA == 2 ? 4 : 1, SB_SIG_W = SB == 2 ? 4 : 1;
      localparam integer SSW = SA_SIG_W + SB_SIG_W;  // the scales' significand product
      localparam integer PF = MUL ? P + SSW : P;  // a product term's frame
      localparam integer PEB = MUL ? P + SSW - 4 : P - 2;  // its bit weighing 2^exp
      localparam integer XTRA = MUL ? 2 : 0;  // the term's bits above 2^(exp + 2)
      localparam C_TERM = LATE_C == 0 && !SPLIT;  // c joins the alignment
      localparam integer NT = N + (C_TERM ? 1 : 0);  // terms summed

      // Alignment exponents (products, c) and LSB exponents (exact units).
      localparam integer S_ALO = SPLIT ? 0 : scale_align_lo(SA) + scale_align_lo(SB);
      localparam integer S_AHI = SPLIT ? 0 : scale_align_hi(SA) + scale_align_hi(SB);
      localparam integer P_ALO = align_lo(A) + align_lo(B) + S_ALO;
      localparam integer P_AHI = align_hi(A) + align_hi(B) + S_AHI;
      localparam integer C_ALO = EMIN, C_AHI = qmac_exp_hi(ACC) + M;
      localparam integer X_LO = C_TERM ? qmac_min(P_ALO, C_ALO) : P_ALO;
      localparam integer X_HI0 = C_TERM ? qmac_max(P_AHI, C_AHI) : P_AHI;
      localparam integer X_HI = USE_MIN_EXP != 0 ? qmac_max(X_HI0, MIN_EXP) : X_HI0;
      localparam integer P_LSB_LO = qmac_exp_lo(A) + qmac_exp_lo(B);
      localparam integer P_LSB_HI = qmac_exp_hi(A) + qmac_exp_hi(B);
      localparam integer GRID0 = C_TERM ? qmac_min(P_LSB_LO, qmac_exp_lo(ACC)) : P_LSB_LO;

      // The window: WB aligned bits (exact: TW0 bits from 2^GRID0).
      localparam integer WB = BITS - NARROWER;
      localparam integer FRAMES_W = N * PF + (C_TERM ? C_SIG_W : 0);  // products', then c's frame
      localparam integer TW0 = C_TERM ? qmac_max(P + P_LSB_HI - GRID0, C_SIG_W + qmac_exp_hi(ACC) - GRID0)
                                      : P + P_LSB_HI - GRID0;
      localparam integer TW = EXACT ? TW0 - NARROWER : WB + 1 + XTRA + (STICKY != 0 ? 1 : 0);  // term magnitude
      localparam integer SW = TW + qmac_clog2(NT) + 1;  // the sum, two's complement
      localparam integer MW = SW - 1;  // its magnitude
      localparam integer MR = (NARROW != 0 && !EXACT && BITS < M + 1) ? BITS - 1 : M;  // rounding mantissa
      localparam integer NW = qmac_max(MW, MR + 2);
      localparam integer XLIM = qmac_max(qmac_max(qmac_abs(X_LO), qmac_abs(X_HI)),
                                         qmac_max(qmac_abs(GRID0), qmac_abs(MIN_EXP)))
                                + 2 * SW + 2 * NW + qmac_abs(C_BIAS) + M + 64
                                + (SPLIT ? 2 * 127 + 2 * SSW : 0);
      localparam integer XW = qmac_signed_width(-XLIM, XLIM);  // every exponent

      // Exponent constants, XW bits.
      localparam [31:0] X_LO_32 = X_LO, MIN_EXP_32 = MIN_EXP, M_32 = M, EMIN_32 = EMIN;
      localparam [31:0] MR_32 = MR, BIAS_MR_32 = C_BIAS + MR, TOP_FIELD_32 = qmac_top_field(ACC);
      localparam [31:0] LSB_OFFSET_32 = -(WB - 1 + (STICKY != 0 ? 1 : 0)), GRID_32 = GRID0 + NARROWER;
      localparam [31:0] MW_LESS_1_32 = MW - 1;
      wire signed [XW-1:0] c_x_lo = X_LO_32[XW-1:0], c_min_exp = MIN_EXP_32[XW-1:0];
      wire signed [XW-1:0] c_emin = EMIN_32[XW-1:0], c_mr = MR_32[XW-1:0];
      wire signed [XW-1:0] c_bias_mr = BIAS_MR_32[XW-1:0], c_top_field = TOP_FIELD_32[XW-1:0];
      wire signed [XW-1:0] c_lsb_offset = LSB_OFFSET_32[XW-1:0], c_grid = GRID_32[XW-1:0];
      wire signed [XW-1:0] c_mw_less_1 = MW_LESS_1_32[XW-1:0], c_one = 1, c_zero = 0;

      // Codes of the output's special results.
      localparam [E+M-1:0] ONES = {(E + M) {1'b1}};
      localparam [E+M-1:0] INF_MAG = {{E{1'b1}}, {M{1'b0}}};
      localparam [E+M-1:0] QUIET = {{(E + M - 1) {1'b0}}, 1'b1} << (M - 1);
      localparam [E+M-1:0] MAX_OUT = SPECIALS == `QMAC_IEEE ? INF_MAG - 1'b1
                                   : SPECIALS == `QMAC_FN ? ONES - 1'b1 : ONES;
      localparam [CW-1:0] NAN_CODE = SPECIALS == `QMAC_IEEE ? {1'b0, INF_MAG | QUIET}
                                   : SPECIALS == `QMAC_FNUZ ? {1'b1, {(E + M) {1'b0}}} : {1'b0, ONES};
      localparam HAS_NEG_ZERO = SPECIALS != `QMAC_FNUZ;
      // The rounding format's (Mr mantissa bits) largest finite value, as an output code.
      localparam [MR-1:0] ALL_FRAC = {MR{1'b1}};
      localparam [MR-1:0] MAX_FRAC = SPECIALS == `QMAC_FN ? ALL_FRAC - 1'b1 : ALL_FRAC;
      localparam [E+M:0] MAX_RND_W = {{(M - MR + 1) {1'b0}}, TOP_FIELD_32[E-1:0], MAX_FRAC} << (M - MR);
      localparam [E+M-1:0] MAX_RND = MAX_RND_W[E+M-1:0];

      // ---- 1. products and c -------------------------------------------------
      wire [NT-1:0] t_sign, t_live;
      wire [FRAMES_W-1:0] t_frame;
      wire [NT*XW-1:0] t_exp;
      wire [N-1:0] p_nan, p_inf, p_neg_zero;

      // The beat's block scales, once for all lanes: s_sig * 2^s_lsb, whose
      // bit SSW - 2 weighs 2^s_align.
      wire [SA_SIG_W-1:0] sa_sig;
      wire [SB_SIG_W-1:0] sb_sig;
      wire signed [8:0] sa_lsb, sb_lsb;
      wire sa_nan, sb_nan, sa_zero, sb_zero;
      qmac_dot_scale #(.KIND(SA), .SIG_W(SA_SIG_W)) scale_a (
          .code(sa), .sig(sa_sig), .lsb(sa_lsb), .nan(sa_nan), .zero(sa_zero)
      );
      qmac_dot_scale #(.KIND(SB), .SIG_W(SB_SIG_W)) scale_b (
          .code(sb), .sig(sb_sig), .lsb(sb_lsb), .nan(sb_nan), .zero(sb_zero)
      );
      wire s_nan = sa_nan || sb_nan, s_zero = sa_zero || sb_zero;
      wire [SSW-1:0] s_sig = {{SB_SIG_W{1'b0}}, sa_sig} * {{SA_SIG_W{1'b0}}, sb_sig};
      localparam [31:0] SSW_LESS_2_32 = SSW - 2;
      wire signed [XW-1:0] s_lsb = {{(XW - 9) {sa_lsb[8]}}, sa_lsb} + {{(XW - 9) {sb_lsb[8]}}, sb_lsb};
      wire signed [XW-1:0] s_align = s_lsb + SSW_LESS_2_32[XW-1:0];

      genvar i;
      for (i = 0; i < N; i = i + 1) begin : g_lane
        wire zero_e, nan_e, inf_e;
        wire [P-1:0] frame_e;
        wire signed [XW-1:0] exp_e;
        qmac_dot_term #(.A(A), .B(B), .NORMALIZE(EXACT ? 0 : 1), .A_SIG_W(A_SIG_W),
                        .B_SIG_W(B_SIG_W), .A_EXP_W(A_EXP_W), .B_EXP_W(B_EXP_W), .P_SIG_W(P),
                        .EXP_W(XW)) term (
            .a(a[i*AW+:AW]), .b(b[i*BW+:BW]), .sign(t_sign[i]), .frame(frame_e),
            .exp(exp_e), .nan(nan_e), .inf(inf_e), .zero(zero_e)
        );
        if (SCALED) begin : g_scaled
          // A NaN scale makes the product NaN; a zero scale makes it zero
          // (Inf x 0: NaN).
          assign p_nan[i] = nan_e || s_nan || (inf_e && s_zero);
          assign p_inf[i] = inf_e && !p_nan[i];
          wire zero = !p_nan[i] && !p_inf[i] && (zero_e || s_zero);
          assign t_live[i] = !p_nan[i] && !p_inf[i] && !zero;
          assign p_neg_zero[i] = zero && t_sign[i];
          if (SPLIT) begin : g_split  // scaled after the exact sum
            assign t_frame[i*PF+:PF] = frame_e;
            assign t_exp[i*XW+:XW] = exp_e;
          end else if (MUL) begin : g_mul
            assign t_frame[i*PF+:PF] = {{SSW{1'b0}}, frame_e} * {{P{1'b0}}, s_sig};
            assign t_exp[i*XW+:XW] = exp_e + s_align;
          end else begin : g_shift  // E8M0: an exponent add
            assign t_frame[i*PF+:PF] = frame_e;
            assign t_exp[i*XW+:XW] = exp_e + s_align;
          end
        end else begin : g_plain
          assign t_frame[i*P+:P] = frame_e;
          assign t_exp[i*XW+:XW] = exp_e;
          assign p_nan[i] = nan_e;
          assign p_inf[i] = inf_e;
          assign t_live[i] = !nan_e && !inf_e && !zero_e;
          assign p_neg_zero[i] = zero_e && t_sign[i];
        end
      end

      wire c_nan, c_inf, c_neg_zero;
      if (C_TERM) begin : g_c_term
        wire c_sign;
        wire [C_SIG_W-1:0] c_sig;
        wire signed [C_EXP_W-1:0] c_lsb;
        qmac_decode #(.FMT(ACC_R), .SIG_W(C_SIG_W), .EXP_W(C_EXP_W)) decode_c (
            .code(c), .sign(c_sign), .sig(c_sig), .exp(c_lsb), .nan(c_nan), .inf(c_inf)
        );
        wire signed [XW-1:0] c_lsb_x = {{(XW - C_EXP_W) {c_lsb[C_EXP_W-1]}}, c_lsb};
        wire signed [XW-1:0] c_m = M_32[XW-1:0];
        assign t_sign[N] = c_sign;
        assign t_live[N] = !c_nan && !c_inf && c_sig != 0;
        assign t_frame[N*PF+:C_SIG_W] = c_sig;
        assign t_exp[N*XW+:XW] = EXACT ? c_lsb_x : c_lsb_x + c_m;
        assign c_neg_zero = !c_nan && !c_inf && c_sig == 0 && c_sign;
      end else begin : g_late_c
        assign {c_nan, c_inf} = 2'b00;
        assign c_neg_zero = 1'b1;  // c takes no part in the products' -0 rule
      end

      wire any_nan = |p_nan || c_nan;
      wire inf_pos = |(p_inf & ~t_sign[N-1:0]) || (c_inf && !t_sign[NT-1]);
      wire inf_neg = |(p_inf & t_sign[N-1:0]) || (c_inf && t_sign[NT-1]);
      wire all_neg_zero = &p_neg_zero && c_neg_zero;

      // ---- 2. the maximum-exponent tree --------------------------------------
      wire [NT*XW-1:0] live_exp;  // zero terms take no part: the lowest exponent
      for (i = 0; i < NT; i = i + 1) begin : g_live_exp
        assign live_exp[i*XW+:XW] = t_live[i] ? t_exp[i*XW+:XW] : c_x_lo;
      end
      reg [NT*XW-1:0] mx;
      integer s, j;
      always @* begin
        mx = live_exp;
        for (s = 1; s < NT; s = s * 2)
          for (j = 0; j + s < NT; j = j + 2 * s)
            if ($signed(mx[(j+s)*XW+:XW]) > $signed(mx[j*XW+:XW])) mx[j*XW+:XW] = mx[(j+s)*XW+:XW];
      end
      wire signed [XW-1:0] emax_raw = mx[XW-1:0];
      wire signed [XW-1:0] emax = (USE_MIN_EXP != 0 && emax_raw < c_min_exp) ? c_min_exp : emax_raw;

      // ---- cut A: products, flags, emax -----------------------------------------
      localparam integer AWID = 1 + CW + 4 + XW + NT * (2 + XW) + FRAMES_W;
      wire valid_a, nan_a, inf_pos_a, inf_neg_a, neg_zero_a;
      wire [CW-1:0] c_a;
      wire signed [XW-1:0] emax_a;
      wire [NT-1:0] sign_a, live_a;
      wire [FRAMES_W-1:0] frame_a;
      wire [NT*XW-1:0] exp_a;
      qmac_delay #(.WIDTH(AWID), .DEPTH(DEPTH_A)) cut_a (
          .clk(clk), .rst(rst),
          .d({valid_in, c, any_nan, inf_pos, inf_neg, all_neg_zero, emax, t_sign, t_live, t_frame, t_exp}),
          .q({valid_a, c_a, nan_a, inf_pos_a, inf_neg_a, neg_zero_a, emax_a, sign_a, live_a, frame_a, exp_a})
      );

      // ---- 3. alignment: each term onto the window ---------------------------------
      wire [NT*SW-1:0] terms;
      for (i = 0; i < NT; i = i + 1) begin : g_align
        // A product's frame (P bits, bit P-2 at 2^exp), or c's (M+1 bits, bit M at
        // 2^exp); exact units: bit 0 weighs 2^exp.
        localparam integer TFW = i < N ? PF : C_SIG_W, EB = i < N ? PEB : M;
        wire [TFW-1:0] frame = frame_a[i*PF+:TFW];
        wire signed [XW-1:0] exp = exp_a[i*XW+:XW];
        wire [TW-1:0] mag;
        if (EXACT) begin : g_exact
          // Placed by its LSB exponent: no bit is lost (but QMAC_FAULT_DOT_WIDTH's).
          localparam integer SHW = qmac_clog2(TW0);
          localparam [31:0] GRID0_32 = GRID0;
          wire signed [XW-1:0] shift = exp - GRID0_32[XW-1:0];
          wire [TW0:0] placed_g = {{(TW0 - TFW + 1) {1'b0}}, frame} << shift[SHW-1:0];
          wire [TW0-1:0] placed = placed_g[TW0-1:0];
          assign mag = placed[TW0-1:NARROWER];
          wire unused = &{1'b0, shift, emax_a, placed[0], placed_g[TW0]};
        end else begin : g_trunc
          // kept = floor(frame * 2^(Q - (emax - exp))): bit EB lands on bit WB-1 at d = 0.
          localparam integer Q = WB - 1 - EB;
          localparam integer QP = Q > 0 ? Q : 0, QN = Q < 0 ? -Q : 0;
          localparam integer PW = qmac_max(TFW + QP, WB + 1 + XTRA);  // room for kept
          localparam integer SHW = qmac_clog2(PW + 1);
          localparam [31:0] QN_32 = QN, PW_32 = PW;
          wire [PW+1:0] padded_g = {{(PW - TFW - QP + 1) {1'b0}}, frame, {(QP + 1) {1'b0}}};
          wire [PW-1:0] padded = padded_g[PW:1];
          wire signed [XW-1:0] shift = emax_a - exp + QN_32[XW-1:0];
          wire [SHW-1:0] sh = shift > $signed(PW_32[XW-1:0]) ? PW_32[SHW-1:0] : shift[SHW-1:0];
          wire [2*PW-1:0] wide = {padded, {PW{1'b0}}} >> sh;
          wire [WB+XTRA:0] kept = wide[PW+WB+XTRA:PW];
          wire lost = |wide[PW-1:0];
          if (STICKY != 0) begin : g_sticky
            assign mag = {kept, lost};
          end else begin : g_plain
            assign mag = kept;
            wire unused_lost = lost;
          end
          wire unused = &{1'b0, padded_g[PW+1], padded_g[0], wide[2*PW-1:PW+WB+XTRA], shift};
        end
        wire [SW-1:0] mag_x = {{(SW - TW) {1'b0}}, mag};
        assign terms[i*SW+:SW] = !live_a[i] ? {SW{1'b0}} : sign_a[i] ? -mag_x : mag_x;
      end

      // ---- 4. the carry-save adder tree ---------------------------------------------
      wire [SW-1:0] sum;
      qmac_dot_csa_tree #(.N(NT), .W(SW)) adder_tree (.terms(terms), .sum(sum));
      // The weight of the sum's bit 0.
      wire signed [XW-1:0] sum_lsb = EXACT ? c_grid : emax_a + c_lsb_offset;

      // ---- cut B: the sum -------------------------------------------------------------
      wire valid_b, nan_b, inf_pos_b, inf_neg_b, neg_zero_b;
      wire [CW-1:0] c_b;
      wire signed [XW-1:0] sum_lsb_b;
      wire [SW-1:0] sum_b;
      qmac_delay #(.WIDTH(1 + CW + 4 + XW + SW), .DEPTH(DEPTH_B)) cut_b (
          .clk(clk), .rst(rst),
          .d({valid_a, c_a, nan_a, inf_pos_a, inf_neg_a, neg_zero_a, sum_lsb, sum}),
          .q({valid_b, c_b, nan_b, inf_pos_b, inf_neg_b, neg_zero_b, sum_lsb_b, sum_b})
      );

      // ---- 5. normalize and round once -------------------------------------------------
      localparam integer LZW = qmac_clog2(MW + 1), DRW = qmac_clog2(NW + 2);
      localparam [31:0] NW_32 = NW, FAR_32 = NW + 1;
      wire neg = sum_b[SW-1];
      wire [SW-1:0] mag_full = neg ? -sum_b : sum_b;  // < 2^(SW-1)
      wire [MW-1:0] mag = mag_full[MW-1:0];
      wire [LZW-1:0] lz;
      qmac_lzc #(.W(MW), .CW(LZW)) lzc (.x(mag), .count(lz));
      wire [MW-1:0] mag_n = mag << lz;
      wire [NW:0] norm_g = {mag_n, {(NW - MW + 1) {1'b0}}};
      wire [NW-1:0] norm = norm_g[NW:1];
      // Binade t of the leading one, the quantum exponent qe, the bits kept.
      wire signed [XW-1:0] top = sum_lsb_b + c_mw_less_1 - $signed({{(XW - LZW) {1'b0}}, lz});
      wire signed [XW-1:0] qe = (top >= c_emin ? top : c_emin) - c_mr;
      wire signed [XW-1:0] keep = top - qe + c_one;  // <= MR + 1, may be <= 0
      wire [DRW-1:0] drop = keep < c_zero ? FAR_32[DRW-1:0] : NW_32[DRW-1:0] - keep[DRW-1:0];
      wire [2*NW-1:0] q_wide = {norm, {NW{1'b0}}} >> drop;
      wire [NW-1:0] q_all = q_wide[2*NW-1:NW];
      wire [MR+1:0] q = q_all[MR+1:0];
      wire round_bit = q_wide[NW-1];
      wire sticky = |q_wide[NW-2:0];
      wire up = ROUND != 0 && round_bit && (sticky || q[0]);
      wire [MR+1:0] q_r = q + {{(MR + 1) {1'b0}}, up};
      wire carry = q_r[MR+1];
      wire normal = carry | q_r[MR];
      wire [MR-1:0] frac = carry ? {MR{1'b0}} : q_r[MR-1:0];
      wire signed [XW-1:0] field = qe + c_bias_mr + (carry ? c_one : c_zero);
      wire overflow = normal && (field > c_top_field ||
                                 (field == c_top_field && SPECIALS == `QMAC_FN && &frac));
      wire underflow = !normal && q_r == 0;
      wire [E+M:0] rounded_w = {{(M - MR + 1) {1'b0}}, normal ? field[E-1:0] : {E{1'b0}}, frac}
                               << (M - MR);
      wire [E+M-1:0] rounded = rounded_w[E+M-1:0];
      wire unused_round = &{1'b0, mag_full[SW-1], norm_g[0], q_all, field, top, keep,
                            rounded_w[E+M]};

      // ---- specials and the products' code ----------------------------------------------
      wire inf_any = inf_pos_b || inf_neg_b;
      wire [CW-1:0] inf_code = SPECIALS == `QMAC_IEEE ? {inf_neg_b, INF_MAG}
                             : SPECIALS == `QMAC_FIN ? {inf_neg_b, MAX_OUT} : NAN_CODE;
      wire [CW-1:0] overflow_code = (ROUND == 0 || SPECIALS == `QMAC_FIN) ? {neg, MAX_RND}
                                  : SPECIALS == `QMAC_IEEE ? {neg, INF_MAG} : NAN_CODE;
      reg [CW-1:0] products;
      always @* begin
        if (nan_b || (inf_pos_b && inf_neg_b)) products = NAN_CODE;
        else if (inf_any) products = inf_code;
        else if (sum_b == 0) products = {neg_zero_b && HAS_NEG_ZERO, {(E + M) {1'b0}}};
        else if (overflow) products = overflow_code;
        else if (underflow) products = {neg && HAS_NEG_ZERO, {(E + M) {1'b0}}};
        else products = {neg, rounded};
      end

      // ---- 6. late c or the split scale, bubbles, output registers ----------------------
      wire [CW-1:0] result;
      if (SPLIT) begin : g_split_round
        // The element products' exact sum times the scales' significands, at
        // 2^(GRID0 + s_lsb), added to c with one RNE rounding.
        wire [SSW-1:0] s_sig_b;
        wire signed [XW-1:0] s_lsb_b;
        qmac_delay #(.WIDTH(SSW + XW), .DEPTH(DEPTH_A + DEPTH_B)) cut_scale (
            .clk(clk), .rst(rst), .d({s_sig, s_lsb}), .q({s_sig_b, s_lsb_b})
        );
        wire [MW+SSW-1:0] scaled = {{SSW{1'b0}}, mag} * {{MW{1'b0}}, s_sig_b};
        wire signed [XW-1:0] scaled_lsb = c_grid + s_lsb_b;
        wire p_inf_any = inf_pos_b || inf_neg_b;
        wire p_sign = p_inf_any ? inf_neg_b : sum_b == 0 ? neg_zero_b : neg;
        qmac_acc_float #(.ACC(ACC_R), .P_SIG_W(MW + SSW), .P_EXP_W(XW)) add_c (
            .acc(c_b), .p_sign(p_sign), .p_sig(scaled), .p_exp(scaled_lsb),
            .p_nan(nan_b || (inf_pos_b && inf_neg_b)), .p_inf(p_inf_any), .sum(result)
        );
        wire unused_split = &{1'b0, products};
      end else if (C_TERM) begin : g_done
        assign result = products;
      end else begin : g_add_c
        wire r_sign, r_nan, r_inf;
        wire [C_SIG_W-1:0] r_sig;
        wire signed [C_EXP_W-1:0] r_exp;
        qmac_decode #(.FMT(ACC_R), .SIG_W(C_SIG_W), .EXP_W(C_EXP_W)) decode_p (
            .code(products), .sign(r_sign), .sig(r_sig), .exp(r_exp), .nan(r_nan), .inf(r_inf)
        );
        qmac_acc_float #(.ACC(ACC_R), .P_SIG_W(C_SIG_W), .P_EXP_W(C_EXP_W)) add_c (
            .acc(c_b), .p_sign(r_sign), .p_sig(r_sig), .p_exp(r_exp), .p_nan(r_nan),
            .p_inf(r_inf), .sum(result)
        );
      end
      // The bubble select as AND-OR rather than a mux: Yosys's share pass then
      // sees the datapath as used and does not trace activation patterns
      // through every mux chain behind it (which exhausts memory with LATE_C).
      wire [CW-1:0] d_next = ({CW{valid_b}} & result) | ({CW{!valid_b}} & c_b);
      wire unused_scales = &{1'b0, s_align, s_nan, s_zero, s_sig, s_lsb};
      qmac_delay #(.WIDTH(1 + CW), .DEPTH(DEPTH_OUT)) cut_out (
          .clk(clk), .rst(rst), .d({valid_b, d_next}), .q({valid_out, d})
      );
    end
  endgenerate
endmodule

`default_nettype wire
