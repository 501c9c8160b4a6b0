// The error of K-long dot products through an accumulator.
//
// Operands: two tensors of dots x K reals from the distribution (a from the
// seed, b from partner_seed(seed)), each quantized per tensor at its
// calibrated scale (scale_search.h) to codes of its format. Dot product d
// takes a[d*K + k] * b[d*K + k] for k = 0..K-1 in that order, through the
// golden accumulator (DotKernel: bit-identical to qmac::Accumulator).
//
// Errors are normwise, relative to the sum of the products' magnitudes:
//   rel       = |acc - exact| / sum_k |qa_k qb_k|,  exact = the exact sum of the
//               same quantized products (an fx+G register wide enough never to wrap);
//   rel_total = |acc / (sa sb) - sum_k x_k y_k| / sum_k |x_k y_k|, against the
//               unquantized reals (quantization and accumulation error together).
// A plain |acc - exact| / |exact| is unbounded for dot products that cancel to
// near zero and then says nothing about the arithmetic; the normwise error is
// what summation error bounds (K u) are stated in.
// A dot product whose accumulator overflowed (intN or fx+G wrapped or clamped,
// a float accumulator reached Inf or NaN) counts in overflow_fraction, and its
// error is what the register holds: +infinity for Inf/NaN, the wrapped value's
// error otherwise. Median and max are over all dot products, overflowed ones included.
#pragma once

#include <cstdint>
#include <string_view>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/tensor.h"

namespace qmac::accuracy {

struct DotError {
  double median_rel = 0, max_rel = 0;             // accumulation only
  double median_rel_total = 0, max_rel_total = 0; // against the unquantized reals
  double overflow_fraction = 0;                   // dot products with an overflow or Inf/NaN
};

constexpr int kDefaultDotLength = 256;
constexpr int kDefaultDots = 64;

// InputError for k <= 0, dots <= 0, or an accumulator spec of other formats'
// products (parse_accumulator(name, a, b) makes the right one).
DotError dot_error(const Format& a, const Format& b, const AccumulatorSpec& acc, Distribution d,
                   int k = kDefaultDotLength, int dots = kDefaultDots, uint64_t seed = 1);
// By names: element formats a and b, the accumulator as `qmac mac --acc` spells it.
DotError dot_error(std::string_view a, std::string_view b, std::string_view acc, Distribution d,
                   int k = kDefaultDotLength, int dots = kDefaultDots, uint64_t seed = 1);

} // namespace qmac::accuracy
