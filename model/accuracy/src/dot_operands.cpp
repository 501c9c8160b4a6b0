#include "dot_operands.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/scale_search.h"
#include "qmac/accuracy/tensor_quantizer.h"
#include "qmac/numerics/codec.h"

namespace qmac::accuracy::detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// |diff| / norm, +infinity for a non-finite difference (or any error on a zero norm).
double normwise(double diff, double norm) {
  if (!std::isfinite(diff)) return kInf;
  if (norm == 0) return diff == 0 ? 0 : kInf;
  return std::fabs(diff) / norm;
}

// Sum of x[i] * y[i], compensated (Neumaier): the reference of the total error
// must be far more accurate than the 8-bit arithmetic it judges.
double exact_enough_dot(const double* x, const double* y, size_t n) {
  double sum = 0, carry = 0;
  for (size_t i = 0; i < n; ++i) {
    const double p = x[i] * y[i], t = sum + p;
    carry += std::fabs(sum) >= std::fabs(p) ? (sum - t) + p : (p - t) + sum;
    sum = t;
  }
  return sum + carry;
}

// Sum of |x[i] * y[i]|: the norm the errors are relative to.
double abs_dot(const double* x, const double* y, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i)
    s += std::fabs(x[i] * y[i]);
  return s;
}

} // namespace

Operand operand(const Format& f, Distribution d, size_t n, uint64_t seed) {
  const TensorQuantizer quantizer(f);
  Operand op;
  op.x = draw_samples(d, n, seed);
  if (quantizer.takes_magnitudes())
    for (double& v : op.x)
      v = std::fabs(v);
  const Scale s = calibrate(quantizer, op.x).best.scale;
  quantizer.codes(op.x, s, op.codes);
  quantizer.quantize(op.x, s, op.q);
  op.scale = s.value;
  return op;
}

AccumulatorSpec exact_spec(const Format& a, const Format& b, int k) {
  int g = 1;
  while ((int64_t(1) << g) < k)
    ++g;
  return parse_accumulator("fx+" + std::to_string(g), a, b);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

SampleError sample_error(const Accumulator& acc, double exact, const Operand& A, const Operand& B,
                         size_t off, size_t k) {
  const double got = acc.to_double();
  const double reals = exact_enough_dot(&A.x[off], &B.x[off], k);
  return {normwise(got - exact, abs_dot(&A.q[off], &B.q[off], k)),
          normwise(got / (A.scale * B.scale) - reals, abs_dot(&A.x[off], &B.x[off], k)),
          acc.overflowed() || !std::isfinite(got)};
}

void check_shape(int k, int dots) {
  if (k <= 0)
    throw InputError("accuracy: dot product length k must be positive, not " + std::to_string(k));
  if (dots <= 0)
    throw InputError("accuracy: the number of dot products must be positive, not " +
                     std::to_string(dots));
}

} // namespace qmac::accuracy::detail
