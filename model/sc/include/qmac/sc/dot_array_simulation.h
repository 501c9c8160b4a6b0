// A complete SystemC simulation of one array of dot-product units: clock,
// the array (DotArray, or any DotArrayModule such as the Verilated RTL),
// the GEMM driver and the signals between them, elaborated once and then
// given any number of GEMMs (SystemC elaborates once per process: construct
// every simulation a program needs before the first run()).
//
// The driver follows qmac/array/dot_array.h's schedule: it issues the
// tiles' blocks in groups of L = PIPELINE + 1 interleaved tiles, pads the
// last block of K and the edge tiles with zero codes, and collects a
// tile's results when the array's output says valid; the run's cycles are
// the schedule edge after which the last tile was out, which
// analytic_dot_run gives in closed form.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "qmac/array/dot_array.h"
#include "qmac/sc/dot_array.h"

namespace qmac::sc {

class DotGemmDriver : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_out<bool> rst;
  sc_core::sc_out<DotArrayBeat> beat;
  sc_core::sc_in<DotArrayOutput> out;

  DotGemmDriver(const sc_core::sc_module_name& name, const array::DotArrayConfig& config);
  const char* kind() const override { return "qmac::sc::DotGemmDriver"; }

  // Arms C = A * B (A: M x K codes, B: K x N codes, row-major; kept by
  // reference until the run ends).
  void start(const array::Gemm& gemm, const std::vector<uint32_t>& A,
             const std::vector<uint32_t>& B);
  bool done() const { return done_; }
  const array::ArrayRun& run() const { return run_; }
  const std::vector<uint64_t>& results() const { return results_; } // M x N codes

private:
  void on_edge();
  DotArrayBeat beat_of(uint64_t i); // counts the A and B elements it reads

  const array::DotArrayConfig config_;
  array::Gemm gemm_;
  array::DotSchedule schedule_;
  const std::vector<uint32_t>* A_ = nullptr;
  const std::vector<uint32_t>* B_ = nullptr;
  bool armed_ = false, done_ = true;
  uint64_t step_ = 0;      // driver edges since start(): 0 asserts reset
  uint64_t collected_ = 0; // tiles whose results are in
  std::vector<uint64_t> results_;
  array::ArrayRun run_;
};

class DotArraySimulation {
public:
  // With a trace path, the ports go to a VCD waveform (path without .vcd).
  explicit DotArraySimulation(const array::DotArrayConfig& config,
                              const std::string& name = "dot_array",
                              const std::string& trace_path = "");
  // The same around another array module for `config` (the simulation owns it).
  DotArraySimulation(const array::DotArrayConfig& config, std::unique_ptr<DotArrayModule> array,
                     const std::string& name = "dot_array");
  ~DotArraySimulation();
  DotArraySimulation(const DotArraySimulation&) = delete;
  DotArraySimulation& operator=(const DotArraySimulation&) = delete;

  const array::DotArrayConfig& config() const { return config_; }
  // Simulates C = A * B to the last result; `results` (if given) receives
  // the M x N result codes.
  array::ArrayRun run(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                      const std::vector<uint32_t>& B, std::vector<uint64_t>* results = nullptr);

  // The signals, for a second array (the RTL) to bind next to this one.
  sc_core::sc_clock& clock() { return clk_; }
  sc_core::sc_signal<bool>& reset() { return rst_; }
  sc_core::sc_signal<DotArrayBeat>& beats() { return beat_; }
  sc_core::sc_signal<DotArrayOutput>& outputs() { return out_; }

private:
  void bind(const std::string& trace_path);

  array::DotArrayConfig config_;
  std::string name_;
  sc_core::sc_clock clk_;
  sc_core::sc_signal<bool> rst_;
  sc_core::sc_signal<DotArrayBeat> beat_;
  sc_core::sc_signal<DotArrayOutput> out_;
  std::unique_ptr<DotArrayModule> array_;
  std::unique_ptr<DotGemmDriver> driver_;
  sc_core::sc_trace_file* trace_ = nullptr;
};

// C = A * B through the golden dot engine, one dot product per output (c =
// +0, blocks of n along K): what every dot array must compute. M x N codes.
std::vector<uint64_t> golden_dot_gemm(const array::DotArrayConfig& config, const array::Gemm& gemm,
                                      const std::vector<uint32_t>& A,
                                      const std::vector<uint32_t>& B);

} // namespace qmac::sc
