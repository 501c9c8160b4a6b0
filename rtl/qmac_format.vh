// The format vector: how every qmac RTL module is told the number format of
// an operand, and what its accumulator is. One 64-bit parameter per operand
// (A, B) and one for the accumulator (ACC) replace the loose per-field
// parameters; the C++ side packs the same fields from qmac::Format and
// qmac::AccumulatorSpec (model/units: format_vector, accumulator_vector), and
// a test pins the codes below to the C++ enums.
//
// Included at the top of every RTL file, before the module, so that port
// widths can use the field macros. (qmac_widths.vh, included inside a module,
// has the widths a format implies.)
//
//   63          48 47    40 39    32 31    24 23    16 15  12 11   8  7   6   5  4 3    0
//  +--------------+--------+--------+--------+--------+------+------+---+---+-----+------+
//  |     BIAS     |  LSB   |MAN_BITS|EXP_BITS|  BITS  | SPEC |SIGNED|FTZ|SAT| ACC | KIND |
//  +--------------+--------+--------+--------+--------+------+------+---+---+-----+------+
//
//   KIND      `QMAC_INT, `QMAC_FLOAT or `QMAC_FLINT
//   SIGNED    two's complement (int) or a sign bit (float, flint)
//   SPEC      floats: the special-value style, `QMAC_IEEE, `QMAC_FN, `QMAC_FNUZ, `QMAC_FIN
//   BITS      code width (an accumulator: its register width)
//   EXP_BITS, MAN_BITS, BIAS (two's complement)   floats only
//   LSB       ints only: value = integer * 2^LSB (two's complement)
//   ACC, SAT, FTZ   accumulator vectors only: the kind (`QMAC_ACC_INT,
//             `QMAC_ACC_FLOAT, `QMAC_ACC_FIXED), saturation, flush to zero.
//             A float accumulator's vector is its float format plus these.
// Unused fields are zero. A decoded operand is (sign, integer significand,
// exponent): value = (-1)^sign * sig * 2^exp.
`ifndef QMAC_FORMAT_VH
`define QMAC_FORMAT_VH

// Format kinds, special-value styles and accumulator kinds (the C++ enums
// Kind, Specials and AccKind have the same values; a test checks).
`define QMAC_INT 0
`define QMAC_FLOAT 1
`define QMAC_FLINT 2
`define QMAC_IEEE 0
`define QMAC_FN 1
`define QMAC_FNUZ 2
`define QMAC_FIN 3
`define QMAC_ACC_INT 0
`define QMAC_ACC_FLOAT 1
`define QMAC_ACC_FIXED 2

// The fields as signed 32-bit integers (the argument must be a parameter's
// name), so that arithmetic on them stays signed.
`define QMAC_KIND(f) $signed({28'd0, f[3:0]})
`define QMAC_ACC_KIND(f) $signed({30'd0, f[5:4]})
`define QMAC_SATURATE(f) $signed({31'd0, f[6]})
`define QMAC_FLUSH(f) $signed({31'd0, f[7]})
`define QMAC_SIGNED(f) $signed({28'd0, f[11:8]})
`define QMAC_SPECIALS(f) $signed({28'd0, f[15:12]})
`define QMAC_BITS(f) $signed({24'd0, f[23:16]})
`define QMAC_EXP_BITS(f) $signed({24'd0, f[31:24]})
`define QMAC_MAN_BITS(f) $signed({24'd0, f[39:32]})
`define QMAC_LSB(f) $signed({{24{f[47]}}, f[47:40]})
`define QMAC_BIAS(f) $signed({{16{f[63]}}, f[63:48]})

// Defaults for the modules' parameters (always overridden by the generated tops).
`define QMAC_FORMAT_E4M3FN 64'h0007_0003_0408_1101
`define QMAC_ACC_FP32 64'h007f_0017_0820_0111

`endif
