#include "qmac/numerics/accumulator.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "bits.h"
#include "decimal.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/exact_sum.h"

namespace qmac {
namespace {

int parse_width(std::string_view text, std::string_view whole, int lo, int hi, const char* what) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    throw InputError("bad accumulator '" + std::string(whole) + "': " + what + " must be " +
                     std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

RoundingOptions rounding_of(const AccumulatorSpec& s) {
  RoundingOptions o;
  o.saturate = s.saturate;
  o.flush_subnormals = s.flush_subnormals;
  return o;
}

// The special-value flag beside an intN or fx+G register after a NaN/Inf product:
// NaN stays NaN, Inf + opposite Inf = NaN, otherwise the product's Inf.
void take_special(Value& special, const Value& p) {
  if (p.is_nan() || (p.is_inf() && special.is_inf() && special.negative != p.negative))
    special = Value::nan();
  else if (p.is_inf() && !special.is_nan())
    special = p;
}

uint64_t low_mask(int bits) {
  return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

int64_t sign_extend(uint64_t x, int bits) {
  if (bits >= 64) return int64_t(x);
  const uint64_t m = 1ull << (bits - 1);
  return int64_t(((x & ((m << 1) - 1)) ^ m) - m);
}

} // namespace

int AccumulatorSpec::register_bits() const {
  switch (kind) {
  case AccKind::Integer:
    return int_bits;
  case AccKind::Float:
    return format.bits;
  case AccKind::Fixed:
    return width;
  }
  return 0;
}

AccumulatorSpec parse_accumulator(std::string_view name, const Format& a, const Format& b,
                                  bool saturate, bool flush_subnormals) {
  AccumulatorSpec s;
  s.name = std::string(name);
  s.saturate = saturate;
  s.flush_subnormals = flush_subnormals;
  if (name.substr(0, 3) == "fx+") {
    s.kind = AccKind::Fixed;
    s.guard_bits = parse_width(name.substr(3), name, 0, 1024, "guard bits");
    s.lsb_exp = smallest_quantum_exponent(a) + smallest_quantum_exponent(b);
    Value top = multiply(largest_magnitude(a), largest_magnitude(b));
    int magnitude_bits = bit_length(top.significand) + top.exponent - s.lsb_exp;
    s.width = magnitude_bits + 1 + s.guard_bits;
    return s;
  }
  if (name.substr(0, 3) == "int" && name.size() > 3 &&
      name.find_first_not_of("0123456789", 3) == std::string_view::npos) {
    s.kind = AccKind::Integer;
    s.int_bits = parse_width(name.substr(3), name, 2, 64, "integer accumulator width");
    // The register counts units of the smallest product quantum (the LSB of fx+G):
    // 2^0 for integer and flint inputs.
    s.lsb_exp = smallest_quantum_exponent(a) + smallest_quantum_exponent(b);
    return s;
  }
  s.kind = AccKind::Float;
  try {
    s.format = parse_format(name);
  } catch (const InputError&) {
    throw InputError("unknown accumulator '" + std::string(name) +
                     "' (expected intN, fx+G or a float format such as fp32)");
  }
  if (s.format.kind != Kind::Float || !s.format.has_nan() || !s.format.is_signed)
    throw InputError("accumulator '" + std::string(name) +
                     "' must be a signed float format with a NaN (intN and fx+G are the others)");
  return s;
}

uint64_t float_accumulate(const Format& acc, const Rounder& round, uint64_t acc_code,
                          const Value& p) {
  return accumulate_decoded(acc, round, decode(acc, acc_code), p);
}

uint64_t accumulate_decoded(const Format& acc, const Rounder& round, const Value& a,
                            const Value& p) {
  if (a.is_nan() || p.is_nan()) return acc.nan_code();
  if (a.is_inf() || p.is_inf()) {
    if (a.is_inf() && p.is_inf() && a.negative != p.negative) return acc.nan_code();
    // An infinite operand makes the sum infinite, exactly, in every rounding mode
    // (not an overflow, so toward zero does not clamp it): encode()'s Inf rule.
    return encode(acc, Value::inf(a.is_inf() ? a.negative : p.negative), round.options());
  }
  return round(exact_sum(a, p));
}

int64_t integer_accumulate(int bits, bool saturate, int64_t acc, const Value& p, int lsb_exp,
                           bool* overflowed) {
  if (overflowed) *overflowed = false;
  if (!p.is_finite() || p.significand == 0) return acc;
  // The count significand * 2^shift, exact: trailing zeros absorb a negative shift.
  uint64_t sig = p.significand;
  int64_t shift = int64_t(p.exponent) - lsb_exp;
  if (shift < 0) {
    if (-shift > count_trailing_zeros(sig))
      throw std::logic_error("product is not a multiple of the integer register's LSB");
    sig >>= -shift;
    shift = 0;
  }
  const __int128 hi = (__int128(1) << (bits - 1)) - 1, lo = -hi - 1;
  __int128 sum;
  bool out;
  if (bit_length(sig) + shift <= 126) {
    const __int128 v = __int128(sig) << shift; // |v| < 2^126, |acc| < 2^63: no overflow
    sum = __int128(acc) + (p.negative ? -v : v);
    out = sum > hi || sum < lo;
  } else {
    // |count| >= 2^125 dwarfs any register: the sum is out of range, on the
    // product's side; modulo 2^64 only the count's low 64 bits matter.
    out = true;
    if (saturate) {
      if (overflowed) *overflowed = true;
      return int64_t(p.negative ? lo : hi);
    }
    const __int128 v = shift >= 64 ? 0 : __int128(sig << shift);
    sum = __int128(acc) + (p.negative ? -v : v);
  }
  if (overflowed) *overflowed = out;
  if (!out) return int64_t(sum);
  if (saturate) return int64_t(sum > hi ? hi : lo);
  // Wrap: keep the low `bits` bits, sign-extended.
  return sign_extend(uint64_t((unsigned __int128)sum), bits);
}

// ---- FixedRegister -------------------------------------------------------
// Kept with at least 64 bits of headroom above the width, two's complement,
// so that one product can be added before wrapping and overflow is visible.

FixedRegister::FixedRegister(int width, int lsb_exp)
    : width_(width), lsb_exp_(lsb_exp), limbs_(size_t(width / 64 + 2), 0) {}

void FixedRegister::clear() {
  std::fill(limbs_.begin(), limbs_.end(), 0);
  overflowed_ = false;
}

void FixedRegister::load(uint64_t low, uint64_t high, bool overflowed) {
  std::fill(limbs_.begin(), limbs_.end(), high >> 63 ? ~0ull : 0);
  limbs_[0] = low;
  limbs_[1] = high; // there are always at least two limbs
  overflowed_ = overflowed;
}

bool FixedRegister::negative() const {
  return limbs_.back() >> 63;
}

void FixedRegister::add(const Value& v) {
  if (v.significand == 0) return;
  Value n = v.normalized();
  int shift = n.exponent - lsb_exp_;
  if (shift < 0 || shift >= width_)
    throw std::logic_error("value outside the fixed-point register's range");
  add_magnitude(n.significand, shift, n.negative);
  wrap();
}

void FixedRegister::add_magnitude(uint64_t magnitude, int shift, bool subtract) {
  size_t i = size_t(shift / 64);
  int bit = shift % 64;
  uint64_t lo = magnitude << bit;
  uint64_t hi = bit ? magnitude >> (64 - bit) : 0;
  unsigned __int128 carry = 0;
  for (size_t k = i; k < limbs_.size(); ++k) {
    uint64_t addend = k == i ? lo : (k == i + 1 ? hi : 0);
    if (subtract) {
      // a - b - borrow, with carry used as the borrow
      unsigned __int128 t = (unsigned __int128)limbs_[k] - addend - carry;
      limbs_[k] = uint64_t(t);
      carry = (t >> 64) ? 1 : 0;
    } else {
      unsigned __int128 t = (unsigned __int128)limbs_[k] + addend + carry;
      limbs_[k] = uint64_t(t);
      carry = t >> 64;
    }
    if (k > i + 1 && carry == 0) break;
  }
}

void FixedRegister::wrap() {
  // Sign-extend from bit width-1; if that changes anything, the sum overflowed.
  size_t top = size_t((width_ - 1) / 64);
  int bit = (width_ - 1) % 64;
  bool sign = (limbs_[top] >> bit) & 1;
  uint64_t ext = sign ? ~0ull : 0;
  uint64_t keep = bit == 63 ? ~0ull : (2ull << bit) - 1;
  uint64_t want = (limbs_[top] & keep) | (ext & ~keep);
  bool changed = want != limbs_[top];
  limbs_[top] = want;
  for (size_t k = top + 1; k < limbs_.size(); ++k) {
    changed |= limbs_[k] != ext;
    limbs_[k] = ext;
  }
  overflowed_ |= changed;
}

std::string FixedRegister::hex() const {
  std::string s;
  for (int d = (width_ + 3) / 4 - 1; d >= 0; --d) {
    int bit = 4 * d;
    uint64_t nib = (limbs_[size_t(bit / 64)] >> (bit % 64)) & 0xf;
    if (bit + 4 > width_) nib &= (1u << (width_ - bit)) - 1;
    s += "0123456789abcdef"[nib];
  }
  return "0x" + s;
}

std::vector<uint64_t> FixedRegister::magnitude() const {
  std::vector<uint64_t> mag = limbs_;
  if (negative()) { // two's complement negate
    unsigned __int128 carry = 1;
    for (uint64_t& l : mag) {
      unsigned __int128 t = (unsigned __int128)(~l) + carry;
      l = uint64_t(t);
      carry = t >> 64;
    }
  }
  return mag;
}

std::string FixedRegister::decimal() const {
  return binary_to_decimal(negative(), magnitude(), lsb_exp_);
}

// ---- Accumulator ---------------------------------------------------------

Accumulator::Accumulator(AccumulatorSpec spec)
    : spec_(std::move(spec)), round_(spec_.format, rounding_of(spec_)),
      fixed_(std::max(spec_.width, 1), spec_.lsb_exp) {
  clear();
}

void Accumulator::clear() {
  code_ = 0;
  int_value_ = 0;
  int_overflowed_ = false;
  fixed_.clear();
  special_ = Value::zero();
}

void Accumulator::add(const Value& p) {
  switch (spec_.kind) {
  case AccKind::Float:
    code_ = float_accumulate(spec_.format, round_, code_, p);
    break;
  case AccKind::Integer:
    if (!p.is_finite()) {
      take_special(special_, p);
    } else {
      bool overflowed = false;
      int_value_ = integer_accumulate(spec_.int_bits, spec_.saturate, int_value_, p, spec_.lsb_exp,
                                      &overflowed);
      int_overflowed_ |= overflowed;
      code_ = uint64_t(int_value_) & low_mask(spec_.int_bits);
    }
    break;
  case AccKind::Fixed:
    if (!p.is_finite())
      take_special(special_, p);
    else
      fixed_.add(p);
    break;
  }
}

void Accumulator::load(uint64_t bits, bool overflowed) {
  switch (spec_.kind) {
  case AccKind::Float:
    code_ = bits;
    break;
  case AccKind::Integer:
    code_ = bits & low_mask(spec_.int_bits);
    int_value_ = sign_extend(bits, spec_.int_bits);
    int_overflowed_ = overflowed;
    special_ = Value::zero();
    break;
  case AccKind::Fixed:
    fixed_.load(bits, int64_t(bits) < 0 ? ~0ull : 0, overflowed);
    special_ = Value::zero();
    break;
  }
}

std::string Accumulator::code_hex() const {
  return spec_.kind == AccKind::Fixed ? fixed_.hex() : format_code(code_, spec_.register_bits());
}

std::string Accumulator::value_decimal() const {
  switch (spec_.kind) {
  case AccKind::Float:
    return to_decimal(decode(spec_.format, code_));
  case AccKind::Integer: {
    if (!special_.is_finite()) return to_decimal(special_);
    // The count's magnitude (2^63 for INT64_MIN, as unsigned) times 2^lsb_exp.
    const uint64_t magnitude = int_value_ < 0 ? 0 - uint64_t(int_value_) : uint64_t(int_value_);
    return binary_to_decimal(int_value_ < 0, {magnitude}, spec_.lsb_exp);
  }
  case AccKind::Fixed:
    return special_.is_finite() ? fixed_.decimal() : to_decimal(special_);
  }
  return "";
}

bool Accumulator::overflowed() const {
  switch (spec_.kind) {
  case AccKind::Integer:
    return int_overflowed_;
  case AccKind::Fixed:
    return fixed_.overflowed();
  case AccKind::Float:
    return false;
  }
  return false;
}

double Accumulator::to_double() const {
  switch (spec_.kind) {
  case AccKind::Float:
    return decode(spec_.format, code_).to_double();
  case AccKind::Integer:
    // double(count) rounds once (to nearest); the power of two scales it exactly.
    return special_.is_finite() ? std::ldexp(double(int_value_), spec_.lsb_exp)
                                : special_.to_double();
  case AccKind::Fixed:
    return special_.is_finite() ? std::stod(fixed_.decimal()) : special_.to_double();
  }
  return 0;
}

} // namespace qmac
