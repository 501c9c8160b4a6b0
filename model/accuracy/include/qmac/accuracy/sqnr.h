// Quantization SQNR of a format: the accuracy axis of the FP8-vs-INT8 and
// power-of-the-exponent papers.
//
// SQNR = 10 log10(sum x^2 / sum (x - Q(x))^2) in dB over seeded samples, where
// Q quantizes per tensor at a scale chosen as a calibrating quantizer would
// (scale_search.h) and rounds by the golden model (nearest even, saturating).
// Block formats quantize block by block with their own block scales (MX: the
// e8m0 scale alone; NVFP4: the per-tensor fp32 scale is searched too).
// Unsigned formats quantize the magnitudes of the samples.
// A format that holds every sample exactly has SQNR +infinity (no cap).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "qmac/numerics/block.h"
#include "qmac/numerics/tensor.h"

namespace qmac::accuracy {

struct SqnrResult {
  double best_db = 0;          // at the searched per-tensor scale
  double absmax_db = 0;        // at absmax scaling (absmax -> the format's top)
  double best_scale_ratio = 1; // clipping threshold / absmax at the best scale
};

// The default sample count of the sweep.
constexpr size_t kDefaultSamples = size_t(1) << 16;

// n samples of d drawn with seed (samples.h). InputError for an unknown
// format or block format name, n == 0, or the Codes distribution. Block
// formats choose their scales by scale_rule (default: the format's own).
SqnrResult sqnr(std::string_view format, Distribution d, size_t n = kDefaultSamples,
                uint64_t seed = 1, std::optional<ScaleRounding> scale_rule = std::nullopt);
// The same on given samples (finite, not all zero).
SqnrResult sqnr(std::string_view format, const std::vector<double>& samples,
                std::optional<ScaleRounding> scale_rule = std::nullopt);

// 10 log10(signal / noise); +infinity when noise is 0.
double to_db(double signal, double noise);

} // namespace qmac::accuracy
