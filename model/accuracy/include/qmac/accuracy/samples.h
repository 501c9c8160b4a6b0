// Seeded real samples for the accuracy figures.
//
// The samples are the project's own operand tensors (qmac/numerics/tensor.h):
// quantized_tensor() draws n reals from the distribution and scales them so
// that the largest magnitude lands on fp32's largest value; read back as fp32
// and multiplied by 2^-127 (exactly), they are the same draws the simulator's
// operand tensors of that seed are made from, to 24 significant bits (a
// relative perturbation of 2^-24, 100 dB below any SQNR measured here).
// Reusing that sampler keeps one definition of each distribution in qmac.
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/numerics/tensor.h"

namespace qmac::accuracy {

// n reals from d (not Distribution::Codes), largest magnitude about 2.
// Same (d, n, seed) -> identical doubles. InputError for n == 0 or Codes.
std::vector<double> draw_samples(Distribution d, size_t n, uint64_t seed);

// A second, independent stream for the same seed (the b operand of a dot product).
uint64_t partner_seed(uint64_t seed);

} // namespace qmac::accuracy
