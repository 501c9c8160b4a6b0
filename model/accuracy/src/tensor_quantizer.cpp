#include "qmac/accuracy/tensor_quantizer.h"

#include <cmath>

#include "exact_scaling.h"
#include "qmac/numerics/codec.h"

namespace qmac::accuracy {

Scale make_scale(double s) {
  static const Format e8m10 = parse_format("e8m10");
  if (!(s > 0) || !std::isfinite(s))
    throw InputError("accuracy: a tensor scale must be positive and finite, not " +
                     std::to_string(s));
  RoundingOptions sat;
  sat.saturate = true;
  const Value v = decode(e8m10, quantize(e8m10, s, sat)).normalized();
  if (v.is_zero()) throw InputError("accuracy: tensor scale " + std::to_string(s) + " underflows");
  return Scale{v.to_double(), v.significand, v.exponent};
}

TensorQuantizer::TensorQuantizer(std::string_view name, std::optional<ScaleRounding> scale_rule)
    : name_(name) {
  block_ = find_block_format(name);
  if (!block_) {
    if (scale_rule)
      throw InputError("accuracy: a scale rule applies to block formats, not '" + name_ + "'");
    element_ = parse_format(name); // InputError naming an unknown format
    init_element();
    return;
  }
  scale_rule_ = scale_rule.value_or(standard_scale_rounding(*block_));
  element_ = block_->element;
  top_ = decode(element_, element_.max_finite_code()).to_double();
  if (!block_->power_of_two_scale)
    top_ *= decode(block_->scale, block_->scale.max_finite_code()).to_double();
}

TensorQuantizer::TensorQuantizer(const Format& element) : name_(element.name), element_(element) {
  init_element();
}

void TensorQuantizer::init_element() {
  if (element_.specials == Specials::Fnu)
    throw InputError("accuracy: '" + name_ +
                     "' is a scale format without zero, not a tensor format");
  RoundingOptions sat;
  sat.saturate = true;
  round_ = std::make_shared<const Rounder>(element_, sat);
  top_ = decode(element_, element_.max_finite_code()).to_double();
  if (element_.bits <= 16) {
    values_.resize(size_t(1) << element_.bits);
    for (uint64_t c = 0; c < values_.size(); ++c)
      values_[c] = decode(element_, c).to_double();
  }
}

void TensorQuantizer::quantize(const std::vector<double>& x, const Scale& s,
                               std::vector<double>& q) const {
  q.resize(x.size());
  if (block_) {
    for_each_block(x, s, [&](size_t start, const Block& b) {
      for (size_t i = 0; i < b.elements.size(); ++i)
        q[start + i] = block_element_value(*block_, b.scale, b.elements[i]).to_double();
    });
    return;
  }
  for (size_t i = 0; i < x.size(); ++i) {
    const uint64_t c = (*round_)(detail::scaled(x[i], s));
    q[i] = values_.empty() ? decode(element_, c).to_double() : values_[c];
  }
}

void TensorQuantizer::codes(const std::vector<double>& x, const Scale& s,
                            std::vector<uint32_t>& c) const {
  c.resize(x.size());
  if (block_) {
    const int shift = block_->element.bits;
    for_each_block(x, s, [&](size_t start, const Block& b) {
      for (size_t i = 0; i < b.elements.size(); ++i)
        c[start + i] = uint32_t(b.scale << shift | b.elements[i]);
    });
    return;
  }
  for (size_t i = 0; i < x.size(); ++i)
    c[i] = uint32_t((*round_)(detail::scaled(x[i], s)));
}

// Consecutive runs of block_size samples form the blocks (the last may be short).
template <typename F>
void TensorQuantizer::for_each_block(const std::vector<double>& x, const Scale& s, F&& f) const {
  const size_t size = size_t(block_->block_size);
  std::vector<Value> in;
  for (size_t start = 0; start < x.size(); start += size) {
    const size_t end = std::min(x.size(), start + size);
    in.clear();
    for (size_t i = start; i < end; ++i)
      in.push_back(detail::scaled_value(x[i], s));
    f(start, quantize_block(*block_, in, scale_rule_));
  }
}

double TensorQuantizer::noise_energy(const std::vector<double>& x, const Scale& s) const {
  std::vector<double> q;
  quantize(x, s, q);
  // In scaled units x[i] * s - q[i]. The double product rounds only when it
  // needs more than 53 bits, i.e. when it is no value of the format: a sample
  // the format holds exactly contributes exactly 0.
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double e = x[i] * s.value - q[i];
    sum += e * e;
  }
  return sum / (s.value * s.value);
}

} // namespace qmac::accuracy
