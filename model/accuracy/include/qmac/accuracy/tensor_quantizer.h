// A per-tensor quantizer on top of the golden model.
//
// quantize(x, s) rounds every real x[i] * s to the format by the golden
// model's one rounding (round to nearest even, saturating) and reads the code
// back as its exact value; the error x[i] - q[i] / s is what SQNR measures.
// Nothing here rounds a value to a format by itself: the product x[i] * s is
// formed exactly (a 53-bit double times the scale's 11-bit significand fits
// 64 bits) and handed to qmac::Rounder, or to quantize_block for block formats.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/block.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"

namespace qmac::accuracy {

// A per-tensor scale, held as an e8m10 number (rounded there by the golden
// model) so that real * scale is exact in 64 bits. A relative step of 2^-11 is
// far finer than any search over the clipping threshold needs.
struct Scale {
  double value = 1;
  uint64_t significand = 1; // value = significand * 2^exponent, at most 11 bits
  int exponent = 0;
};
// The e8m10 number nearest s (s > 0; beyond e8m10's range it saturates).
Scale make_scale(double s);

class TensorQuantizer {
public:
  // An element format (parse_format) or a block format (named_block_formats());
  // InputError naming it when it is neither. Block formats choose their
  // scales by `scale_rule` (default: the format's standard rule).
  explicit TensorQuantizer(std::string_view name,
                           std::optional<ScaleRounding> scale_rule = std::nullopt);
  explicit TensorQuantizer(const Format& element);

  const std::string& name() const { return name_; }
  bool is_block() const { return block_.has_value(); }
  // The element format (of a block format: its elements).
  const Format& element() const { return element_; }
  // Signed formats take the samples as they are; unsigned ones their magnitudes.
  bool takes_magnitudes() const { return !element_.is_signed; }
  // The scaled value the clipping threshold is mapped to: the largest finite
  // element; for NVFP4 the largest element times the largest e4m3fn block scale
  // (NVIDIA's recipe for the per-tensor fp32 scale).
  double top() const { return top_; }
  // False for MX formats: their power-of-two block scales follow each block's
  // maximum, so a per-tensor scale has no say (the format's own scale is used).
  bool has_tensor_scale() const { return !block_ || !block_->power_of_two_scale; }

  // q[i] = the quantized value of x[i] * s, exactly (in scaled units).
  void quantize(const std::vector<double>& x, const Scale& s, std::vector<double>& q) const;
  // The codes of x[i] * s; block formats' codes are SCALE:ELEMENT packed as
  // (scale << element bits) | element, as dot units take them (DotInput).
  void codes(const std::vector<double>& x, const Scale& s, std::vector<uint32_t>& c) const;
  // Sum over i of (x[i] - q[i] / s)^2: the noise energy in the samples' units.
  double noise_energy(const std::vector<double>& x, const Scale& s) const;

private:
  void init_element();
  // Calls f(first index, block) for each run of block_size samples.
  template <typename F>
  void for_each_block(const std::vector<double>& x, const Scale& s, F&& f) const;

  std::string name_;
  Format element_;
  std::optional<BlockFormat> block_;
  ScaleRounding scale_rule_ = ScaleRounding::Floor;
  double top_ = 0;
  std::shared_ptr<const Rounder> round_; // element formats
  std::vector<double> values_;           // element formats of <= 16 bits: value by code
};

} // namespace qmac::accuracy
