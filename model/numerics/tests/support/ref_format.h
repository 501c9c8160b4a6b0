// The tests' own description of every format, written from the format
// definitions (IEEE 754; the OCP 8-bit floating point spec OFP8 v1.0 and the
// OCP Microscaling spec MX v1.0; ml_dtypes' float8 variants; the ANT paper,
// Guo et al., MICRO 2022, for flint), and never from the library's
// parse_format, decode or round_to_code. Values are exact long doubles
// (64-bit significand, 15-bit exponent: every value of every format here, and
// every product of two of them, fits exactly).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qmac_test {

enum class RKind { Int, Float, Flint };
// Ieee: all-ones exponent = Inf (mantissa 0) / NaN; Fn: NaN only at all ones;
// Fnuz: one NaN at the sign bit alone, no -0, no Inf; Fin: all finite;
// Fnu: unsigned exponent-only (e8m0fnu), no zero, NaN at all ones.
enum class RStyle { Ieee, Fn, Fnuz, Fin, Fnu };
enum class Mode { RNE, RTZ, RNA };

const char* mode_name(Mode m);

struct RefFormat {
  std::string name;
  RKind kind = RKind::Int;
  int bits = 8;
  bool is_signed = true;
  int E = 0, M = 0, bias = 0;
  RStyle style = RStyle::Fin;
  int lsb = 0; // Int: value = integer * 2^lsb
  int emin() const { return style == RStyle::Fnu ? -bias : 1 - bias; }
  uint64_t sign_bit() const { return 1ull << (bits - 1); }
};

// Formats by name, from the tests' own table (throws std::out_of_range when unknown).
RefFormat ref_format(const std::string& name);
// Every 4-, 6- and 8-bit format the issue lists, plus a few generic eXmY spellings.
const std::vector<std::string>& narrow_format_names();
// The float ones among them, without e8m0fnu.
std::vector<std::string> narrow_float_names();

struct RefVal {
  enum Cls { Finite, Inf, NaN } cls = Finite;
  bool neg = false;
  long double mag = 0; // exact
  long double value() const { return neg ? -mag : mag; }
  bool is_zero() const { return cls == Finite && mag == 0; }
};

// The value of a code from the bit-field definitions.
RefVal ref_decode(const RefFormat& f, uint64_t code);

// The n-bit unsigned flint magnitudes in code order, by the ANT paper's step rule
// (C. Guo et al., "ANT: Exploiting Adaptive Numerical Data Type for Low-bit
// Deep Neural Network Quantization", MICRO 2022):
// 0..2^(n-1) in steps of 1, then binade j = 0..n-2 from 2^(n-1+j) in steps of
// 2^(2j+1) (2^(n-2-j) values).
std::vector<uint64_t> uflint_magnitudes(int n);

// The canonical NaN of a float format (sign clear where there is a choice; IEEE: quiet NaN).
uint64_t ref_canonical_nan(const RefFormat& f);

// An encoder for float formats of any width: the code of an exactly representable
// finite value or infinity (neg selects -0 / -Inf).
uint64_t ref_encode_float(const RefFormat& f, long double value, bool neg_zero = false);
uint64_t ref_encode_inf(const RefFormat& f, bool neg);
// Largest finite magnitude of a float format computed from the definition.
long double ref_max_finite(const RefFormat& f);
// The code a value would have on the float grid with an unbounded exponent
// (beyond the largest finite value codes keep counting up).
uint64_t ref_virtual_code(const RefFormat& f, long double mag);

// All codes of a narrow format, and exact rounding by table search.
class RefTable {
public:
  explicit RefTable(const RefFormat& f);
  const RefFormat& format() const { return f_; }
  size_t size() const { return by_code_.size(); }
  const RefVal& operator[](uint64_t code) const { return by_code_[code]; }
  bool has_inf() const { return has_inf_; }
  bool has_nan() const { return has_nan_; }
  bool has_neg_zero() const { return neg_zero_code_ != kNone; }
  uint64_t nan_code() const { return nan_code_; }
  uint64_t inf_code(bool neg) const { return neg ? ninf_code_ : pinf_code_; }
  long double max_finite() const { return pos_.back().first; }
  uint64_t max_code(bool neg) const { return neg ? neg_.back().second : pos_.back().second; }
  // Finite magnitudes with their codes, ascending, for each sign (zero first).
  const std::vector<std::pair<long double, uint64_t>>& side(bool neg) const {
    return neg ? neg_ : pos_;
  }
  // Code of a finite value (zero: the -0 code when neg_zero and the format has one).
  uint64_t code_of(long double value, bool neg_zero = false) const;
  bool representable(long double value) const;
  // Codes of finite values (each value once; both zeros when there are two).
  std::vector<uint64_t> finite_codes() const;

  // Rounds num/den (den > 0; num exact, possibly +-0 or +-inf or NaN) to a code by
  // mode and overflow rule, by searching the value table: comparisons of num
  // against den * (candidate or midpoint), all exact. Returns kThrows for NaN into
  // a format without NaN.
  uint64_t round(long double num, Mode mode, bool saturate, long double den = 1) const;
  // The overflow rule of the spec for a result beyond the largest finite value.
  uint64_t overflow_code(bool neg, Mode mode, bool saturate) const;

  static constexpr uint64_t kNone = ~0ull;
  static constexpr uint64_t kThrows = ~0ull - 1;

private:
  RefFormat f_;
  std::vector<RefVal> by_code_;
  std::vector<std::pair<long double, uint64_t>> pos_, neg_;
  bool has_inf_ = false, has_nan_ = false;
  uint64_t nan_code_ = kNone, pinf_code_ = kNone, ninf_code_ = kNone, neg_zero_code_ = kNone;
};

// Exact decimal expansion of a long double ("0.001953125", "-448", "-0"),
// computed with Boost.Multiprecision integers.
std::string ref_decimal(long double v, bool neg_zero = false);

// The library's Value read back by the tests' own arithmetic.
long double ld_of(uint64_t significand, int exponent);

} // namespace qmac_test
