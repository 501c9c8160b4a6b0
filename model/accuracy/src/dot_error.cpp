#include "qmac/accuracy/dot_error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/scale_search.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/dot_kernel.h"

namespace qmac::accuracy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One operand tensor: the reals, their codes at the calibrated scale, and the
// codes' exact values (in scaled units).
struct Operand {
  std::vector<double> x, q;
  std::vector<uint32_t> codes;
  double scale = 1;
};

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

// An fx+G register that holds any k products without wrapping: G = bits of k.
AccumulatorSpec exact_spec(const Format& a, const Format& b, int k) {
  int g = 1;
  while ((int64_t(1) << g) < k)
    ++g;
  return parse_accumulator("fx+" + std::to_string(g), a, b);
}

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

double abs_dot(const double* x, const double* y, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i)
    s += std::fabs(x[i] * y[i]);
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

} // namespace

DotError dot_error(const Format& a, const Format& b, const AccumulatorSpec& spec, Distribution d,
                   int k, int dots, uint64_t seed) {
  if (k <= 0)
    throw InputError("accuracy: dot product length k must be positive, not " + std::to_string(k));
  if (dots <= 0)
    throw InputError("accuracy: the number of dot products must be positive, not " +
                     std::to_string(dots));
  if (spec.kind != AccKind::Float &&
      spec.lsb_exp != smallest_quantum_exponent(a) + smallest_quantum_exponent(b))
    throw InputError("accuracy: accumulator '" + spec.name + "' was not made for " + a.name +
                     " x " + b.name + " products");
  const size_t n = size_t(k) * size_t(dots);
  const Operand A = operand(a, d, n, seed), B = operand(b, d, n, partner_seed(seed));
  const DotKernel kernel(a, b, spec);
  const AccumulatorSpec ref_spec = exact_spec(a, b, k);
  const DotKernel exact(a, b, ref_spec);
  Accumulator acc(spec), ref(ref_spec);

  std::vector<double> rel, rel_total;
  int overflowed = 0;
  for (size_t off = 0; off < n; off += size_t(k)) {
    kernel.dot(&A.codes[off], &B.codes[off], size_t(k), acc);
    exact.dot(&A.codes[off], &B.codes[off], size_t(k), ref);
    const double got = acc.to_double(); // +-Inf or NaN when the register says so
    overflowed += acc.overflowed() || !std::isfinite(got);
    rel.push_back(normwise(got - ref.to_double(), abs_dot(&A.q[off], &B.q[off], size_t(k))));
    const double reals = exact_enough_dot(&A.x[off], &B.x[off], size_t(k));
    rel_total.push_back(
        normwise(got / (A.scale * B.scale) - reals, abs_dot(&A.x[off], &B.x[off], size_t(k))));
  }
  DotError e;
  e.median_rel = median(rel);
  e.max_rel = *std::max_element(rel.begin(), rel.end());
  e.median_rel_total = median(rel_total);
  e.max_rel_total = *std::max_element(rel_total.begin(), rel_total.end());
  e.overflow_fraction = double(overflowed) / dots;
  return e;
}

DotError dot_error(std::string_view a, std::string_view b, std::string_view acc, Distribution d,
                   int k, int dots, uint64_t seed) {
  const Format fa = parse_format(a), fb = parse_format(b);
  return dot_error(fa, fb, parse_accumulator(acc, fa, fb), d, k, dots, seed);
}

} // namespace qmac::accuracy
