// The R x C MAC array, weight-stationary or output-stationary, as one clocked
// SystemC module: cycle-accurate at its ports and bit-exact in every PE.
//
// Timing (the contract the RTL arrays in rtl/ meet on the same edges; L = R +
// C + PIPELINE - 1 is ArrayConfig::latency()). A beat sampled at rising edge
// e0 reaches PE(r, c) at edge e0 + r + c, where its codes are registered; the
// product leaves the PE's PIPELINE registers and updates the PE's sum register
// at edge e0 + r + c + PIPELINE + 1; the bottom row's register is deskewed by
// C - 1 - c registers, so `out` shows the beat's results after edge e0 + L.
//
// Weight-stationary: PE(r, c) holds two weights (double buffering). A beat's
// `sel` picks the buffer; PE(r, c) computes psum_out = psum_in + a[r] * w,
// one accumulator step (DotKernel::step, flags included), or passes psum_in
// through when the weight is absent. The top row's psum_in is the beat's
// psum[c]. A weight row written at edge e is used by beats whose codes reach
// the PE at edge e or later. out.value[c] is the bottom register of column c.
//
// Output-stationary: PE(r, c) owns one sum. Each column's drain is a shift
// register of two stages per PE, `hold` and `drain`, moving one row per beat:
// at every beat hold <= the drain of the PE above (after that PE took the
// beat), and drain <= hold, except that a beat with `first` loads drain with
// the PE's finished sum and restarts the sum from +0. So the R beats of a
// tile that follow a tile show its sums at the bottom, last row first. `mac`
// beats add a[r] * b[c]. out.valid marks drained sums (none before the first
// tile).
//
// Between beats every register holds. rst (synchronous) clears everything:
// sums, weights (absent), the pipeline and the outputs.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>

#include "qmac/array/array_config.h"
#include "qmac/numerics/dot_kernel.h"
#include "qmac/sc/array_module.h"

namespace qmac::sc {

class SystolicArray : public ArrayModule {
public:
  SystolicArray(const sc_core::sc_module_name& name, const array::ArrayConfig& config);
  const char* kind() const override { return "qmac::sc::SystolicArray"; }
  const array::ArrayConfig& config() const { return config_; }

  // The PEs' sum registers (WS: partial sums; OS: running sums), row-major,
  // for waveforms and white-box tests.
  const std::vector<AccState>& sums() const { return sum_; }
  // Adds every PE's sum register to a waveform.
  void trace(sc_core::sc_trace_file* tf) const;

private:
  void on_edge();
  void reset();
  void weight_stationary_edge(uint64_t e);
  void output_stationary_edge(uint64_t e);
  void drive_outputs(uint64_t e);
  const ArrayBeat& beat_at(uint64_t e0) const { return history_[e0 & history_mask_]; }

  const array::ArrayConfig config_;
  const uint32_t R_, C_, P_, L_;
  const DotKernel kernel_;
  uint64_t edge_ = 0;      // index of the next rising edge; the reset edge is 0
  uint64_t last_beat_ = 0; // the last edge that sampled a beat

  // The beats sampled at the last history_.size() edges (a power of two above
  // the deepest skew): PE(r, c) reads the beat of edge e - r - c - P - 1, which
  // is what the RTL's skew and pipeline registers hold at that edge.
  std::vector<ArrayBeat> history_;
  uint64_t history_mask_ = 0;

  std::vector<AccState> sum_; // R*C
  // WS: weights per buffer, and writes waiting to become visible (a write is
  // applied P + 1 edges late, just before the sums that first use it).
  std::vector<uint32_t> weight_[2];
  std::vector<uint8_t> present_[2];
  std::deque<std::pair<uint64_t, WeightWrite>> pending_;
  // OS: the drain shift register (two stages per PE: drain faces the PE
  // below, hold takes the drain above), whether each stage holds a finished
  // sum, and whether each sum register holds a tile's sum.
  std::vector<AccState> drain_, hold_;
  std::vector<uint8_t> drain_valid_, hold_valid_, has_sum_;
  // The bottom row's register after each of the last edges (the deskew lines).
  std::vector<AccState> bottom_;
  std::vector<uint8_t> bottom_valid_;
  ArrayOutput next_out_;
};

} // namespace qmac::sc
