#include "dot_operands.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/scale_search.h"
#include "qmac/accuracy/tensor_quantizer.h"
#include "qmac/numerics/block.h"
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

Operand operand(const dot::DotInput& in, Distribution d, size_t n, uint64_t seed,
                std::optional<ScaleRounding> scale_rule) {
  const TensorQuantizer quantizer =
      in.block ? TensorQuantizer(in.block->name, scale_rule) : TensorQuantizer(in.element);
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

namespace {

Value input_value(const dot::DotInput& in, uint32_t code) {
  if (!in.block) return decode(in.element, code);
  return block_element_value(*in.block, in.scale_of(code), in.element_of(code));
}

// floor(log2) of the smallest quantum and the largest magnitude of an input.
void input_range(const dot::DotInput& in, int& lsb, int& top) {
  auto top_of = [](const Value& v) { return v.exponent + 64 - __builtin_clzll(v.significand) - 1; };
  lsb = smallest_quantum_exponent(in.element);
  top = top_of(largest_magnitude(in.element));
  if (in.block) {
    lsb += smallest_quantum_exponent(in.block->scale);
    top += top_of(largest_magnitude(in.block->scale)) + 1;
  }
}

} // namespace

double exact_dot(const dot::DotInput& fa, const dot::DotInput& fb, const uint32_t* a,
                 const uint32_t* b, size_t k) {
  int lsb_a, top_a, lsb_b, top_b;
  input_range(fa, lsb_a, top_a);
  input_range(fb, lsb_b, top_b);
  int count_bits = 1;
  while ((size_t(1) << count_bits) <= k)
    ++count_bits;
  FixedRegister sum(top_a + top_b + 4 - (lsb_a + lsb_b) + count_bits, lsb_a + lsb_b);
  for (size_t i = 0; i < k; ++i) {
    const Value p = multiply(input_value(fa, a[i]), input_value(fb, b[i]));
    if (!p.is_finite()) return p.to_double(); // a NaN scale or element: no finite sum
    if (!p.is_zero()) sum.add(p);
  }
  return std::stod(sum.decimal()); // correctly rounded
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
