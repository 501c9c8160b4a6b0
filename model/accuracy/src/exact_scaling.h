// Exact products of a double and a Scale, for the golden rounding to take.
#pragma once

#include <cstdint>
#include <cstring>

#include "qmac/accuracy/tensor_quantizer.h"
#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"

namespace qmac::accuracy::detail {

// x * s exactly: the double's 53-bit significand times the scale's 11-bit one
// fits 64 bits. (x finite.)
inline Unrounded scaled(double x, const Scale& s) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int field = int((bits >> 52) & 0x7ff);
  const uint64_t frac = bits & ((1ull << 52) - 1);
  const uint64_t sig = field == 0 ? frac : frac | (1ull << 52);
  const int exp = field == 0 ? -1074 : field - 1075;
  return Unrounded{bool(bits >> 63), sig * s.significand, int32_t(exp + s.exponent), false};
}

inline Value scaled_value(double x, const Scale& s) {
  const Unrounded u = scaled(x, s);
  return Value::finite(u.negative, u.significand, u.exponent).normalized();
}

} // namespace qmac::accuracy::detail
