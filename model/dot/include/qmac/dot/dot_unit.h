// A dot-product unit as data: the parameters of the block-FMA model of
// tensor cores (Khattak and Mikaitis, "Accurate Models of NVIDIA Tensor
// Cores", arXiv 2512.07004), which also describe Arm's FP8 dot instructions and
// exact (Kulisch-style) units. A unit takes N pairs and an addend c at once:
//
//   1. every product is formed exactly; its exponent is the sum of the two
//      inputs' exponents (floor(log2|x|), or the format's minimum normal
//      exponent for a subnormal), its significand is not renormalised;
//   2. emax is the largest product exponent (and c's, when c joins the
//      alignment), raised to min_exp when smaller;
//   3. every term is truncated toward zero onto the grid whose last bit weighs
//      2^(emax - bits + 1) (optionally with a sticky bit just below it);
//   4. the terms are added exactly and the sum is rounded once into the
//      output format; when bits is narrower than the output's significand the
//      result keeps only `bits` significant bits (unless narrow = false);
//   5. a longer dot product runs as consecutive blocks, each block's result
//      being the next block's c.
//
// An integer output (intN, fx+G) makes the unit an exact adder tree: the N
// products are summed exactly and added to the register in one step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qmac/numerics/rounding.h"

namespace qmac::dot {

struct DotUnit {
  static constexpr int kWhole = 0; // n: one block spans the whole dot product
  static constexpr int kExact = 0; // bits: no truncation (a Kulisch-style unit)

  int n = kWhole;    // products per block
  int bits = kExact; // aligned width below the top of the largest term's exponent
  Rounding round = Rounding::NearestEven; // the final rounding of the block sum
  bool sticky = false; // each term keeps the OR of its lost bits just below the grid
  // c added after the products' sum (which is rounded first by `round`), with
  // this rounding; none: c joins the alignment as one more term.
  std::optional<Rounding> late_c;
  bool odd_even = false;      // even- and odd-indexed products aligned separately
  std::optional<int> min_exp; // emax is at least this exponent
  bool ftz_in = false;        // subnormal inputs read as zero (of their sign)
  bool ftz_out = false;       // subnormal results become zero (of their sign)
  bool narrow = true;         // the result keeps `bits` significant bits when narrower
  uint64_t seed = 1;          // round = stochastic: the random stream's seed

  bool exact() const { return bits == kExact; }
  bool whole() const { return n == kWhole; }
  bool operator==(const DotUnit& o) const;
};

// Applies `key=value[,key=value...]` to `unit` (keys: n, bits, round, sticky,
// late-c, odd-even, min-exp, ftz-in, ftz-out, narrow, seed). Throws InputError
// naming the offending item.
void apply_keys(DotUnit& unit, std::string_view keys);

// The unit's keys in the order apply_keys reads them (a round trip).
std::string describe(const DotUnit& unit);

// The rounding modes as dot units name them: rz (= rtz), rne, rna, stochastic.
Rounding parse_dot_rounding(std::string_view name);
const char* dot_rounding_name(Rounding r);

} // namespace qmac::dot
