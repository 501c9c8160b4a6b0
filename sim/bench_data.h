// The benchmarks' operands: Gaussian values scaled so that 4 sigma reaches
// the format's largest value, as a per-tensor max calibration would,
// quantized to codes. Seeded: the same generator state gives the same codes.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "qmac/numerics/codec.h"

namespace qmac::cli {

// max_sigma caps the scale (a dot product's output range may ask for less).
template <typename Code>
std::vector<Code> gaussian_codes(const Format& f, size_t n, std::mt19937_64& rng,
                                 double max_sigma = HUGE_VAL) {
  std::normal_distribution<double> g(0.0, 1.0);
  const double sigma = std::min(largest_magnitude(f).to_double() / 4, max_sigma);
  std::vector<Code> codes(n);
  for (auto& c : codes)
    c = Code(quantize(f, g(rng) * sigma));
  return codes;
}

} // namespace qmac::cli
