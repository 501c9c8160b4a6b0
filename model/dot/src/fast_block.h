// The fast path of a block (not installed): operands of at most 16 bits read
// from a table of doubles, products formed in double, terms truncated onto
// the alignment grid by the CPU's truncating conversion, summed exactly.
//
// Why it is exact: a product of two such operands has at most 53 significant
// bits and an exponent well inside double's range (fits() checks both), so
// x * y is the exact product; scaling by 2^-grid is exact too (a power of two,
// the result stays a normal double), and converting to an integer truncates
// toward zero, which on the magnitude is the window's truncation onto the
// grid. The caller bounds the terms (below 2^term_bits grid units) so that
// the conversion cannot overflow and every partial sum is an integer below
// 2^62 (below 2^53 where two terms at a time are summed in double). The
// general path in dot_engine.cpp and the tests' independent reference give
// the same results on every test.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "operands.h"

namespace qmac::dot {

class FastBlock {
public:
  // Whether products of a and b are exact doubles, and stay normal doubles
  // with other terms weighing 2^lo to 2^hi when scaled onto any grid between
  // those weights.
  static bool fits(const OperandTable& a, const OperandTable& b, int lo, int hi);

  FastBlock(const OperandTable& a, const OperandTable& b);

  // What one block's products look like after products().
  struct Scan {
    int emax; // the largest product exponent, unless special() or !any_nonzero()
    // An operand is Inf or NaN: the caller takes its general path.
    bool special() const { return emax > kSpecialExp / 2; }
    bool any_nonzero() const { return emax > kZeroExp / 2; }
  };

  // Forms the block's `count` products (slots 0..count-1).
  Scan products(const uint64_t* pa, const uint64_t* pb, size_t count);

  // The products of a whole dot product (slots 0..k-1) and, per block of n,
  // its Scan. The returned Scan covers all k products.
  Scan products(const uint64_t* pa, const uint64_t* pb, size_t k, size_t n,
                std::vector<Scan>& blocks);

  // A block's Scan and its smallest product LSB (that of the finest bit any
  // of its products has): whether its products' sum stays exact in double.
  struct BlockBounds : Scan {
    int lsb;
  };

  // The sum of the products in slots from..to-1, each truncated toward zero
  // onto the grid whose last bit weighs 2^grid, in units of 2^grid; with a
  // sticky bit, in units of 2^(grid - 1), each term keeping the OR of its
  // lost bits just below the grid. Every term is below 2^term_bits grid
  // units and the sum below 2^62 units (the caller's bound).
  int64_t window_sum(size_t from, size_t to, int grid, bool sticky, int term_bits) const;
  // One more term (the addend c, an exact double) on the same grid.
  static int64_t window_term(double x, int grid, bool sticky);

  // The exact sum of the products in slots from..to-1 in units of 2^grid, a
  // grid at or below every product's last bit; every product below
  // 2^term_bits units, the sum below 2^62.
  int64_t exact_sum(size_t from, size_t to, int grid, int term_bits) const;

  // The sum of the products in slots from..to-1 in double: exact when every
  // partial sum fits 53 bits (the caller's bound).
  double products_sum(size_t from, size_t to) const;

  // The sum in double of the products of `count` pairs, not stored: exact
  // when every partial sum fits 53 bits (the caller's bound: statically, or
  // from *bounds, which kBounds fills with the block's Scan and finest LSB);
  // NaN when an operand is Inf or NaN. Zeros keep their sign, so products
  // that are all -0 sum to -0 and any other zero sum is +0, IEEE's rule for
  // an exact zero sum. Inline: an exact unit's chain of blocks overlaps one
  // block's products with the previous block's rounding.
  //
  // kN: count when it is a small constant (the loop unrolled whole), else 0.
  template <bool kBounds, size_t kN = 0>
  double block_sum(const uint64_t* pa, const uint64_t* pb, size_t count,
                   BlockBounds* bounds) const {
    if (kN) count = kN;
    // Two chains of sums (and maxima), each over every other product. The
    // sums start at -0, IEEE's additive identity: -0 + x is x, even for +0.
    double s0 = -0.0, s1 = -0.0;
    int e0 = 2 * kZeroExp, e1 = e0, lsb0 = -2 * kZeroExp, lsb1 = lsb0;
    auto product = [&](size_t at, double& s, int& e, int& lsb) {
      const uint64_t ca = pa[at] & ta_.mask, cb = pb[at] & tb_.mask;
      s += ta_.value[ca] * tb_.value[cb];
      if (kBounds) {
        e = std::max(e, ta_.exp[ca] + tb_.exp[cb]);
        lsb = std::min(lsb, ta_.lsb[ca] + tb_.lsb[cb]);
      }
    };
    size_t i = 0;
    for (; i + 2 <= count; i += 2) {
      product(i, s0, e0, lsb0);
      product(i + 1, s1, e1, lsb1);
    }
    if (i < count) product(i, s0, e0, lsb0);
    if (kBounds) *bounds = {{std::max(e0, e1)}, std::min(lsb0, lsb1)};
    return s0 + s1;
  }

