// What the dot-product error figures share (not installed): the operand
// tensors quantized at their calibrated scales, the exact reference register,
// the normwise error and the compensated reference of the reals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

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

// n reals of distribution d from the seed, quantized per tensor.
Operand operand(const Format& f, Distribution d, size_t n, uint64_t seed);

// An fx+G register that holds any k products of a x b without wrapping.
AccumulatorSpec exact_spec(const Format& a, const Format& b, int k);

// |diff| / norm, +infinity for a non-finite difference (or any error on a zero norm).
double normwise(double diff, double norm);

// Sum of x[i] * y[i], compensated (Neumaier): the reference of the total error
// must be far more accurate than the 8-bit arithmetic it judges.
double exact_enough_dot(const double* x, const double* y, size_t n);

// Sum of |x[i] * y[i]|: the norm the errors are relative to.
double abs_dot(const double* x, const double* y, size_t n);

double median(std::vector<double> v);

// InputError unless k > 0 and dots > 0.
void check_shape(int k, int dots);

} // namespace qmac::accuracy::detail
