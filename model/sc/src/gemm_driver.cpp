#include "qmac/sc/gemm_driver.h"

#include <algorithm>
#include <stdexcept>

namespace qmac::sc {

using array::Dataflow;

GemmDriver::GemmDriver(const sc_core::sc_module_name& name, const array::ArrayConfig& config)
    : sc_module(name), config_(config), R_(config.rows), C_(config.cols) {
  array::validate(config_);
  next_beat_ = idle_beat(config_);
  next_weights_ = idle_weights(config_);
  SC_HAS_PROCESS(GemmDriver);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void GemmDriver::start(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                       const std::vector<uint32_t>& B) {
  array::validate(gemm);
  if (A.size() != gemm.M * gemm.K || B.size() != gemm.K * gemm.N)
    throw std::logic_error("GemmDriver::start: operand sizes do not match the GEMM");
  gemm_ = gemm;
  A_ = &A;
  B_ = &B;
  const bool ws = config_.dataflow == Dataflow::WeightStationary;
  k_tiles_ = ws ? array::ceil_div(gemm.K, R_) : 1;
  n_tiles_ = array::ceil_div(gemm.N, C_);
  tiles_ = ws ? k_tiles_ * n_tiles_ : array::ceil_div(gemm.M, R_) * n_tiles_;
  armed_ = true;
  done_ = false;
  edge_ = -1;
  issue_tile_ = issue_beat_ = 0;
  load_tile_ = load_row_ = 0;
  loading_ = false;
  loaded_tile_[0] = loaded_tile_[1] = -1;
  done_tile_ = done_beat_ = 0;
  last_progress_ = 0;
  acc_buffer_.assign(ws ? gemm.M * C_ : 0, AccState{});
  results_.assign(gemm.M * gemm.N, AccState{});
  run_ = array::ArrayRun{};
  run_.macs = gemm.macs();
  run_.tiles = tiles_;
}

GemmDriver::TileShape GemmDriver::ws_tile(uint64_t t) const {
  const uint64_t kt = t % k_tiles_, nt = t / k_tiles_;
  TileShape s{0, kt * R_, nt * C_, 0, 0, kt > 0};
  s.rows = std::min<uint64_t>(R_, gemm_.K - s.k0);
  s.cols = std::min<uint64_t>(C_, gemm_.N - s.n0);
  return s;
}

GemmDriver::TileShape GemmDriver::os_tile(uint64_t t) const {
  TileShape s{(t / n_tiles_) * R_, 0, (t % n_tiles_) * C_, 0, 0, false};
  s.rows = std::min<uint64_t>(R_, gemm_.M - s.m0);
  s.cols = std::min<uint64_t>(C_, gemm_.N - s.n0);
  return s;
}

void GemmDriver::on_edge() {
  if (!armed_) return;
  if (edge_ == -1) { // one reset edge, then the first inputs
    rst.write(true);
    edge_ = 0;
    return;
  }
  if (edge_ == 0) rst.write(false);
  // Results registered at the last edge first: the controller decides on them.
  const ArrayOutput& o = out.read();
  o_valid_ = o.valid;
  collect(o);
  if (done_tile_ == tiles_) {
    // The last result was registered at the previous edge: edge_ - 1 edges
    // after the first one that sampled an input (edge 1).
    run_.cycles = uint64_t(edge_ - 1);
    armed_ = false;
    done_ = true;
    next_beat_.beat = false;
    next_weights_.we = false;
    beat.write(next_beat_);
    weights.write(next_weights_);
    sc_core::sc_pause();
    return;
  }
  if (config_.dataflow == Dataflow::WeightStationary)
    drive_ws();
  else
    drive_os();
  // A controller bug or a broken array must not hang the simulation: nothing
  // issued, loaded or collected for longer than any result can take.
  if (next_beat_.beat || next_weights_.we || o_valid_) last_progress_ = edge_;
  if (edge_ - last_progress_ > int64_t(2 * config_.latency() + 2 * R_ + 16))
    throw std::runtime_error(std::string(name()) + ": no progress for " +
                             std::to_string(edge_ - last_progress_) + " cycles at cycle " +
                             std::to_string(edge_) + " (results missing from the array)");
  ++edge_;
}

void GemmDriver::collect(const ArrayOutput& o) {
  if (!o.valid || edge_ == 0 || done_tile_ >= tiles_) return;
  if (config_.dataflow == Dataflow::WeightStationary) {
    // Results come in beat order: tile done_tile_, row done_beat_ of A.
    const TileShape t = ws_tile(done_tile_);
    const uint64_t m = done_beat_;
    const bool last_k = t.k0 + t.rows == gemm_.K;
    for (uint64_t c = 0; c < t.cols; ++c) {
      if (last_k)
        results_[m * gemm_.N + t.n0 + c] = o.value[c];
      else
        acc_buffer_[m * C_ + c] = o.value[c];
    }
    run_.traffic.acc_writes += t.cols;
    if (++done_beat_ == gemm_.M) done_beat_ = 0, ++done_tile_;
    return;
  }
  // OS: the drain of tile done_tile_ shows its rows last first.
  const TileShape t = os_tile(done_tile_);
  const uint64_t row = R_ - 1 - done_beat_;
  if (row < t.rows) {
    for (uint64_t c = 0; c < t.cols; ++c)
      results_[(t.m0 + row) * gemm_.N + t.n0 + c] = o.value[c];
    run_.traffic.acc_writes += t.cols;
  }
  if (++done_beat_ == R_) done_beat_ = 0, ++done_tile_;
}

bool GemmDriver::ws_weights_in(uint64_t t) const {
  // The last row was presented at an earlier edge, so it is in before this
  // edge's beat is sampled.
  const int b = int(t % 2);
  return loaded_tile_[b] == int64_t(t) && loaded_edge_[b] < edge_;
}

bool GemmDriver::ws_sum_ready(uint64_t t, uint64_t m) const {
  // Tile t - 1's result for row m is in the accumulation buffer.
  return done_tile_ > t - 1 || (done_tile_ == t - 1 && done_beat_ > m);
}

void GemmDriver::drive_ws() {
  // Beats: tile issue_tile_, row issue_beat_ of A.
  next_beat_.beat = false;
  if (issue_tile_ < tiles_) {
    const TileShape t = ws_tile(issue_tile_);
    const uint64_t m = issue_beat_;
    if ((m > 0 || ws_weights_in(issue_tile_)) && (!t.continues || ws_sum_ready(issue_tile_, m))) {
      next_beat_.beat = true;
      next_beat_.sel = issue_tile_ % 2;
      const uint32_t* row = A_->data() + m * gemm_.K + t.k0;
      for (uint32_t r = 0; r < R_; ++r)
        next_beat_.a[r] = r < t.rows ? row[r] : 0;
      for (uint32_t c = 0; c < C_; ++c)
        next_beat_.psum[c] = t.continues && c < t.cols ? acc_buffer_[m * C_ + c] : AccState{};
      run_.traffic.a_reads += t.rows;
      if (t.continues) run_.traffic.acc_reads += t.cols;
      if (++issue_beat_ == gemm_.M) issue_beat_ = 0, ++issue_tile_;
    }
  }
  // Weights: one row per edge into the buffer of tile load_tile_, which is free
  // once tile load_tile_ - 2 has delivered all its results.
  next_weights_.we = false;
  if (!loading_ && load_tile_ < tiles_ && (load_tile_ < 2 || done_tile_ > load_tile_ - 2)) {
    loading_ = true;
    load_row_ = 0;
  }
  if (loading_) {
    const TileShape t = ws_tile(load_tile_);
    const uint64_t r = load_row_;
    next_weights_.we = true;
    next_weights_.buf = load_tile_ % 2;
    next_weights_.row = uint32_t(r);
    for (uint32_t c = 0; c < C_; ++c) {
      const bool present = r < t.rows && c < t.cols;
      next_weights_.present[c] = present;
      next_weights_.data[c] = present ? (*B_)[(t.k0 + r) * gemm_.N + t.n0 + c] : 0;
      run_.traffic.b_reads += present;
    }
    if (++load_row_ == R_) {
      loading_ = false;
      loaded_tile_[load_tile_ % 2] = int64_t(load_tile_);
      loaded_edge_[load_tile_ % 2] = edge_;
      ++load_tile_;
    }
  }
  beat.write(next_beat_);
  weights.write(next_weights_);
}

void GemmDriver::drive_os() {
  // Tiles of max(K, R) beats, then one flush tile of R beats.
  next_beat_.beat = false;
  if (issue_tile_ <= tiles_) {
    const bool flush = issue_tile_ == tiles_;
    const uint64_t beats = flush ? R_ : std::max<uint64_t>(gemm_.K, R_);
    const uint64_t k = issue_beat_;
    next_beat_.beat = true;
    next_beat_.first = k == 0;
    next_beat_.mac = !flush && k < gemm_.K;
    const TileShape t = flush ? TileShape{0, 0, 0, 0, 0, false} : os_tile(issue_tile_);
    for (uint32_t r = 0; r < R_; ++r)
      next_beat_.a[r] = next_beat_.mac && r < t.rows ? (*A_)[(t.m0 + r) * gemm_.K + k] : 0;
    for (uint32_t c = 0; c < C_; ++c)
      next_beat_.b[c] = next_beat_.mac && c < t.cols ? (*B_)[k * gemm_.N + t.n0 + c] : 0;
    if (next_beat_.mac) {
      run_.traffic.a_reads += t.rows;
      run_.traffic.b_reads += t.cols;
    }
    if (++issue_beat_ == beats) issue_beat_ = 0, ++issue_tile_;
  }
  beat.write(next_beat_);
}

} // namespace qmac::sc