  // 2^k for k in double's normal range (fits() keeps every weight there),
  // built from its bits: std::ldexp is a library call.
  static double power_of_two(int k);

private:
  // The alignment exponent of a zero operand and of an Inf or NaN: a sum of
  // two operand exponents tells which kind of product it is (the products'
  // maximum: above kSpecialExp / 2 an Inf or NaN took part, even times zero;
  // below kZeroExp / 2 every product is zero).
  static constexpr int kZeroExp = -(1 << 24), kSpecialExp = 1 << 26;
  // An operand format's codes, one array per field (8- and 4-byte strides:
  // a code indexes each with no shift).
  struct Table {
    std::vector<double> value; // the exact value, zeros signed (NaN for Inf and NaN)
    std::vector<int32_t> exp;  // the alignment exponent, or kZeroExp, or kSpecialExp
    std::vector<int32_t> lsb;  // the weight of the last significand bit (-kZeroExp for zeros)
    uint64_t mask;
    explicit Table(const OperandTable& t);
  };
  static int64_t truncated(double x,
                           bool sticky); // x toward zero (sticky: doubled, OR of the rest)
  int64_t scalar_sum(size_t from, size_t to, double scale, bool sticky) const;

  Table ta_, tb_;
  std::vector<double> terms_;
};

// Inline, as the rest of this file: these are on the path from one block's c
// to the next (DotEngine's chain of blocks).

inline double FastBlock::power_of_two(int k) {
  const uint64_t bits = uint64_t(k + 1023) << 52;
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

inline int64_t FastBlock::truncated(double x, bool sticky) {
  const int64_t kept = int64_t(x);
  if (!sticky) return kept;
  const int64_t lost = double(kept) != x, neg = x < 0;
  return 2 * kept + ((lost ^ -neg) + neg); // the lost bits' OR, with the term's sign
}

inline int64_t FastBlock::window_term(double x, int grid, bool sticky) {
  return truncated(x * power_of_two(-grid), sticky);
}

// Slots from..to-1 one at a time, in int64 (any window below 2^62).
inline int64_t FastBlock::scalar_sum(size_t from, size_t to, double scale, bool sticky) const {
  const double* p = terms_.data();
  int64_t sum = 0;
  for (size_t i = from; i < to; ++i)
    sum += truncated(p[i] * scale, sticky);
  return sum;
}

[[gnu::always_inline]] inline int64_t FastBlock::window_sum(size_t from, size_t to, int grid,
                                                            bool sticky, int term_bits) const {
  const double scale = power_of_two(-grid);
#if defined(__SSE2__)
  // Two terms at a time: truncated through int32, summed in double, which is
  // exact while every partial sum is an integer below 2^53 (the bound on
  // term_bits and the count).
  const int count_bits = 64 - __builtin_clzll(uint64_t(to - from) | 1);
  if (term_bits <= 31 && term_bits + 1 + count_bits <= 53) {
    const double* p = terms_.data();
    const __m128d vscale = _mm_set1_pd(scale), one = _mm_set1_pd(1.0), sign = _mm_set1_pd(-0.0);
    auto kept = [&](const double* at) {
      const __m128d x = _mm_mul_pd(_mm_loadu_pd(at), vscale);
      __m128d k = _mm_cvtepi32_pd(_mm_cvttpd_epi32(x)); // toward zero
      if (sticky) {
        // 1 where bits were lost, with the term's sign, below the doubled term.
        const __m128d lost = _mm_or_pd(_mm_and_pd(_mm_cmpneq_pd(k, x), one), _mm_and_pd(x, sign));
        k = _mm_add_pd(_mm_add_pd(k, k), lost);
      }
      return k;
    };
    // Two accumulators: one would chain every addition behind the last.
    __m128d acc0 = _mm_setzero_pd(), acc1 = _mm_setzero_pd();
    size_t i = from;
    for (; i + 4 <= to; i += 4) {
      acc0 = _mm_add_pd(acc0, kept(p + i));
      acc1 = _mm_add_pd(acc1, kept(p + i + 2));
    }
    if (i + 2 <= to) {
      acc0 = _mm_add_pd(acc0, kept(p + i));
      i += 2;
    }
    // Every lane and their sum are integers below 2^53: exact.
    const __m128d acc = _mm_add_pd(acc0, acc1);
    const double sum = _mm_cvtsd_f64(_mm_add_sd(acc, _mm_unpackhi_pd(acc, acc)));
    return int64_t(sum) + scalar_sum(i, to, scale, sticky);
  }
#endif
  (void)term_bits;
  return scalar_sum(from, to, scale, sticky);
}

} // namespace qmac::dot
