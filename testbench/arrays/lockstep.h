// The pieces of the array lockstep check (an RTL array next to the SystemC
// array on the same signals, every output bit compared after every edge),
// shared by the lockstep tests (tests/test_rtl_arrays.cpp) and the mutation
// runs of the arrays (testbench/mutation).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <systemc>

#include "qmac/array/array_config.h"
#include "qmac/sc/array_ports.h"

namespace qmac::rtl {

// Compares the SystemC array's and the RTL array's outputs after every rising
// edge (at the falling edge, and once more when a run pauses).
class OutputChecker : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst;
  sc_core::sc_in<sc::ArrayOutput> systemc, rtl;

  explicit OutputChecker(const sc_core::sc_module_name& name);

  void begin_run();
  // Compares the outputs of the last rising edge, if not done yet.
  void check();

  uint64_t mismatches() const { return mismatches_; }
  const std::string& first_mismatch() const { return first_mismatch_; }
  // The cycle (rising edges since the reset edge) of the last valid output:
  // [0] SystemC, [1] RTL; -1 if none this run.
  int64_t last_valid(int side) const { return last_valid_[side]; }
  // Rising edges since elaboration; and the edge of the first mismatch ever
  // seen (0 if none), begin_run notwithstanding.
  uint64_t edges() const { return edges_; }
  uint64_t first_mismatch_edge() const { return first_mismatch_edge_; }

private:
  void on_rising();

  uint64_t cycle_ = 0, edges_ = 0, first_mismatch_edge_ = 0;
  bool pending_ = false;
  uint64_t mismatches_ = 0;
  std::string first_mismatch_;
  int64_t last_valid_[2] = {-1, -1};
};

// Random port traffic, beyond what a GemmDriver sends: beats on random edges
// with random codes, sel, first, mac and partial sums (any register value
// with reachable flags), weight writes on random edges into either buffer and
// any row (beyond ROWS too), the buffer in use included, junk in every field
// the array must ignore, and resets on 1% of the edges (a reset must clear
// every weight and sum; at one edge in 700 a mutant array whose weights
// outlived a reset went unseen for 10^6 cycles).
class RandomPorts : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_out<bool> rst;
  sc_core::sc_out<sc::ArrayBeat> beat;
  sc_core::sc_out<sc::WeightWrite> weights;

  RandomPorts(const sc_core::sc_module_name& name, const array::ArrayConfig& config, uint64_t seed);
  // Beats on `beat_percent` of the edges (also writes on half that).
  void set_density(int beat_percent) { beat_percent_ = beat_percent; }

private:
  uint32_t code(const Format& f) { return uint32_t(rng_() & f.code_mask()); }
  AccState partial_sum();
  void on_edge();

  const array::ArrayConfig config_;
  std::mt19937_64 rng_;
  int beat_percent_ = 60;
  sc::ArrayBeat beat_;
  sc::WeightWrite weights_;
};

// Operand codes of a lockstep GEMM: uniform over the whole format (NaN and
// Inf included), or the largest positive finite ones (sums that overflow,
// saturate or reach Inf).
enum class Codes { Uniform, Large };
uint32_t draw(const Format& f, Codes codes, std::mt19937_64& rng);

// GEMM shapes below, at and above each side of the array, and 1 everywhere
// (M, K and N from {1, R - 1, R, R + 1, 2R + 3}, N's from the columns).
std::vector<array::Gemm> shapes_around(const array::ArrayConfig& config);

} // namespace qmac::rtl
