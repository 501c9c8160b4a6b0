// The RTL MAC arrays (rtl/qmac_array_ws.v, rtl/qmac_array_os.v), Verilated
// once per configuration of testbench/arrays/arrays.txt, as SystemC modules
// with exactly the ports of qmac::sc::SystolicArray (sc::ArrayModule): bind one to the signals
// of an sc::ArraySimulation and its `out` equals the SystemC array's after
// every rising edge.
//
// Configurations are keyed "UNIT RxC ws|os" with UNIT a canonical unit name
// (model/units/include/qmac/units/rtl_unit.h: A:B:ACC[:pN][:sat][:ftz], pipeline 1 unless
// :pN), e.g. "int8:int8:int32 4x4 ws" or "e4m3fn:e4m3fn:fp16:p2 4x3 ws".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>

#include "qmac/array/array_config.h"
#include "qmac/sc/array_module.h"

namespace qmac::rtl {

// One Verilated array behind the SystolicArray ports. On every rising edge it
// applies the port values sampled at that edge (rst, in, weights) to the
// Verilated model, clocks it once and writes the model's outputs to `out`.
// The ports are ArrayModule's, so an sc::ArraySimulation can own and drive
// one in place of the SystemC model (qmac bench --array does).
class RtlArray : public sc::ArrayModule {
public:
  const char* kind() const override { return "qmac::rtl::RtlArray"; }
  const array::ArrayConfig& config() const { return config_; }
  // Rising edges the model has been clocked (reset edges included).
  uint64_t edges() const { return edges_; }
  // A VCD waveform of every RTL signal from the next edge on, closed by
  // stop_trace or destruction. Only arrays built with --trace (cmake
  // -DQMAC_RTL_ARRAY_TRACE=ON) have one; the others throw std::logic_error.
  virtual void start_trace(const std::string& path) = 0;
  virtual void stop_trace() = 0;

protected:
  RtlArray(const sc_core::sc_module_name& name, const array::ArrayConfig& config);
  // One rising edge of the Verilated model with these inputs; `out` receives
  // the registered outputs after it. WS ignores first/mac/b; OS ignores sel,
  // psum and the weights.
  virtual void clock(bool rst, const sc::ArrayBeat& in, const sc::WeightWrite& weights,
                     sc::ArrayOutput& out) = 0;

private:
  void on_edge();

  const array::ArrayConfig config_;
  sc::ArrayOutput next_out_;
  uint64_t edges_ = 0;
};

// A compiled array: its key, its configuration, and a factory.
struct ArrayEntry {
  std::string key;           // "UNIT RxC ws|os", canonical
  array::ArrayConfig config; // parse_array_key(key)
  std::function<std::unique_ptr<RtlArray>(const char* name)> make;
  std::string fault; // faulty_arrays(): the QMAC_FAULT_* built in (lower case)
};

// The arrays built into this binary (testbench/arrays/arrays.txt).
const std::vector<ArrayEntry>& compiled_arrays();
// The compiled array of this configuration; nullptr if not built.
const ArrayEntry* find_compiled_array(const array::ArrayConfig& config);
// Deliberately broken arrays kept to show that the lockstep check catches bugs:
// "array_skew" (rtl/qmac_array_*.v: the last row's codes one cycle late) and
// "truncate" (rtl/qmac_acc_float.v: truncation instead of rounding).
const std::vector<ArrayEntry>& faulty_arrays();

// "UNIT RxC ws|os" -> ArrayConfig (InputError naming what is wrong, including
// units the RTL does not implement and pipelines outside 0..3).
array::ArrayConfig parse_array_key(std::string_view key);
// The canonical key of a configuration (InputError if the RTL cannot build it).
std::string array_key(const array::ArrayConfig& config);
// Same array: sizes, dataflow, pipeline, formats and accumulator (names aside).
bool same_array(const array::ArrayConfig& x, const array::ArrayConfig& y);

} // namespace qmac::rtl
