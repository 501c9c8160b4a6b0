// Operand decoder: a code of any qmac element format to (sign, sig, exp, nan, inf),
// value = (-1)^sign * sig * 2^exp. Golden twin: qmac::decode (codec.cpp).
//
// One module for the three format families, chosen by KIND at elaboration:
//   int    sign and magnitude of the two's complement code, exp = LSB
//   float  hidden bit and fraction, exp = max(field, 1) - BIAS - MAN_BITS, the
//          special-value style chooses which codes are Inf/NaN
//   flint  ANT's leading-one code: below the middle the code is its own
//          integer; above, k ones after the leading one give exp = 2k+1 and
//          leave n-2-k mantissa bits; all ones is 2^(2n-2)
// Zero decodes to sig = 0. FMT is a format vector (qmac_format.vh); SIG_W and
// EXP_W come from qmac_sig_width/qmac_exp_lo/qmac_exp_hi (qmac_widths.vh).
//
// QMAC_FAULT_DECODE_INT_MIN, _SUBNORMAL and _FLINT_TOP build deliberately
// wrong variants (one per family); `qmac verify --fault` must reject each.
`include "qmac_format.vh"
`default_nettype none

module qmac_decode #(
    parameter [63:0] FMT = `QMAC_FORMAT_E4M3FN,
    parameter integer SIG_W = 4,
    parameter integer EXP_W = 6
) (
    input  wire [`QMAC_BITS(FMT)-1:0] code,
    output wire                    sign,
    output wire [SIG_W-1:0]        sig,
    output wire signed [EXP_W-1:0] exp,
    output wire                    nan,
    output wire                    inf
);
  `include "qmac_widths.vh"

  localparam integer KIND = `QMAC_KIND(FMT), BITS = `QMAC_BITS(FMT), SIGNED = `QMAC_SIGNED(FMT);
  localparam integer LSB = `QMAC_LSB(FMT), EXP_BITS = `QMAC_EXP_BITS(FMT);
  localparam integer MAN_BITS = `QMAC_MAN_BITS(FMT), BIAS = `QMAC_BIAS(FMT);
  localparam integer SPECIALS = `QMAC_SPECIALS(FMT);
  localparam integer MAG = qmac_mag_bits(FMT);
  wire sign_bit = (SIGNED != 0) && code[BITS-1];
  assign sign = sign_bit;

  generate
    if (KIND == `QMAC_INT) begin : g_int
      // Two's complement magnitude; -2^(BITS-1) keeps its top bit.
`ifdef QMAC_FAULT_DECODE_INT_MIN  // fault injection: magnitude one bit short
      wire [BITS-1:0] magnitude = {1'b0, sign_bit ? ~code[BITS-2:0] + 1'b1 : code[BITS-2:0]};
`else
      wire [BITS-1:0] magnitude = sign_bit ? ~code + 1'b1 : code;
`endif
      localparam [31:0] LSB_32 = LSB;
      assign sig = magnitude;
      assign exp = LSB_32[EXP_W-1:0];
      assign nan = 1'b0;
      assign inf = 1'b0;
    end else if (KIND == `QMAC_FLOAT) begin : g_float
      wire [MAG-1:0] mag = code[MAG-1:0];
      wire [EXP_BITS-1:0] field = mag[MAG-1:MAN_BITS];
      wire [MAN_BITS-1:0] frac = mag[MAN_BITS-1:0];
      wire normal = |field;
      wire field_ones = &field;
      // Subnormals share the smallest normal exponent (field 1).
`ifdef QMAC_FAULT_DECODE_SUBNORMAL  // fault injection: subnormals one binade low
      wire signed [31:0] unbiased = $signed({{(32 - EXP_BITS) {1'b0}}, field}) - BIAS - MAN_BITS;
`else
      wire signed [31:0] unbiased = $signed({{(32 - EXP_BITS) {1'b0}}, field | {{(EXP_BITS - 1) {1'b0}}, ~normal}})
                                    - BIAS - MAN_BITS;
`endif
      assign sig = {normal, frac};
      assign exp = unbiased[EXP_W-1:0];
      wire unused = &{1'b0, field_ones, unbiased[31:EXP_W]};
      if (SPECIALS == `QMAC_IEEE) begin : g_ieee
        assign inf = field_ones && frac == 0;
        assign nan = field_ones && frac != 0;
      end else begin : g_no_inf
        assign inf = 1'b0;
        if (SPECIALS == `QMAC_FN) begin : g_fn
          assign nan = &mag;
        end else if (SPECIALS == `QMAC_FNUZ) begin : g_fnuz
          assign nan = sign_bit && mag == 0;
        end else begin : g_fin
          assign nan = 1'b0;
        end
      end
    end else begin : g_flint
      wire [MAG-1:0] c = code[MAG-1:0];
      reg [SIG_W-1:0] sig_r;
      integer exp_r, k, i;
      reg counting;
      always @* begin
        // k = ones following the leading one (only meaningful in the upper half).
        k = 0;
        counting = 1'b1;
        for (i = MAG - 2; i >= 0; i = i - 1) begin
          if (counting && c[i]) k = k + 1;
          else counting = 1'b0;
        end
        if (!c[MAG-1]) begin
          sig_r = c[SIG_W-1:0];
          exp_r = 0;
        end else if (k == MAG - 1) begin
          sig_r = 1;
`ifdef QMAC_FAULT_DECODE_FLINT_TOP  // fault injection: the largest code one binade low
          exp_r = 2 * (MAG - 1) - 1;
`else
          exp_r = 2 * (MAG - 1);
`endif
        end else begin
          // r = MAG-2-k low bits below a restored leading one.
          sig_r = (c[SIG_W-1:0] & ((1 << (MAG - 2 - k)) - 1)) | (1 << (MAG - 2 - k));
          exp_r = 2 * k + 1;
        end
      end
      assign sig = sig_r;
      wire [31:0] exp_32 = exp_r;
      assign exp = exp_32[EXP_W-1:0];
      wire unused = &{1'b0, exp_32[31:EXP_W]};
      assign nan = 1'b0;
      assign inf = 1'b0;
    end
  endgenerate
endmodule

`default_nettype wire
