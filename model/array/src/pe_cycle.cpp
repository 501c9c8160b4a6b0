#include "qmac/array/pe_cycle.h"

#include <algorithm>
#include <string>

namespace qmac::array {

PeCycleModel::PeCycleModel(const Format& a, const Format& b, const AccumulatorSpec& acc,
                           int pipeline)
    : kernel_(a, b, acc), mask_a_(uint32_t(a.code_mask())), mask_b_(uint32_t(b.code_mask())) {
  if (pipeline < 0 || pipeline > 3)
    throw InputError("pipeline " + std::to_string(pipeline) + " out of range (0..3)");
  pipeline_.resize(size_t(pipeline));
}

void PeCycleModel::reset() {
  std::fill(pipeline_.begin(), pipeline_.end(), PeBeat{});
  oldest_ = 0;
  state_ = AccState{};
}

const AccState& PeCycleModel::cycle(const PeBeat& beat) {
  PeBeat now{beat.valid, beat.clear, beat.a & mask_a_, beat.b & mask_b_};
  if (!pipeline_.empty()) { // the oldest beat leaves, the new one takes its place
    std::swap(now, pipeline_[oldest_]);
    oldest_ = (oldest_ + 1) % pipeline_.size();
  }
  if (now.clear) state_ = AccState{};
  if (now.valid) state_ = kernel_.step(state_, now.a, now.b);
  return state_;
}

} // namespace qmac::array
