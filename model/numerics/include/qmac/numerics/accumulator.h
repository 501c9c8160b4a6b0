// Accumulators: the register a MAC adds exact products into.
//
//  intN   two's complement N-bit register (N = 2..64) counting units of the
//         smallest product quantum 2^lsb_exp (the LSB of fx+G; 2^0 for integer
//         and flint inputs); wraps by default, or saturates. Takes products of
//         any formats: every product is an exact multiple of 2^lsb_exp. A step
//         whose exact sum falls outside the register (wrapped or clamped) sets
//         the sticky overflowed() flag; NaN/Inf products set the same
//         special-value flag as fx+G and leave the register unchanged.
//  float  any float format (fp32, fp16, bf16, e5m10, ...): each exact product
//         is added with ONE rounding, to nearest even, subnormals kept (or
//         flushed to zero as an option), IEEE Inf/NaN rules.
//  fx+G   exact fixed point (the FP8-vs-INT8 paper's FX accumulator): the LSB is
//         the smallest product quantum of the two input formats, the width is
//         the full product range, plus a sign bit, plus G guard bits, so 2^G
//         products of any values never overflow. Beyond that the register wraps
//         modulo 2^width, as the hardware would, and overflowed() says so. A NaN
//         or Inf product (float inputs) sets a special-value flag beside the
//         register: the result reads NaN, or +-Inf (Inf + -Inf = NaN).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/acc_state.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"

namespace qmac {

enum class AccKind : uint8_t { Integer, Float, Fixed };

struct AccumulatorSpec {
  std::string name;
  AccKind kind = AccKind::Float;
  // Integer
  int int_bits = 32;
  bool saturate = false;
  // Float
  Format format;
  bool flush_subnormals = false;
  // Integer and Fixed: register bit i weighs 2^(lsb_exp + i), two's complement;
  // lsb_exp is the sum of the two input formats' smallest quantum exponents.
  int lsb_exp = 0;
  // Fixed: `width` bits, of which `guard_bits` beyond the largest product.
  int guard_bits = 12;
  int width = 0;

  // Bits of the register (the code width of the result).
  int register_bits() const;
};

// Parses intN, any float format name, or fx+G for products of a and b.
// Throws InputError for unknown names and absurd widths. intN and fx+G take
// products of any two formats, with lsb_exp = smallest_quantum_exponent(a) +
// smallest_quantum_exponent(b).
AccumulatorSpec parse_accumulator(std::string_view name, const Format& a, const Format& b,
                                  bool saturate = false, bool flush_subnormals = false);

// One floating accumulation step: the code of round(acc + product), with
// `round` a Rounder of the accumulator format.
uint64_t float_accumulate(const Format& acc, const Rounder& round, uint64_t acc_code,
                          const Value& product);
// The same step from the register's decoded value.
uint64_t accumulate_decoded(const Format& acc, const Rounder& round, const Value& acc_value,
                            const Value& product);
inline uint64_t float_accumulate(const Format& acc, uint64_t acc_code, const Value& product,
                                 const RoundingOptions& opts = {}) {
  return float_accumulate(acc, Rounder(acc, opts), acc_code, product);
}

// One intN accumulation step: acc (the register value in units of 2^lsb_exp,
// within the `bits`-bit two's complement range) plus the product's count
// significand * 2^(exponent - lsb_exp), which must be an integer (throws
// std::logic_error otherwise) and may be of any size. The exact sum wraps to
// `bits` bits, or clamps with `saturate`; *overflowed (if given) says whether
// the exact sum was outside the range. A NaN or Inf product leaves acc as it is
// (the Accumulator keeps those in its special-value flag).
int64_t integer_accumulate(int bits, bool saturate, int64_t acc, const Value& product,
                           int lsb_exp = 0, bool* overflowed = nullptr);

// A two's complement register of any width with a fixed LSB weight.
class FixedRegister {
public:
  FixedRegister(int width, int lsb_exp);
  void clear();
  // Sets the register to a two's complement value of at most 128 bits (low, high words).
  void load(uint64_t low, uint64_t high, bool overflowed);
  // Adds an exact finite value that is a multiple of 2^lsb_exp.
  void add(const Value& v);
  bool overflowed() const { return overflowed_; }
  int width() const { return width_; }
  int lsb_exp() const { return lsb_exp_; }
  const std::vector<uint64_t>& limbs() const { return limbs_; }
  bool negative() const;
  std::vector<uint64_t> magnitude() const; // absolute value, limbs least significant first
  // The register in hex, zero-padded to the width, and its exact value in decimal.
  std::string hex() const;
  std::string decimal() const;

private:
  void add_magnitude(uint64_t magnitude, int shift, bool subtract);
  void wrap();
  int width_, lsb_exp_;
  std::vector<uint64_t> limbs_;
  bool overflowed_ = false;
};

// An accumulator of any kind with its state; what `qmac mac`, dot products
// and the golden GEMM use.
class Accumulator {
public:
  explicit Accumulator(AccumulatorSpec spec);
  const AccumulatorSpec& spec() const { return spec_; }
  void clear();
  void add(const Value& product);
  // Sets the register directly: a float code, intN bits (sign-extended from
  // N bits), or (for fx+G of at most 64 bits) the two's complement register,
  // with the overflowed flag (intN, fx+G) and no special value; used by fast
  // kernels.
  void load(uint64_t register_bits, bool overflowed = false);
  void load_fixed(uint64_t low, uint64_t high, bool overflowed) {
    fixed_.load(low, high, overflowed);
  }
  // Sets register and flags as hardware holds them (state_of is the inverse;
  // fixed-point registers of at most 128 bits).
  void load_state(const AccState& s);
  // The register as a code: the float code, the intN two's complement, or
  // the fixed-point register, in hex zero-padded to register_bits().
  std::string code_hex() const;
  // Exact value of the register: for intN the count times 2^lsb_exp ("nan",
  // "inf", "-inf" when the special-value flag is set).
  std::string value_decimal() const;
  // The value as a double (the exact value correctly rounded; exact for float
  // accumulators and for intN counts below 2^53).
  double to_double() const;
  // The raw register: float code or intN bits (not for fixed).
  uint64_t code() const { return code_; }
  const FixedRegister& fixed() const { return fixed_; }
  // intN and fx+G: some step since clear() wrapped or (intN) saturated. False for floats.
  bool overflowed() const;
  // intN and fx+G: the special-value flag beside the register: Value::zero()
  // when none, else NaN or +-Inf. Value::zero() for floats.
  const Value& special() const { return special_; }

private:
  AccumulatorSpec spec_;
  Rounder round_;
  uint64_t code_ = 0;           // Float: the code; Integer: the register bits
  int64_t int_value_ = 0;       // Integer: the register, sign-extended (units of 2^lsb_exp)
  bool int_overflowed_ = false; // Integer: sticky
  FixedRegister fixed_;         // Fixed
  Value special_;               // Integer, Fixed: NaN/Inf flag (finite = none)
};

} // namespace qmac
