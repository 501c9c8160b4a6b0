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

#include <cstddef>
#include <cstdint>
#include <vector>

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
  // its Scan and (with_lsb) the smallest product LSB (that of the finest bit
  // any of its products has), for sums that stay exact in double. The
  // returned Scan covers all k products.
  struct BlockBounds : Scan {
    int lsb;
  };
  Scan products(const uint64_t* pa, const uint64_t* pb, size_t k, size_t n,
                std::vector<BlockBounds>& blocks, bool with_lsb);

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

  // 2^k for k in double's normal range (fits() keeps every weight there),
  // built from its bits: std::ldexp is a library call.
  static double power_of_two(int k);

private:
  // The alignment exponent of a zero operand and of an Inf or NaN: a sum of
  // two operand exponents tells which kind of product it is (the products'
  // maximum: above kSpecialExp / 2 an Inf or NaN took part, even times zero;
  // below kZeroExp / 2 every product is zero).
  static constexpr int kZeroExp = -(1 << 24), kSpecialExp = 1 << 26;
  struct Entry {
    double value; // the operand's exact value (0 for Inf and NaN)
    int32_t exp;  // its alignment exponent, or kZeroExp, or kSpecialExp
    int32_t lsb;  // the weight of its last significand bit (-kZeroExp for zeros)
  };
  static std::vector<Entry> table_of(const OperandTable& t);
  static int64_t truncated(double x,
                           bool sticky); // x toward zero (sticky: doubled, OR of the rest)
  int64_t scalar_sum(size_t from, size_t to, double scale, bool sticky) const;

  std::vector<Entry> ta_, tb_;
  uint64_t mask_a_, mask_b_;
  std::vector<double> terms_;
};

} // namespace qmac::dot
