// Rounding a block's window sum into an IEEE binary32 output by the CPU's own
// conversion (not installed): the fast path's last step for fp32 outputs,
// which every FP8 unit of the presets has. Where it applies it gives the
// Rounder's code (test_dot_binary32 checks both on boundary and random sums).
//
// The window sum S * 2^lsb is exact in double when |S| < 2^53 (and lsb keeps
// it in range: FastBlock::fits), so converting that double to float rounds
// the exact value once, to nearest even, with IEEE's subnormals and overflow
// to Inf. Toward zero is the same conversion stepped back one code wherever
// it rounded away from zero (an overflow to Inf steps back to the largest
// finite value, as RZ demands). A unit that keeps only `bits` significant
// bits toward zero clears the code's low 24 - bits fraction bits: RZ onto
// fp32 then onto the narrower grid, which nests in fp32's (subnormals too),
// is RZ onto the narrower grid.
//
// The late addend c (round to nearest even) is float(double(c) + double(s)):
// the exact sum of two floats rounded to double and then to float is rounded
// correctly, since 53 >= 2 * 24 + 1 (S. A. Figueroa, "When is double rounding
// innocuous?", ACM SIGNUM Newsletter 30(3), 1995); test_dot_fast_paths checks
// it against MPFR.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "operands.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"

namespace qmac::dot {

class Binary32Output {
public:
  static bool is_binary32(const Format& f);
  // Whether the conversion rounds as opts asks: RNE or RZ, subnormals kept,
  // no saturation (and the CPU in its default rounding mode).
  static bool rounds(const RoundingOptions& opts);
  // A binary32 code as the alignment reads it (operand_of(decode(code))).
  static Operand operand(uint64_t code) {
    Operand o;
    o.neg = (code >> 31) & 1;
    const int field = int(code >> 23) & 0xff;
    const uint64_t fraction = code & 0x7fffff;
    if (field == 0xff) {
      o.cls = fraction ? Operand::NaN : Operand::Inf;
    } else if (field != 0 || fraction != 0) {
      o.cls = Operand::Finite;
      o.sig = field ? fraction | (1u << 23) : fraction;
      o.exp = field ? field - 127 : -126; // a subnormal aligns at the minimum exponent
      o.lsb = o.exp - 23;
    }
    return o;
  }
  // The value of a binary32 code, widened to double (exact).
  static double value(uint64_t code) {
    const uint32_t bits = uint32_t(code);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return double(f);
  }

  // bits < 24: the result keeps that many significant bits (toward zero only).
  explicit Binary32Output(Rounding mode, int bits = 24);

  // Sets code to that of s * 2^lsb (s nonzero); false when |s| >= 2^53.
  // (No std::optional on this path: copying one costs a store-forwarding
  // stall per block.)
  bool round(int64_t s, int lsb, uint64_t& code) const;
  // The code of a nonzero exact value held exactly by a double (inline: an
  // exact unit's chain of blocks runs through it).
  uint64_t round_exact(double exact) const {
    const float f = float(exact);
    uint32_t code;
    std::memcpy(&code, &f, sizeof code);
    if (toward_zero_ && std::fabs(double(f)) > std::fabs(exact)) --code; // the magnitude's code
    return code & keep_mask_;
  }
  // round_exact, returning the result's value and setting its code: RNE
  // goes float and back to double without the code on its way.
  double round_exact(double exact, uint64_t& code) const {
    if (!toward_zero_) {
      const float f = float(exact);
      uint32_t bits;
      std::memcpy(&bits, &f, sizeof bits);
      code = bits;
      return double(f);
    }
    code = round_exact(exact);
    return value(code);
  }

  // Sets code to that of c + s rounded to nearest even; false when c or s
  // is Inf or NaN.
  static bool add_nearest_even(uint64_t c, uint64_t s, uint64_t& code);

private:
  bool toward_zero_;
  uint32_t keep_mask_; // the code bits a narrower result keeps
};

} // namespace qmac::dot
