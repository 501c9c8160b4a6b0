// Small helpers shared by the test files: reading the library's Value with the
// tests' own arithmetic, building Values from exact numbers, printing codes.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"
#include "ref_format.h"

#ifndef QMAC_TEST_SCALE
#define QMAC_TEST_SCALE 1
#endif
#ifndef QMAC_TEST_DIVISOR
#define QMAC_TEST_DIVISOR 1
#endif

namespace qmac_test {

// How many random vectors a long randomized test draws: n times
// QMAC_TEST_SCALE, divided by QMAC_TEST_DIVISOR. The sanitized build divides
// by 4: AddressSanitizer and UBSan look for memory and undefined-behaviour
// errors, which a quarter of the vectors reach through the same code paths;
// the plain build runs the full counts the docs quote.
constexpr long scaled(long n) {
  return n * QMAC_TEST_SCALE / QMAC_TEST_DIVISOR > 0 ? n * QMAC_TEST_SCALE / QMAC_TEST_DIVISOR : 1;
}

// The library's rounding options for one of the reference's deterministic modes.
inline qmac::RoundingOptions options(Mode m, bool saturate) {
  qmac::RoundingOptions o;
  o.mode = m == Mode::RNE   ? qmac::Rounding::NearestEven
           : m == Mode::RTZ ? qmac::Rounding::TowardZero
                            : qmac::Rounding::NearestAway;
  o.saturate = saturate;
  return o;
}

// The library's Value as a RefVal (significand * 2^exponent, by ldexp).
inline RefVal ref_of(const qmac::Value& v) {
  RefVal r;
  if (v.is_nan()) {
    r.cls = RefVal::NaN;
    return r;
  }
  r.neg = v.negative;
  if (v.is_inf()) {
    r.cls = RefVal::Inf;
    return r;
  }
  r.mag = ld_of(v.significand, v.exponent);
  return r;
}

// Identity: same class, sign (also of zero) and magnitude; NaN matches NaN.
inline bool identical(const RefVal& a, const RefVal& b) {
  if (a.cls != b.cls) return false;
  if (a.cls == RefVal::NaN) return true;
  return a.neg == b.neg && a.mag == b.mag;
}

inline std::string show(const RefVal& v) {
  if (v.cls == RefVal::NaN) return "nan";
  if (v.cls == RefVal::Inf) return v.neg ? "-inf" : "inf";
  return ref_decimal(v.neg ? -v.mag : v.mag, v.neg);
}

// An exact library Value from an exact long double (significand without trailing zeros).
inline qmac::Value value_of(long double v, bool neg_zero = false) {
  if (std::isnan(v)) return qmac::Value::nan();
  if (std::isinf(v)) return qmac::Value::inf(v < 0);
  if (v == 0) return qmac::Value::zero(neg_zero || std::signbit(v));
  int e;
  long double m = std::frexp(std::fabs(v), &e);
  uint64_t sig = uint64_t(std::ldexp(m, 64));
  int exp = e - 64;
  while ((sig & 1) == 0) {
    sig >>= 1;
    ++exp;
  }
  return qmac::Value::finite(v < 0, sig, exp);
}

inline qmac::Value value_of(const RefVal& r) {
  if (r.cls == RefVal::NaN) return qmac::Value::nan();
  if (r.cls == RefVal::Inf) return qmac::Value::inf(r.neg);
  return value_of(r.neg ? -r.mag : r.mag, r.neg);
}

inline std::string hex(uint64_t code) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)code);
  return buf;
}

inline double double_of_bits(uint64_t bits) {
  double d;
  static_assert(sizeof d == sizeof bits, "");
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// The source of stochastic rounding's random words: std::mt19937_64.
inline uint64_t mt_random64(void* state) {
  return (*static_cast<std::mt19937_64*>(state))();
}

// Counts mismatches in a long loop (one Catch assertion per loop, not per vector)
// and reports the first few.
class Failures {
public:
  void add(const std::string& what) {
    if (first_.size() < 12) first_.push_back(what);
    ++count_;
  }
  long count() const { return count_; }
  // One failed check per recorded mismatch, then the total.
  void report(const std::string& context, long checked) {
    for (const auto& s : first_)
      FAIL_CHECK(context << ": " << s);
    INFO(context << ": " << count_ << " mismatches in " << checked << " checks");
    CHECK(count_ == 0);
    first_.clear();
    count_ = 0;
  }

private:
  long count_ = 0;
  std::vector<std::string> first_;
};

} // namespace qmac_test
