// Whole dot products at full speed, bit-identical to Accumulator.
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

private:
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
};

} // namespace qmac
