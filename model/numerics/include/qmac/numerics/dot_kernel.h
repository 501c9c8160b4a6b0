// Whole dot products and single MAC steps at full speed, bit-identical to
// Accumulator.
//
// The kernel picks, once, the fastest path that gives the same register as
// stepping an Accumulator (tests check the two against each other and MPFR):
//  - NativeInteger: intN: each operand as an integer count of its finest
//    quantum (so a product is a count of the register's LSB), when every product
//    count is at most 2^62: products and sums in native 64-bit arithmetic, wrapped
//    (or clamped) to N bits, the overflow flag from the exact prefix sums; a dot
//    with a NaN/Inf operand goes to the Accumulator;
//  - NativeFixed:   fx+G of at most 120 bits: each operand as an integer count
//    of its finest quantum, so a product is an integer count of the LSB;
//  - NativeFp32:    an fp32 accumulator (round to nearest even, subnormals kept)
//    when every product of the two input formats is exact in binary32: then
//    IEEE binary32 addition is exactly the one rounding the model specifies;
//  - Generic:       decode tables, exact products, float_accumulate / Accumulator;
//    for narrow float accumulators the sum is formed in double when TwoSum
//    shows it exact, then rounded once by the same Rounder.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/mac.h"

namespace qmac {

class DotKernel {
public:
  enum class Path { NativeInteger, NativeFixed, NativeFp32, Generic };

  DotKernel(const Format& a, const Format& b, const AccumulatorSpec& acc);
  Path path() const { return path_; }
  static const char* path_name(Path p);

  // Accumulates a[0]*b[0], ..., a[n-1]*b[n-1] from a cleared register into acc
  // (which must have this kernel's spec) and leaves the result there.
  void dot(const uint32_t* a, const uint32_t* b, size_t n, Accumulator& acc) const;

  // One MAC step on a register as hardware holds it: the state of an
  // Accumulator after add(a * b) from state s. What every PE of the cycle
  // simulator does; the native paths are inline. Not thread-safe on the
  // generic integer/fixed path (a scratch Accumulator): one kernel per thread.
  AccState step(const AccState& s, uint32_t a, uint32_t b) const {
    switch (path_) {
    case Path::NativeInteger:
      if (int_a_[a] != kSpecialOperand && int_b_[b] != kSpecialOperand)
        return integer_step(s, int_a_[a] * int_b_[b]);
      break;
    case Path::NativeFixed:
      if (int_a_[a] != kSpecialOperand && int_b_[b] != kSpecialOperand)
        return fixed_step(s, __int128(int_a_[a]) * int_b_[b]);
      break;
    case Path::NativeFp32:
      return fp32_step(s, f32_a_[a] * f32_b_[b]);
    case Path::Generic:
      break;
    }
    return generic_step(s, a, b);
  }

  // Operand tables' marker for a NaN/Inf operand (the integer paths).
  static constexpr int64_t kSpecialOperand = INT64_MIN;

private:
  AccState integer_step(const AccState& s, int64_t product) const {
    const int bits = spec_.int_bits;
    const __int128 sum = __int128(sign_extended(s.reg[0], bits)) + product;
    AccState out = s;
    if (sum < int_lo_ || sum > int_hi_) {
      out.flags |= kOverflow;
      out.reg[0] = uint64_t(spec_.saturate ? (sum < int_lo_ ? int_lo_ : int_hi_) : sum);
    } else {
      out.reg[0] = uint64_t(int64_t(sum));
    }
    out.reg[0] &= int_mask_;
    return out;
  }
  AccState fixed_step(const AccState& s, __int128 product) const {
    using u128 = unsigned __int128;
    const u128 reg = (u128(s.reg[1]) << 64) | s.reg[0];
    const u128 sign = u128(1) << (spec_.width - 1), mask = (sign << 1) - 1;
    const __int128 sum = __int128((reg ^ sign) - sign) + product; // exact: width <= 120
    const __int128 wrapped = __int128(((u128(sum) & mask) ^ sign) - sign);
    AccState out = s;
    if (wrapped != sum) out.flags |= kOverflow;
    out.reg[0] = uint64_t(u128(wrapped) & mask);
    out.reg[1] = uint64_t((u128(wrapped) & mask) >> 64);
    return out;
  }
  AccState fp32_step(const AccState& s, float product) const {
    float x;
    const uint32_t in = uint32_t(s.reg[0]);
    std::memcpy(&x, &in, sizeof x);
    const float sum = x + product;
    uint32_t bits;
    std::memcpy(&bits, &sum, sizeof bits);
    AccState out;
    out.reg[0] = sum != sum ? fp32_nan_ : bits;
    return out;
  }
  AccState generic_step(const AccState& s, uint32_t a, uint32_t b) const;
  uint64_t float_step(uint64_t code, uint32_t a, uint32_t b) const;
  static int64_t sign_extended(uint64_t x, int bits) {
    const uint64_t m = 1ull << (bits - 1);
    return int64_t(((x & ((m << 1) - 1)) ^ m) - m);
  }

  // NativeInteger; true if it met a NaN/Inf operand (nothing loaded then).
  bool integer_dot(const uint32_t* a, const uint32_t* b, size_t n, Accumulator& acc) const;
  // NativeFixed with a Sum-wide register; true if it met a NaN/Inf operand.
  template <typename Sum>
  bool fixed_dot(const uint32_t* a, const uint32_t* b, size_t n, Accumulator& acc) const;

  Multiplier mul_;
  AccumulatorSpec spec_;
  Path path_ = Path::Generic;
  std::vector<int64_t> int_a_, int_b_; // NativeInteger/NativeFixed: value / finest quantum
  int64_t max_product_ = 0;            // NativeInteger: largest |product count|, <= 2^62
  bool specials_ = false;              // NativeInteger: some operand code is NaN/Inf
  std::vector<float> f32_a_, f32_b_;   // NativeFp32
  std::shared_ptr<const DecodeTable> acc_table_;   // Generic float: the register decoded by lookup
  std::vector<double> dbl_a_, dbl_b_, acc_double_; // Generic float: exact doubles for TwoSum
  // step(): intN range and mask, fp32's NaN, the rounder, a scratch accumulator.
  __int128 int_lo_ = 0, int_hi_ = 0;
  uint64_t int_mask_ = 0, fp32_nan_ = 0;
  std::shared_ptr<const Rounder> round_;
  mutable std::unique_ptr<Accumulator> scratch_;
};

} // namespace qmac
