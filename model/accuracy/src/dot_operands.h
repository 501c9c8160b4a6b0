// What the dot-product error figures share (not installed): the operand
// tensors quantized at their calibrated scales, the exact reference register,
// the normwise error and the compensated reference of the reals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "qmac/dot/dot_input.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/tensor.h"

namespace qmac::accuracy::detail {

// One operand tensor: the reals, their codes at the calibrated scale, and the
// codes' exact values (in scaled units).
struct Operand {
  std::vector<double> x, q;
  std::vector<uint32_t> codes;
  double scale = 1;
};

// n reals of distribution d from the seed, quantized per tensor (block
// formats: block by block, their scales by scale_rule; codes packed as
// DotInput's SCALE:ELEMENT).
Operand operand(const dot::DotInput& in, Distribution d, size_t n, uint64_t seed,
                std::optional<ScaleRounding> scale_rule = std::nullopt);

// The exact sum of the products of codes a[0..k) and b[0..k) of any inputs
// (block formats too), as a double (rounded once, to nearest).
double exact_dot(const dot::DotInput& fa, const dot::DotInput& fb, const uint32_t* a,
                 const uint32_t* b, size_t k);

// An fx+G register that holds any k products of a x b without wrapping.
AccumulatorSpec exact_spec(const Format& a, const Format& b, int k);

double median(std::vector<double> v);

// One dot product's figures: the result in acc (+-Inf or NaN when the
// register says so) against `exact`, the exact sum of the quantized products
// off..off+k-1 (rel), and against the unquantized reals (rel_total), each
// normwise: |difference| / sum |products| (+infinity for a non-finite
// difference); whether it overflowed.
struct SampleError {
  double rel, rel_total;
  bool overflowed;
};
SampleError sample_error(const Accumulator& acc, double exact, const Operand& A, const Operand& B,
                         size_t off, size_t k);

// InputError unless k > 0 and dots > 0.
void check_shape(int k, int dots);

} // namespace qmac::accuracy::detail
