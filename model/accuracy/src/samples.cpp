#include "qmac/accuracy/samples.h"

#include <cmath>
#include <random>
#include <string>

#include "qmac/numerics/codec.h"

namespace qmac::accuracy {

std::vector<double> draw_samples(Distribution d, size_t n, uint64_t seed) {
  if (n == 0) throw InputError("accuracy: the number of samples must be positive, not 0");
  if (d == Distribution::Codes)
    throw InputError("accuracy: distribution 'codes' draws codes, not reals: no SQNR");
  static const Format fp32 = parse_format("fp32");
  std::mt19937_64 rng(seed);
  const std::vector<uint32_t> codes = quantized_tensor(fp32, n, d, rng);
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i)
    x[i] = std::ldexp(decode(fp32, codes[i]).to_double(), -127);
  return x;
}

uint64_t partner_seed(uint64_t seed) {
  // One splitmix64 step: a fixed, well-mixed function of the seed, so a and b
  // never share a stream even for neighbouring seeds.
  uint64_t z = seed + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

} // namespace qmac::accuracy
