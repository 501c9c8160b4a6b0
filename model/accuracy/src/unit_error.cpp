#include "qmac/accuracy/unit_error.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dot_operands.h"
#include "qmac/accuracy/samples.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/dot_kernel.h"

namespace qmac::accuracy {

using namespace detail;

namespace {

// The last few operand tensors made, by format, distribution, size and seed:
// a sweep runs many units on the same operands (a K = 16384 tensor of 100 dot
// products is 1.6 million values to draw and calibrate). One thread per
// process: the sweep's workers are processes.
std::shared_ptr<const Operand> cached_operand(const dot::DotInput& f, Distribution d, size_t n,
                                              uint64_t seed,
                                              std::optional<ScaleRounding> scale_rule) {
  struct Entry {
    std::string format; // with the scale rule of a block format
    Distribution d;
    size_t n;
    uint64_t seed;
    std::shared_ptr<const Operand> op;
  };
  const std::string name =
      f.name() + (f.block ? std::string("/") + scale_rounding_name(scale_rule.value_or(
                                                   standard_scale_rounding(*f.block)))
                          : "");
  static std::deque<Entry> cache; // newest first
  // One point of a sweep asks for 2 operands x its distributions x its
  // lengths: 24 covers the default two distributions and six lengths (about
  // 300 MB at 100 dot products of K up to 16384).
  constexpr size_t kEntries = 24;
  for (const Entry& e : cache)
    if (e.format == name && e.d == d && e.n == n && e.seed == seed) return e.op;
  cache.push_front(
      {name, d, n, seed, std::make_shared<const Operand>(operand(f, d, n, seed, scale_rule))});
  if (cache.size() > kEntries) cache.pop_back();
  return cache.front().op;
}

} // namespace

UnitError unit_error(const dot::DotInput& a, const dot::DotInput& b, const AccumulatorSpec& out,
                     const dot::DotUnit& unit, Distribution d, const UnitErrorOptions& opts) {
  check_shape(opts.k, opts.dots);
  if (opts.scale_rule && !a.block && !b.block)
    throw InputError(std::string("accuracy: scale rule ") + scale_rounding_name(*opts.scale_rule) +
                     " applies to block formats, not " + a.name() + " x " + b.name());
  dot::DotEngine engine(a, b, out, unit);
  std::optional<dot::PromotedDot> promoted;
  if (opts.promote != 0) promoted.emplace(engine, opts.promote);
  const size_t k = size_t(opts.k), n = k * size_t(opts.dots);
  const std::shared_ptr<const Operand> pa = cached_operand(a, d, n, opts.seed, opts.scale_rule),
                                       pb = cached_operand(b, d, n, partner_seed(opts.seed),
                                                           opts.scale_rule);
  const Operand &A = *pa, &B = *pb;
  // The reference: the exact sum of the quantized products, by qmac's per-MAC
  // golden accumulator into a register that cannot wrap (proven against
  // cpp_int in the numerics tests); block formats' by exact_dot, a wide
  // fixed-point register of the scaled products.
  const bool blocks = a.block || b.block;
  const AccumulatorSpec ref_spec = exact_spec(a.element, b.element, opts.k);
  std::optional<DotKernel> exact;
  if (!blocks) exact.emplace(a.element, b.element, ref_spec);
  Accumulator acc(out), ref(ref_spec);
  std::vector<uint64_t> ca(k), cb(k); // the engine takes 64-bit codes

  UnitError e;
  int overflowed = 0;
  for (size_t off = 0; off < n; off += k) {
    std::copy(&A.codes[off], &A.codes[off] + k, ca.begin());
    std::copy(&B.codes[off], &B.codes[off] + k, cb.begin());
    acc.clear();
    if (promoted)
      promoted->dot(acc, ca.data(), cb.data(), k);
    else
      engine.dot(acc, ca.data(), cb.data(), k);
    double exact_sum;
    if (exact) {
      exact->dot(&A.codes[off], &B.codes[off], k, ref);
      exact_sum = ref.to_double();
    } else {
      exact_sum = exact_dot(a, b, &A.codes[off], &B.codes[off], k);
    }
    const SampleError s = sample_error(acc, exact_sum, A, B, off, k);
    overflowed += s.overflowed;
    e.mean_rel += s.rel / opts.dots;
    e.max_rel = std::max(e.max_rel, s.rel);
    e.mean_rel_total += s.rel_total / opts.dots;
    e.max_rel_total = std::max(e.max_rel_total, s.rel_total);
  }
  e.overflow_fraction = double(overflowed) / opts.dots;
  return e;
}

UnitError unit_error(std::string_view a, std::string_view b, std::string_view out,
                     std::string_view unit, Distribution d, const UnitErrorOptions& opts) {
  const dot::DotInput fa = dot::DotInput::parse(a), fb = dot::DotInput::parse(b);
  const AccumulatorSpec spec = parse_accumulator(out, fa.element, fb.element);
  return unit_error(fa, fb, spec, dot::resolve_unit(unit, fa, fb, spec), d, opts);
}

double bits(double rel) {
  if (rel == 0) return std::numeric_limits<double>::infinity();
  if (!std::isfinite(rel) || rel >= 1) return 0;
  return -std::log2(rel);
}

} // namespace qmac::accuracy
