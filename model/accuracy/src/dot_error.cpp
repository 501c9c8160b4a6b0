#include "qmac/accuracy/dot_error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "dot_operands.h"
#include "qmac/accuracy/samples.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/dot_kernel.h"

namespace qmac::accuracy {
using namespace detail;

DotError dot_error(const Format& a, const Format& b, const AccumulatorSpec& spec, Distribution d,
                   int k, int dots, uint64_t seed) {
  check_shape(k, dots);
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
    const SampleError s = sample_error(acc, ref.to_double(), A, B, off, size_t(k));
    overflowed += s.overflowed;
    rel.push_back(s.rel);
    rel_total.push_back(s.rel_total);
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
