// The one rounding implementation of qmac.
//
// Every conversion of an exact quantity to a code goes through round_to_code():
// quantizing a real, the result of every floating accumulation step, block
// element scaling. It works the same way for every format kind because the
// magnitude codes of integers, floats and flint all increase with the value:
// it floors the magnitude onto the format's grid (with an unbounded exponent),
// decides whether to step one code up from the discarded bits, then applies the
// format's overflow rule.
#pragma once

#include <cstdint>
#include <string_view>

#include "qmac/numerics/format.h"
#include "qmac/numerics/value.h"

namespace qmac {

enum class Rounding : uint8_t {
  NearestEven, // rne: ties to the even code
  TowardZero,  // rtz
  NearestAway, // rna: ties away from zero
  Stochastic,  // up with probability equal to the discarded fraction of a quantum
};

Rounding parse_rounding(std::string_view name); // rne | rtz | rna | stochastic
const char* rounding_name(Rounding r);

// An exact magnitude, possibly with a nonzero tail below its last bit:
// |x| = significand * 2^exponent            when !sticky,
// |x| in (significand, significand + 1) * 2^exponent  when sticky.
// A sticky tail must lie below every rounding point of the target format (its
// values and their midpoints), so that all of the open interval rounds alike:
// producers give the significand more bits than any format's precision.
struct Unrounded {
  bool negative = false;
  uint64_t significand = 0;
  int32_t exponent = 0;
  bool sticky = false;
};

struct RoundingOptions {
  Rounding mode = Rounding::NearestEven;
  bool saturate = false;                 // clamp overflow (and Inf) to the largest finite value
  bool flush_subnormals = false;         // a subnormal result becomes a zero of the same sign
  uint64_t (*random64)(void*) = nullptr; // stochastic rounding: source of uniform 64-bit words
  void* random_state = nullptr;
};

// Rounds x to the nearest code of `f` by opts. Overflow: with --saturate, or
// toward zero, or in a format without Inf and NaN: the largest finite value;
// otherwise Inf where the format has it, else its NaN. Formats without -0 give
// +0 for negative underflow; unsigned formats give 0 for negatives (NaN for
// e8m0fnu, which has no zero).
uint64_t round_to_code(const Unrounded& x, const Format& f, const RoundingOptions& opts);

// round_to_code() with the format's constants worked out once, for loops that
// round many values to one format (accumulators, kernels). Same results.
class Rounder {
public:
  Rounder(const Format& f, const RoundingOptions& opts);
  uint64_t operator()(const Unrounded& x) const;
  const RoundingOptions& options() const { return opts_; }

private:
  template <Kind K> uint64_t round(const Unrounded& x) const;
  template <Kind K> int quantum_exponent(int t) const;
  template <Kind K> uint64_t code_of(int t, uint64_t kept) const;
  uint64_t signed_code(bool negative, uint64_t magnitude) const;

  RoundingOptions opts_;
  Kind kind_;
  bool fnu_, is_signed_, negative_zero_;
  int man_bits_, emin_, lsb_exp_, magnitude_bits_, top_binade_ = 0;
  uint64_t code_mask_, sign_bit_, nan_code_;
  bool flush_;
  uint64_t max_magnitude_[2]; // largest magnitude code for + and - (two's complement: |min|)
  uint64_t overflow_code_[2]; // what an overflow becomes, for + and -
};

} // namespace qmac
