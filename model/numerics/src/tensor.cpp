#include "qmac/numerics/tensor.h"

#include <algorithm>
#include <cmath>

#include "qmac/numerics/codec.h"

namespace qmac {

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names = {"gaussian",  "uniform",      "laplace",
                                                 "student-t", "llm-outliers", "codes"};
  return names;
}

Distribution parse_distribution(std::string_view name) {
  const auto& names = distribution_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (name == names[i]) return Distribution(i);
  std::string known;
  for (const auto& n : names)
    known += (known.empty() ? "" : ", ") + n;
  throw InputError("unknown distribution '" + std::string(name) + "' (known: " + known + ")");
}

namespace {

// One draw; the standard library's distributions are avoided where their
// algorithm is unspecified, so that a seed gives the same tensors everywhere.
double draw(Distribution d, std::mt19937_64& rng) {
  auto unit = [&] { return (double(rng() >> 11) + 0.5) * 0x1p-53; }; // (0, 1)
  switch (d) {
  case Distribution::Uniform:
    return 2 * unit() - 1;
  case Distribution::Laplace: {
    const double u = unit() - 0.5;
    return (u < 0 ? 1 : -1) * std::log(1 - 2 * std::fabs(u));
  }
  case Distribution::StudentT: {
    // t_3 = Z / sqrt(chi2_3 / 3), chi2_3 = Z1^2 + Z2^2 + Z3^2.
    auto normal = [&] { return std::sqrt(-2 * std::log(unit())) * std::cos(2 * M_PI * unit()); };
    const double z = normal(), a = normal(), b = normal(), c = normal();
    return z / std::sqrt((a * a + b * b + c * c) / 3);
  }
  case Distribution::LlmOutliers: {
    if (unit() < 1.0 / 256) return (unit() < 0.5 ? -1 : 1) * (10 + 20 * unit());
    return std::sqrt(-2 * std::log(unit())) * std::cos(2 * M_PI * unit());
  }
  default: // Box-Muller
    return std::sqrt(-2 * std::log(unit())) * std::cos(2 * M_PI * unit());
  }
}

// A finite double's exact value.
Value value_of_double(double x) {
  if (x == 0) return Value::zero(std::signbit(x));
  int e = 0;
  const double m = std::frexp(std::fabs(x), &e);
  return Value::finite(x < 0, uint64_t(std::ldexp(m, 53)), e - 53);
}

// n draws, and their largest magnitude.
std::vector<double> samples(size_t n, Distribution d, std::mt19937_64& rng, double& absmax) {
  std::vector<double> x(n);
  absmax = 0;
  for (auto& v : x) {
    v = draw(d, rng);
    absmax = std::max(absmax, std::fabs(v));
  }
  return x;
}

} // namespace

std::vector<uint32_t> quantized_tensor(const Format& f, size_t n, Distribution d,
                                       std::mt19937_64& rng) {
  std::vector<uint32_t> codes(n);
  if (d == Distribution::Codes) {
    for (auto& c : codes)
      c = uint32_t(rng() & f.code_mask());
    return codes;
  }
  double absmax = 0;
  const std::vector<double> x = samples(n, d, rng, absmax);
  // Unsigned formats take magnitudes.
  const bool magnitudes = !f.is_signed;
  const double top = largest_magnitude(f).to_double();
  const double scale = absmax > 0 ? top / absmax : 1;
  RoundingOptions opts;
  opts.saturate = true;
  for (size_t i = 0; i < n; ++i)
    codes[i] = uint32_t(quantize(f, (magnitudes ? std::fabs(x[i]) : x[i]) * scale, opts));
  return codes;
}

std::vector<uint32_t> quantized_block_tensor(const BlockFormat& f, size_t n, Distribution d,
                                             std::mt19937_64& rng, size_t row_length) {
  if (row_length == 0) row_length = n;
  if (n % row_length != 0)
    throw InputError("a block tensor of " + std::to_string(n) + " elements is no whole number of " +
                     "rows of " + std::to_string(row_length));
  std::vector<uint32_t> codes(n);
  const int shift = f.element.bits;
  if (d == Distribution::Codes) {
    for (auto& c : codes)
      c = uint32_t(rng() & ((uint64_t(1) << (shift + f.scale.bits)) - 1));
    return codes;
  }
  double absmax = 0;
  const std::vector<double> x = samples(n, d, rng, absmax);
  double scale = 1; // MX: the block scales follow the data
  if (!f.power_of_two_scale && absmax > 0)
    scale =
        largest_magnitude(f.element).to_double() * largest_magnitude(f.scale).to_double() / absmax;
  std::vector<Value> block;
  for (size_t start = 0; start < n;) {
    const size_t row_end = (start / row_length + 1) * row_length;
    const size_t end = std::min(row_end, start + size_t(f.block_size));
    block.clear();
    for (size_t i = start; i < end; ++i)
      block.push_back(value_of_double(x[i] * scale)); // the sample, a double
    const Block b = quantize_block(f, block);
    for (size_t i = start; i < end; ++i)
      codes[i] = uint32_t(b.scale << shift | b.elements[i - start]);
    start = end;
  }
  return codes;
}

} // namespace qmac
