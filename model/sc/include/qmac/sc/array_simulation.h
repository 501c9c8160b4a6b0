// A complete SystemC simulation of one MAC array: clock, the array (the
// SystolicArray model, or any ArrayModule such as a Verilated RTL array),
// GemmDriver and the signals between them, elaborated once and then given
// any number of GEMMs. SystemC elaborates once per process: construct every
// ArraySimulation a program needs before the first run().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "qmac/sc/gemm_driver.h"
#include "qmac/sc/systolic_array.h"

namespace qmac::sc {

class ArraySimulation {
public:
  // With a trace path, every port and PE register goes to a VCD waveform
  // (path without the .vcd SystemC appends).
  explicit ArraySimulation(const array::ArrayConfig& config, const std::string& name = "array",
                           const std::string& trace_path = "");
  // The same around another array module for `config` (the simulation owns it).
  ArraySimulation(const array::ArrayConfig& config, std::unique_ptr<ArrayModule> array,
                  const std::string& name = "array");
  ~ArraySimulation();
  ArraySimulation(const ArraySimulation&) = delete;
  ArraySimulation& operator=(const ArraySimulation&) = delete;

  const array::ArrayConfig& config() const { return config_; }
  // Simulates C = A * B (A: M x K codes, B: K x N codes, row-major) to the
  // last result; `results` (if given) receives the M x N registers.
  array::ArrayRun run(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                      const std::vector<uint32_t>& B, std::vector<AccState>* results = nullptr);

  // The signals, for a second array (the RTL) to bind next to this one.
  sc_core::sc_clock& clock() { return clk_; }
  sc_core::sc_signal<bool>& reset() { return rst_; }
  sc_core::sc_signal<ArrayBeat>& beats() { return beat_; }
  sc_core::sc_signal<WeightWrite>& weight_writes() { return weights_; }
  sc_core::sc_signal<ArrayOutput>& outputs() { return out_; }
  GemmDriver& driver() { return *driver_; }

private:
  array::ArrayConfig config_;
  std::string name_;
  sc_core::sc_clock clk_;
  sc_core::sc_signal<bool> rst_;
  sc_core::sc_signal<ArrayBeat> beat_;
  sc_core::sc_signal<WeightWrite> weights_;
  sc_core::sc_signal<ArrayOutput> out_;
  void bind(const std::string& trace_path);

  std::unique_ptr<ArrayModule> array_;
  SystolicArray* model_ = nullptr; // array_, if it is the SystemC model
  std::unique_ptr<GemmDriver> driver_;
  sc_core::sc_trace_file* trace_ = nullptr;
};

} // namespace qmac::sc
