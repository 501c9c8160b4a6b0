// The error of K-long dot products through a dot-product unit (model/dot):
// blocks of N products aligned, truncated to the unit's window and rounded
// once, chained through c; optionally promoted into an FP32 accumulator every
// P elements (PromotedDot).
//
// Operands as for dot_error (dot_error.h): two tensors of dots x K reals of
// the distribution, quantized per tensor at their calibrated scales; c = +0.
// Block formats (MX, NVFP4) quantize block by block (NVFP4 under its
// calibrated per-tensor scale, which the error divides out like any other).
// Errors are normwise, relative to the sum of the products' magnitudes, as
// the summation error bounds of the literature state them:
//   rel       = |d - s| / sum_k |qa_k qb_k|, s = the exact sum of the same
//               quantized products (an fx+G register that never wraps);
//   rel_total = |d / (sa sb) - sum_k x_k y_k| / sum_k |x_k y_k|, against the
//               unquantized reals.
// Mean and maximum over the dot products; a result that is Inf or NaN, or an
// integer output that wrapped, counts in overflow_fraction with error +inf.
// bits() turns a normwise error into the bits it leaves correct.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/tensor.h"

namespace qmac::accuracy {

struct UnitError {
  double mean_rel = 0, max_rel = 0;             // the unit's arithmetic alone
  double mean_rel_total = 0, max_rel_total = 0; // quantization and arithmetic
  double overflow_fraction = 0;
};

struct UnitErrorOptions {
  int k = 4096;      // the dot products' length
  int dots = 100;    // how many (a seeded set)
  uint64_t seed = 1; // operand a from seed, b from partner_seed(seed)
  int promote = 0;   // FP32 promotion every `promote` elements (0: none)
  // Block formats: how their scales are chosen (default: each format's own).
  std::optional<ScaleRounding> scale_rule;
};

// InputError for k <= 0, dots <= 0, a promotion interval the unit does not
// take (PromotedDot's rules) or a unit that does not fit the formats.
UnitError unit_error(const dot::DotInput& a, const dot::DotInput& b, const AccumulatorSpec& out,
                     const dot::DotUnit& unit, Distribution d, const UnitErrorOptions& opts);
// By names: `qmac dot --a A --b B --acc OUT --unit UNIT`.
UnitError unit_error(std::string_view a, std::string_view b, std::string_view out,
                     std::string_view unit, Distribution d, const UnitErrorOptions& opts);

// -log2(rel): the bits of the result a normwise error leaves correct (+inf for
// an exact result, 0 for an infinite error).
double bits(double rel);

} // namespace qmac::accuracy
