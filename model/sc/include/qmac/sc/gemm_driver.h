// The controller and buffers around a SystolicArray: it tiles one GEMM onto
// the array, feeds it through the array's ports, collects the results and
// counts cycles and buffer traffic. A controller that waits on what it can
// observe, not on a precomputed timetable:
//  - WS: weights are loaded one row per cycle into the buffer the tile after
//    next will use, once the tile that used it last has delivered its last
//    result; a tile's beats start once its weights are in, and a beat that
//    continues a sum waits until the previous k-tile's result for its row is
//    back in the accumulation buffer.
//  - OS: tiles stream back to back, max(K, R) beats each, then R flush beats.
// qmac::array::analytic_run derives the same cycle counts in closed form.
//
// One driver serves several GEMMs in one simulation (SystemC elaborates once):
// start() arms it, and the simulation pauses (sc_pause) when the last result
// is in. Each run begins with one reset edge.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "qmac/array/cycle_model.h"
#include "qmac/sc/array_ports.h"

namespace qmac::sc {

class GemmDriver : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_out<bool> rst;
  sc_core::sc_out<ArrayBeat> beat;
  sc_core::sc_out<WeightWrite> weights;
  sc_core::sc_in<ArrayOutput> out;

  GemmDriver(const sc_core::sc_module_name& name, const array::ArrayConfig& config);
  const char* kind() const override { return "qmac::sc::GemmDriver"; }

  // Arms a GEMM: A is M x K codes and B is K x N codes, row-major (kept by
  // reference until the run ends). Then sc_start() runs it.
  void start(const array::Gemm& gemm, const std::vector<uint32_t>& A,
             const std::vector<uint32_t>& B);
  bool done() const { return done_; }
  // After the run: cycles, MACs, tiles and traffic as analytic_run defines them.
  const array::ArrayRun& run() const { return run_; }
  // The registers of C = A * B, row-major M x N.
  const std::vector<AccState>& results() const { return results_; }

private:
  struct TileShape {
    uint64_t m0, k0, n0, rows, cols; // WS: rows = k extent; OS: rows = m extent
    bool continues;                  // WS: adds to the previous k-tile's sums
  };
  TileShape ws_tile(uint64_t t) const;
  TileShape os_tile(uint64_t t) const;
  void on_edge();
  void collect(const ArrayOutput& o);
  void drive_ws();
  void drive_os();
  bool ws_weights_in(uint64_t t) const;
  bool ws_sum_ready(uint64_t t, uint64_t m) const;

  const array::ArrayConfig config_;
  const uint32_t R_, C_;
  array::Gemm gemm_;
  const std::vector<uint32_t>* A_ = nullptr;
  const std::vector<uint32_t>* B_ = nullptr;
  uint64_t tiles_ = 0, k_tiles_ = 0, n_tiles_ = 0;

  bool armed_ = false, done_ = true;
  int64_t edge_ = 0; // driver edges since start(); -1 is the reset edge
  ArrayBeat next_beat_;
  WeightWrite next_weights_;
  // Issue: the tile and beat presented next.
  uint64_t issue_tile_ = 0, issue_beat_ = 0;
  // WS weight loading: the tile being loaded and its next row (loading_ says
  // whether a load is under way), and for each buffer the tile whose load
  // finished and the edge it finished on.
  uint64_t load_tile_ = 0, load_row_ = 0;
  bool loading_ = false;
  int64_t loaded_tile_[2] = {-1, -1}, loaded_edge_[2] = {0, 0};
  // Collection: the tile and beat (WS) or drain step (OS) of the next result.
  uint64_t done_tile_ = 0, done_beat_ = 0;
  bool o_valid_ = false;             // a result arrived at this edge
  int64_t last_progress_ = 0;        // the last edge that issued, loaded or collected
  std::vector<AccState> acc_buffer_; // WS: M x C partial sums of the current n-tile
  std::vector<AccState> results_;
  array::ArrayRun run_;
};

} // namespace qmac::sc
