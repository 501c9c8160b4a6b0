#include "qmac/numerics/value.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bits.h"
#include "decimal.h"

namespace qmac {

Value Value::normalized() const {
  if (!is_finite()) return Value{0, 0, cls, is_inf() && negative};
  if (significand == 0) return zero(negative);
  int tz = count_trailing_zeros(significand);
  return finite(negative, significand >> tz, exponent + tz);
}

double Value::to_double() const {
  if (is_nan()) return std::nan("");
  if (is_inf()) return negative ? -HUGE_VAL : HUGE_VAL;
  double m = std::ldexp(double(significand), exponent);
  return negative ? -m : m;
}

bool Value::same_number(const Value& o) const {
  if (is_nan() || o.is_nan()) return false;
  return compare(*this, o) == 0;
}

bool Value::identical(const Value& o) const {
  if (is_nan() || o.is_nan()) return is_nan() && o.is_nan();
  return negative == o.negative && compare(*this, o) == 0;
}

Value multiply(const Value& a, const Value& b) {
  bool neg = a.negative != b.negative;
  if (a.is_nan() || b.is_nan()) return Value::nan();
  if (a.is_inf() || b.is_inf()) {
    if (a.is_zero() || b.is_zero()) return Value::nan();
    return Value::inf(neg);
  }
  // Significands of every format are at most 24 bits, so the product fits.
  return Value::finite(neg, a.significand * b.significand, a.exponent + b.exponent);
}

namespace {

// Compares |a| and |b| for finite values.
int compare_magnitude(const Value& a, const Value& b) {
  if (a.significand == 0 || b.significand == 0) return (a.significand != 0) - (b.significand != 0);
  int top_a = a.exponent + bit_length(a.significand);
  int top_b = b.exponent + bit_length(b.significand);
  if (top_a != top_b) return top_a < top_b ? -1 : 1;
  // Same leading-bit position: align both to the smaller exponent (shift < 64).
  int e = std::min(a.exponent, b.exponent);
  unsigned __int128 x = (unsigned __int128)a.significand << (a.exponent - e);
  unsigned __int128 y = (unsigned __int128)b.significand << (b.exponent - e);
  return x < y ? -1 : (x > y ? 1 : 0);
}

} // namespace

int compare(const Value& a, const Value& b) {
  auto rank = [](const Value& v) { return v.is_inf() ? (v.negative ? -1 : 1) : 0; };
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (!a.is_finite()) return 0;
  bool neg_a = a.negative && !a.is_zero();
  bool neg_b = b.negative && !b.is_zero();
  if (neg_a != neg_b) return neg_a ? -1 : 1;
  int m = compare_magnitude(a, b);
  return neg_a ? -m : m;
}

std::string to_decimal(const Value& v) {
  if (v.is_nan()) return "nan";
  if (v.is_inf()) return v.negative ? "-inf" : "inf";
  return binary_to_decimal(v.negative, {v.significand}, v.exponent);
}

} // namespace qmac
