#include "qmac/numerics/dot_kernel.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "bits.h"

namespace qmac {
namespace {

constexpr int64_t kSpecial = DotKernel::kSpecialOperand; // NaN/Inf operand

// Shape of a narrow format's finite values: widest odd significand, lowest
// set bit, highest set bit.
struct Span {
  int sig_bits = 0, low = std::numeric_limits<int>::max(), top = std::numeric_limits<int>::min();
};

Span span_of(const DecodeTable& t) {
  Span s;
  for (size_t c = 0; c < t.size(); ++c) {
    Value v = t[c].normalized();
    if (!v.is_finite() || v.significand == 0) continue;
    int bits = bit_length(v.significand);
    s.sig_bits = std::max(s.sig_bits, bits);
    s.low = std::min(s.low, v.exponent);
    s.top = std::max(s.top, v.exponent + bits - 1);
  }
  return s;
}

// Each code's value as an integer count of 2^quantum (kSpecial for NaN/Inf).
std::vector<int64_t> integer_table(const DecodeTable& t, int quantum) {
  std::vector<int64_t> out(t.size());
  for (size_t c = 0; c < t.size(); ++c) {
    Value v = t[c];
    if (!v.is_finite()) {
      out[c] = kSpecial;
      continue;
    }
    int64_t m = int64_t(v.significand << (v.exponent - quantum));
    out[c] = v.negative ? -m : m;
  }
  return out;
}

// The largest |count of 2^quantum| over a format's finite values, or -1 if some
// value is not a multiple of 2^quantum or its count needs more than 62 bits.
int64_t largest_count(const DecodeTable& t, int quantum) {
  int64_t most = 0;
  for (size_t c = 0; c < t.size(); ++c) {
    Value v = t[c].normalized();
    if (!v.is_finite() || v.significand == 0) continue;
    if (v.exponent < quantum || bit_length(v.significand) + (v.exponent - quantum) > 62) return -1;
    most = std::max(most, int64_t(v.significand << (v.exponent - quantum)));
  }
  return most;
}

bool has_special(const std::vector<int64_t>& table) {
  for (int64_t x : table)
    if (x == kSpecial) return true;
  return false;
}

std::vector<double> double_table(const DecodeTable& t) {
  std::vector<double> out(t.size());
  for (size_t c = 0; c < t.size(); ++c)
    out[c] = t[c].to_double(); // exact: formats fit doubles
  return out;
}

// The exact magnitude of a finite double.
Unrounded unrounded_of(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int field = int((bits >> 52) & 0x7ff);
  const uint64_t frac = bits & ((1ull << 52) - 1);
  const bool neg = bits >> 63;
  if (field == 0) return Unrounded{neg, frac, -1074, false};
  return Unrounded{neg, frac | (1ull << 52), field - 1075, false};
}

std::vector<float> float_table(const DecodeTable& t) {
  std::vector<float> out(t.size());
  for (size_t c = 0; c < t.size(); ++c)
    out[c] = float(t[c].to_double()); // exact by the Span check
  return out;
}

int64_t sign_extend(int64_t x, int bits) {
  if (bits >= 64) return x;
  uint64_t m = 1ull << (bits - 1);
  uint64_t v = uint64_t(x) & ((m << 1) - 1);
  return int64_t((v ^ m) - m);
}

__int128 sign_extend(__int128 x, int bits) {
  using u128 = unsigned __int128;
  u128 m = u128(1) << (bits - 1);
  u128 v = u128(x) & ((m << 1) - 1);
  return __int128((v ^ m) - m);
}

} // namespace

const char* DotKernel::path_name(Path p) {
  switch (p) {
  case Path::NativeInteger:
    return "native-int";
  case Path::NativeFixed:
    return "native-fixed";
  case Path::NativeFp32:
    return "native-fp32";
  case Path::Generic:
    return "generic";
  }
  return "?";
}

DotKernel::DotKernel(const Format& a, const Format& b, const AccumulatorSpec& acc)
    : mul_(a, b), spec_(acc) {
  if (spec_.kind == AccKind::Integer) {
    int_hi_ = (__int128(1) << (spec_.int_bits - 1)) - 1;
    int_lo_ = -int_hi_ - 1;
    int_mask_ = spec_.int_bits >= 64 ? ~0ull : (1ull << spec_.int_bits) - 1;
  }
  if (spec_.kind == AccKind::Float) {
    RoundingOptions opts;
    opts.saturate = spec_.saturate;
    opts.flush_subnormals = spec_.flush_subnormals;
    round_ = std::make_shared<const Rounder>(spec_.format, opts);
    fp32_nan_ = spec_.format.nan_code();
  }
  if (spec_.kind == AccKind::Float && spec_.format.bits <= 16)
    acc_table_ = std::make_shared<const DecodeTable>(spec_.format);
  if (a.bits > 16 || b.bits > 16) return; // no tables: generic
  DecodeTable ta(a), tb(b);
  Span sa = span_of(ta), sb = span_of(tb);
  switch (spec_.kind) {
  case AccKind::Integer: {
    // Each operand as a count of its finest quantum, so that a product is a count
    // of the register's LSB (as for NativeFixed); native only while every product
    // count is at most 2^62 (a register value plus a product fits int64 arithmetic).
    const int qa = smallest_quantum_exponent(a), qb = smallest_quantum_exponent(b);
    const int64_t ma = largest_count(ta, qa), mb = largest_count(tb, qb);
    if (spec_.lsb_exp != qa + qb || ma < 0 || mb < 0 || __int128(ma) * mb > (__int128(1) << 62))
      break;
    int_a_ = integer_table(ta, qa);
    int_b_ = integer_table(tb, qb);
    max_product_ = ma * mb;
    specials_ = has_special(int_a_) || has_special(int_b_);
    path_ = Path::NativeInteger;
    break;
  }
  case AccKind::Fixed:
    // Counts below 2^40 give products below 2^80: the sum stays exact in 128 bits.
    if (spec_.width <= 120 && sa.top - sa.low < 40 && sb.top - sb.low < 40) {
      int_a_ = integer_table(ta, smallest_quantum_exponent(a));
      int_b_ = integer_table(tb, smallest_quantum_exponent(b));
      path_ = Path::NativeFixed;
    }
    break;
  case AccKind::Float: {
    const Format& f = spec_.format;
    bool is_fp32 =
        f.exp_bits == 8 && f.man_bits == 23 && f.bias == 127 && f.specials == Specials::Ieee;
    bool exact_products =
        sa.sig_bits + sb.sig_bits <= 24 && sa.low + sb.low >= -149 && sa.top + sb.top + 1 < 128;
    if (is_fp32 && exact_products && !spec_.saturate && !spec_.flush_subnormals) {
      f32_a_ = float_table(ta);
      f32_b_ = float_table(tb);
      path_ = Path::NativeFp32;
    } else if (acc_table_ && sa.low + sb.low >= -1022 && sa.top + sb.top < 1000) {
      // Every product is an exact double; so is every accumulator value.
      dbl_a_ = double_table(ta);
      dbl_b_ = double_table(tb);
      acc_double_ = double_table(*acc_table_);
    }
    break;
  }
  }
}

void DotKernel::dot(const uint32_t* a, const uint32_t* b, size_t n, Accumulator& acc) const {
  acc.clear();
  switch (path_) {
  case Path::NativeInteger:
    if (!integer_dot(a, b, n, acc)) return;
    // A NaN/Inf operand (float inputs): the general accumulator takes the whole dot.
    acc.clear();
    for (size_t j = 0; j < n; ++j)
      acc.add(mul_(a[j], b[j]));
    return;
  case Path::NativeFixed:
    // 64-bit sums where the register fits them, 128-bit otherwise.
    if (spec_.width <= 63 && !fixed_dot<int64_t>(a, b, n, acc)) return;
    if (spec_.width > 63 && !fixed_dot<__int128>(a, b, n, acc)) return;
    // A NaN/Inf operand (rare): the general accumulator takes the whole dot.
    acc.clear();
    for (size_t j = 0; j < n; ++j)
      acc.add(mul_(a[j], b[j]));
    return;
  case Path::NativeFp32: {
    float s = 0.0f;
    for (size_t k = 0; k < n; ++k)
      s += f32_a_[a[k]] * f32_b_[b[k]];
    uint32_t bits;
    std::memcpy(&bits, &s, sizeof bits);
    acc.load(std::isnan(s) ? spec_.format.nan_code() : bits);
    return;
  }
  case Path::Generic:
    if (spec_.kind == AccKind::Float) {
      uint64_t code = 0;
      for (size_t k = 0; k < n; ++k)
        code = float_step(code, a[k], b[k]);
      acc.load(code);
      return;
    }
    for (size_t k = 0; k < n; ++k)
      acc.add(mul_(a[k], b[k]));
    return;
  }
}

// Generic float step. Narrow accumulators: the sum in double where it is
// exact (TwoSum says so), rounded once by the Rounder; the exact 128-bit path
// takes the rest.
uint64_t DotKernel::float_step(uint64_t code, uint32_t a, uint32_t b) const {
  const Rounder& round = *round_;
  if (!acc_double_.empty()) {
    const double x = acc_double_[code], p = dbl_a_[a] * dbl_b_[b];
    const double sum = x + p, bb = sum - x, err = (x - (sum - bb)) + (p - bb);
    if (err == 0 && std::isfinite(sum)) return round(unrounded_of(sum));
  }
  if (acc_table_) return accumulate_decoded(spec_.format, round, (*acc_table_)[code], mul_(a, b));
  return float_accumulate(spec_.format, round, code, mul_(a, b));
}

AccState DotKernel::generic_step(const AccState& s, uint32_t a, uint32_t b) const {
  if (spec_.kind == AccKind::Float) {
    AccState out;
    out.reg[0] = float_step(s.reg[0], a, b);
    return out;
  }
  // intN and fx+G with a NaN/Inf operand or beyond the native paths.
  if (!scratch_) scratch_ = std::make_unique<Accumulator>(spec_);
  scratch_->load_state(s);
  scratch_->add(mul_(a, b));
  return state_of(*scratch_);
}

// NativeInteger. Every product count is at most max_product_ <= 2^62 in
// magnitude. Stepping the register, a step overflows iff the exact sum leaves the
// N-bit range, and until the first overflow the register equals the exact sum
// of the products so far; so `overflowed` is: some exact prefix sum is out of
// range. Runs of products that provably cannot leave the range are summed
// without checks; after an overflow only the sum modulo 2^N matters.
bool DotKernel::integer_dot(const uint32_t* a, const uint32_t* b, size_t n,
                            Accumulator& acc) const {
  if (specials_)
    for (size_t k = 0; k < n; ++k)
      if (int_a_[a[k]] == kSpecial || int_b_[b[k]] == kSpecial) return true;
  const int bits = spec_.int_bits;
  const __int128 hi = (__int128(1) << (bits - 1)) - 1, lo = -hi - 1;
  const int64_t* ta = int_a_.data();
  const int64_t* tb = int_b_.data();
  int64_t s = 0; // the register value (in range)
  bool overflow = false;
  size_t k = 0;
  if (!spec_.saturate) {
    while (k < n && !overflow) {
      // The longest run that cannot leave the range: lo <= s +- m * max_product_ <= hi.
      const __int128 room = std::min(hi - s, s - lo); // >= 0
      size_t m = n - k;
      if (max_product_ > 0 && room / max_product_ < __int128(m)) m = size_t(room / max_product_);
      if (m > 0) {
        int64_t t = s;
        for (size_t j = k; j < k + m; ++j)
          t += ta[a[j]] * tb[b[j]];
        s = t;
        k += m;
        continue;
      }
      const __int128 t = __int128(s) + ta[a[k]] * tb[b[k]];
      overflow = t > hi || t < lo;
      s = int64_t(sign_extend(t, bits));
      ++k;
    }
    // Wrapping commutes with the sum: the rest modulo 2^64, wrapped once.
    uint64_t u = uint64_t(s);
    for (; k < n; ++k)
      u += uint64_t(ta[a[k]] * tb[b[k]]);
    acc.load(uint64_t(sign_extend(int64_t(u), bits)), overflow);
    return false;
  }
  for (; k < n; ++k) {
    const __int128 t = __int128(s) + ta[a[k]] * tb[b[k]];
    if (t > hi || t < lo) {
      overflow = true;
      s = int64_t(t > hi ? hi : lo);
    } else {
      s = int64_t(t);
    }
  }
  acc.load(uint64_t(s), overflow);
  return false;
}

template <typename Sum>
bool DotKernel::fixed_dot(const uint32_t* a, const uint32_t* b, size_t n, Accumulator& acc) const {
  const int w = spec_.width;
  Sum s = 0;
  bool overflow = false;
  for (size_t k = 0; k < n; ++k) {
    int64_t x = int_a_[a[k]], y = int_b_[b[k]];
    if (x == kSpecial || y == kSpecial) return true;
    s += Sum(x) * y;
    Sum wrapped = sign_extend(s, w);
    overflow |= wrapped != s;
    s = wrapped;
  }
  acc.load_fixed(uint64_t(s), uint64_t(s >> 63 >> 1), overflow);
  return false;
}

} // namespace qmac
