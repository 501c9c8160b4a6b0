// The exact Value: a dyadic rational (-1)^negative * significand * 2^exponent,
// or an infinity, or NaN. Every code of every format decodes to one, and every
// product of two codes is one, with no rounding anywhere.
#pragma once

#include <cstdint>
#include <string>

namespace qmac {

struct Value {
  enum class Class : uint8_t { Finite, Inf, NaN };

  // (Ordered to pack into 16 bytes: decode tables hold one per code.)
  uint64_t significand = 0; // an integer; zero for +-0
  int32_t exponent = 0;
  Class cls = Class::Finite;
  bool negative = false;

  static Value finite(bool negative, uint64_t significand, int exponent) {
    return Value{significand, int32_t(exponent), Class::Finite, negative};
  }
  static Value zero(bool negative = false) { return finite(negative, 0, 0); }
  static Value inf(bool negative) { return Value{0, 0, Class::Inf, negative}; }
  static Value nan() { return Value{0, 0, Class::NaN, false}; }

  bool is_nan() const { return cls == Class::NaN; }
  bool is_inf() const { return cls == Class::Inf; }
  bool is_finite() const { return cls == Class::Finite; }
  bool is_zero() const { return is_finite() && significand == 0; }

  // The same number with the trailing zero bits of the significand moved into
  // the exponent, so that equal numbers compare equal field by field.
  Value normalized() const;

  // Nearest double (exact for every value of every format qmac defines).
  double to_double() const;

  // Exact value equality: -0 == +0, NaN equals nothing.
  bool same_number(const Value& o) const;
  // Identity: same class, sign and number (tells -0 from +0, NaN equals NaN).
  bool identical(const Value& o) const;
};

// The exact product; NaN for NaN operands and for 0 * Inf, IEEE signs.
Value multiply(const Value& a, const Value& b);

// -1, 0 or +1 as a < b, a == b, a > b (both finite or infinite, not NaN).
int compare(const Value& a, const Value& b);

// Exact decimal expansion ("0.001953125", "-448", "inf", "nan"); -0 prints as "-0".
std::string to_decimal(const Value& v);

} // namespace qmac
