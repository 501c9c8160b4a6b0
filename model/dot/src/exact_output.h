// Rounding an exact double into a dot unit's float output, giving back both
// the code and its value as a double (not installed): the last step of each
// block when an exact unit chains its blocks on doubles, so that c goes from
// one block to the next without being decoded again.
//
// Three ways, chosen once per output:
//  - binary32 (RNE or RZ): the CPU's double-to-float conversion
//    (binary32_output.h);
//  - any other IEEE-layout output (fp16, bf16, e5m2, ...) with RNE or RZ: the
//    rounding done on the double's bit pattern. Adding half an output ULP
//    minus one, plus the kept LSB, to the magnitude's bits and dropping the
//    low bits is round-to-nearest-even onto man_bits fraction bits (a carry
//    into the exponent field is the next binade's code); dropping them alone
//    is RZ. Results in the output's subnormal range or beyond its largest
//    finite binade go to the Rounder, which decides them by the definition;
//  - anything else: the Rounder.
// test_dot_fast_paths checks the first two against the Rounder on every
// binade's ties and their neighbours, and on random values.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>

#include "binary32_output.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"

namespace qmac::dot {

class ExactOutput {
public:
  // rounder rounds into out as opts says; it must outlive this object.
  ExactOutput(const Format& out, const Rounder& rounder);

  // The exact nonzero finite x (a normal double) rounded into the output:
  // sets code, returns its value (+-Inf or NaN for such a code). Inline: an
  // exact unit's chain of blocks runs through it.
  [[gnu::always_inline]] double round(double x, uint64_t& code) const {
    if (binary32_) return binary32_->round_exact(x, code);
    if (!bits_) return by_rounder(x, code);
    const Bits& b = *bits_;
    uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    const uint64_t sign = u >> 63;
    uint64_t m = u & ~(uint64_t(1) << 63);
    if (int(m >> 52) - 1023 < b.emin) return by_rounder(x, code); // output subnormal
    if (!b.toward_zero) m += (uint64_t(1) << (b.shift - 1)) - 1 + ((m >> b.shift) & 1);
    m >>= b.shift; // the double's exponent field, then man_bits fraction bits
    const uint64_t field = (m >> (52 - b.shift)) + uint64_t(int64_t(b.rebias));
    if (field >= b.field_limit) return by_rounder(x, code); // overflow
    code = (field << (52 - b.shift)) | (m & b.man_mask) | (sign ? b.sign_bit : 0);
    const uint64_t v = (m << b.shift) | (sign << 63);
    double value;
    std::memcpy(&value, &v, sizeof value);
    return value;
  }
  // The value of an output code as a double (exact: the output's
  // significands have at most 53 bits).
  double value(uint64_t code) const;

  // Whether the output is rounded without the Rounder where it can be.
  bool by_bits() const { return bits_.has_value() || binary32_.has_value(); }

private:
  struct Bits {
    int shift;            // 52 - man_bits: the double's fraction bits dropped
    bool toward_zero;     // else RNE
    int emin;             // smallest normal exponent of the output
    uint64_t field_limit; // the exponent field of Inf (all ones)
    int rebias;           // output exponent field - double exponent field
    uint64_t man_mask, sign_bit;
  };
  [[gnu::noinline]] double by_rounder(double x, uint64_t& code) const;

  Format out_;
  const Rounder& rounder_;
  std::optional<Binary32Output> binary32_;
  std::optional<Bits> bits_;
};

} // namespace qmac::dot
