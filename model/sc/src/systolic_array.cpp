#include "qmac/sc/systolic_array.h"

#include <stdexcept>

namespace qmac::sc {
namespace {

uint64_t power_of_two_above(uint64_t n) {
  uint64_t p = 1;
  while (p <= n)
    p <<= 1;
  return p;
}

} // namespace

SystolicArray::SystolicArray(const sc_core::sc_module_name& name, const array::ArrayConfig& config)
    : ArrayModule(name), config_(config), R_(config.rows), C_(config.cols),
      P_(uint32_t(config.pipeline)), L_(config.latency()), kernel_(config.a, config.b, config.acc) {
  array::validate(config_);
  const uint64_t depth = power_of_two_above(R_ + C_ + P_ + 2);
  history_.assign(depth, idle_beat(config_));
  history_mask_ = depth - 1;
  const size_t pes = size_t(R_) * C_;
  sum_.assign(pes, AccState{});
  if (config_.dataflow == array::Dataflow::WeightStationary) {
    for (int b = 0; b < 2; ++b) {
      weight_[b].assign(pes, 0);
      present_[b].assign(pes, 0);
    }
  } else {
    drain_.assign(pes, AccState{});
    hold_.assign(pes, AccState{});
    drain_valid_.assign(pes, 0);
    hold_valid_.assign(pes, 0);
    has_sum_.assign(pes, 0);
  }
  bottom_.assign(depth * C_, AccState{});
  bottom_valid_.assign(depth, 0);
  next_out_ = idle_output(config_);
  SC_HAS_PROCESS(SystolicArray);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void SystolicArray::trace(sc_core::sc_trace_file* tf) const {
  for (uint32_t r = 0; r < R_; ++r)
    for (uint32_t c = 0; c < C_; ++c)
      sc_trace(tf, sum_[r * C_ + c],
               std::string(name()) + ".pe_" + std::to_string(r) + "_" + std::to_string(c));
}

void SystolicArray::reset() {
  std::fill(history_.begin(), history_.end(), idle_beat(config_));
  std::fill(sum_.begin(), sum_.end(), AccState{});
  for (int b = 0; b < 2; ++b) {
    std::fill(weight_[b].begin(), weight_[b].end(), 0);
    std::fill(present_[b].begin(), present_[b].end(), 0);
  }
  pending_.clear();
  std::fill(drain_.begin(), drain_.end(), AccState{});
  std::fill(hold_.begin(), hold_.end(), AccState{});
  std::fill(drain_valid_.begin(), drain_valid_.end(), 0);
  std::fill(hold_valid_.begin(), hold_valid_.end(), 0);
  std::fill(has_sum_.begin(), has_sum_.end(), 0);
  std::fill(bottom_.begin(), bottom_.end(), AccState{});
  std::fill(bottom_valid_.begin(), bottom_valid_.end(), 0);
  next_out_.valid = false;
  std::fill(next_out_.value.begin(), next_out_.value.end(), AccState{});
  out.write(next_out_);
}

void SystolicArray::on_edge() {
  if (rst.read()) {
    reset();
    edge_ = 1;
    last_beat_ = 0;
    return;
  }
  const uint64_t e = edge_++;
  ArrayBeat& sampled = history_[e & history_mask_];
  sampled = in.read();
  const bool ws = config_.dataflow == array::Dataflow::WeightStationary;
  if (sampled.beat &&
      (sampled.a.size() != R_ || (ws ? sampled.psum.size() : sampled.b.size()) != C_))
    throw std::logic_error(std::string(name()) + ": beat with the wrong number of operands");
  // With no beat anywhere in the array and no weight write pending, no
  // register but the outputs' deskew lines changes: skip the PEs.
  if (sampled.beat) last_beat_ = e;
  if (ws) {
    const WeightWrite& w = weights.read();
    if (w.we) pending_.emplace_back(e + P_ + 1, w);
  }
  const bool idle = e > last_beat_ + R_ + C_ + P_ + 1 && pending_.empty();
  if (!idle && ws)
    weight_stationary_edge(e);
  else if (!idle)
    output_stationary_edge(e);
  else { // the bottom row as it was
    const size_t slot = size_t(e & history_mask_);
    std::copy(bottom_.begin() + ((e - 1) & history_mask_) * C_,
              bottom_.begin() + ((e - 1) & history_mask_) * C_ + C_, bottom_.begin() + slot * C_);
    bottom_valid_[slot] = bottom_valid_[(e - 1) & history_mask_];
  }
  drive_outputs(e);
}

void SystolicArray::weight_stationary_edge(uint64_t e) {
  while (!pending_.empty() && pending_.front().first <= e) {
    const WeightWrite& w = pending_.front().second;
    if (w.row < R_) {
      const int b = w.buf;
      for (uint32_t c = 0; c < C_; ++c) {
        weight_[b][w.row * C_ + c] = c < w.data.size() ? w.data[c] : 0;
        present_[b][w.row * C_ + c] = c < w.present.size() ? w.present[c] : 0;
      }
    }
    pending_.pop_front();
  }
  // Bottom row first: each PE reads the sum register above it as it was
  // before this edge.
  for (uint32_t r = R_; r-- > 0;) {
    for (uint32_t c = 0; c < C_; ++c) {
      const ArrayBeat& beat = beat_at(e - r - c - P_ - 1);
      if (!beat.beat) continue;
      const size_t pe = size_t(r) * C_ + c;
      const AccState& above = r ? sum_[pe - C_] : beat.psum[c];
      sum_[pe] =
          present_[beat.sel][pe] ? kernel_.step(above, beat.a[r], weight_[beat.sel][pe]) : above;
    }
  }
  const size_t slot = size_t(e & history_mask_);
  std::copy(sum_.end() - C_, sum_.end(), bottom_.begin() + slot * C_);
  bottom_valid_[slot] = beat_at(e - (R_ - 1) - P_ - 1).beat; // column 0's bottom PE
}

void SystolicArray::output_stationary_edge(uint64_t e) {
  const AccState zero{};
  for (uint32_t r = R_; r-- > 0;) {
    for (uint32_t c = 0; c < C_; ++c) {
      const ArrayBeat& beat = beat_at(e - r - c - P_ - 1);
      if (!beat.beat) continue;
      const size_t pe = size_t(r) * C_ + c;
      // The drain is a shift register of two stages per PE: `drain` faces
      // the PE below, `hold` takes the drain of the PE above (as it was
      // after the PE above took this same beat, one edge earlier).
      const AccState above = r ? drain_[pe - C_] : zero;
      const uint8_t above_valid = r ? drain_valid_[pe - C_] : 0;
      if (beat.first) {
        drain_[pe] = sum_[pe];
        drain_valid_[pe] = has_sum_[pe];
        sum_[pe] = beat.mac ? kernel_.step(zero, beat.a[r], beat.b[c]) : zero;
        has_sum_[pe] = 1;
      } else {
        drain_[pe] = hold_[pe];
        drain_valid_[pe] = hold_valid_[pe];
        if (beat.mac) sum_[pe] = kernel_.step(sum_[pe], beat.a[r], beat.b[c]);
      }
      hold_[pe] = above;
      hold_valid_[pe] = above_valid;
    }
  }
  const size_t slot = size_t(e & history_mask_);
  std::copy(drain_.end() - C_, drain_.end(), bottom_.begin() + slot * C_);
  bottom_valid_[slot] = drain_valid_[size_t(R_ - 1) * C_]; // column 0
}

void SystolicArray::drive_outputs(uint64_t e) {
  // Column c's deskew line shows the bottom register of C - 1 - c edges ago;
  // valid comes with column 0's, C - 1 edges ago, and a beat must be there.
  for (uint32_t c = 0; c < C_; ++c)
    next_out_.value[c] = bottom_[size_t((e - (C_ - 1 - c)) & history_mask_) * C_ + c];
  next_out_.valid = beat_at(e - L_).beat && bottom_valid_[(e - (C_ - 1)) & history_mask_];
  out.write(next_out_);
}

} // namespace qmac::sc
