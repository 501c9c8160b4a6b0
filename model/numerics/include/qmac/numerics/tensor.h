// Operand tensors (the simulator's GEMMs, the energy flow's streams): reals drawn from a named
// distribution, scaled per tensor so that the largest magnitude lands on the
// format's largest finite value (absmax scaling, as a per-tensor quantizer
// does), then quantized by the golden model (round to nearest even,
// saturating). Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/block.h"
#include "qmac/numerics/format.h"

namespace qmac {

enum class Distribution : uint8_t {
  Gaussian, // N(0, 1): weights and normalized activations
  Uniform,  // U(-1, 1)
  Laplace,  // heavier tails: many small values, a few large
  StudentT, // Student-t with 3 degrees of freedom: outliers, as in LLM activations
  // LLM-like activations: N(0, 1), but 1 value in 256 is an outlier of
  // magnitude 10 to 30 (LLM.int8(), arXiv 2208.07339: outlier features up to
  // 20x the others), so a K >= 256 dot product meets a few of them.
  LlmOutliers,
  Codes, // every code equally likely, NaN and Inf included: a stress test, no scaling
};
const std::vector<std::string>& distribution_names();
Distribution parse_distribution(std::string_view name); // InputError for unknown names

std::vector<uint32_t> quantized_tensor(const Format& f, size_t n, Distribution d,
                                       std::mt19937_64& rng);

// A block format's tensor (MX, NVFP4): the reals drawn as above, each run of
// block_size along a row of row_length (0: one row of n; the last block of a
// row may be short) quantized by quantize_block with the format's own scale
// rule (NVFP4: under a per-tensor scale mapping the largest magnitude to
// 6 x 448, NVIDIA's recipe), packed (scale << element bits) | element, as dot
// units take them. The Codes distribution draws any scale and element codes.
std::vector<uint32_t> quantized_block_tensor(const BlockFormat& f, size_t n, Distribution d,
                                             std::mt19937_64& rng, size_t row_length = 0);

} // namespace qmac
