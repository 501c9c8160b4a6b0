// The tests' own model of a dot-product unit, written from the block-FMA
// definition (docs/dot-units.md; Khattak and Mikaitis, arXiv 2512.07004), not
// from model/dot: inputs decoded by the tests' own format tables
// (ref_format.h), exact sums in Boost.Multiprecision integers, truncation as
// integer floor division, every rounding by MPFR (mpfr_ref.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ref_format.h"

namespace qmac_test {

// An input as the reference reads it: an element format, or a block format
// (its element and scale formats) whose codes are SCALE:ELEMENT packed as
// (scale << element bits) | element; a block operand's value is scale *
// element and it aligns by the sum of their exponents.
struct RefInput {
  RefFormat element;
  std::optional<RefFormat> scale;
  RefInput(const RefFormat& f) : element(f) {} // NOLINT(google-explicit-constructor)
  RefInput(const RefFormat& e, const RefFormat& s) : element(e), scale(s) {}
};

struct RefUnit {
  int n = 0;    // products per block; 0: one block for the whole dot product
  int bits = 0; // aligned width; 0: exact
  Mode round = Mode::RNE;
  bool sticky = false;
  std::optional<Mode> late_c;
  bool odd_even = false;
  std::optional<int> min_exp;
  bool ftz_in = false, ftz_out = false;
  bool narrow = true;
};

// One block: the output code for pairs (a[i], b[i]) and addend c (an output code).
uint64_t ref_block(const RefUnit& u, const RefInput& fa, const RefInput& fb, const RefFormat& out,
                   const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t c);

// A whole dot product: blocks of n pairs, each result the next block's c.
uint64_t ref_dot(const RefUnit& u, const RefInput& fa, const RefInput& fb, const RefFormat& out,
                 const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t c);

// With promotion every p elements into an FP32 accumulator (RNE), then RNE into out.
uint64_t ref_promoted_dot(const RefUnit& u, int p, const RefInput& fa, const RefInput& fb,
                          const RefFormat& out, const std::vector<uint64_t>& a,
                          const std::vector<uint64_t>& b, uint64_t c);

// An integer unit: the exact sum of the block's finite products, in units of
// 2^lsb, added to a `width`-bit two's complement register (wrapping, or
// clamping with saturate). Returns the register's new value (sign-extended).
// NaN/Inf products are the special-value flag's business and are skipped here.
int64_t ref_integer_block(const RefFormat& fa, const RefFormat& fb, int width, bool saturate,
                          int lsb, int64_t acc, const std::vector<uint64_t>& a,
                          const std::vector<uint64_t>& b);

} // namespace qmac_test
