// Everything qmac cost knows about one MAC configuration: the analytical gate
// count, and where the RTL builds it, synthesis, energy on an operand stream,
// and throughput for one PE and for an array on each built-in workload.
// Shared by the report of one configuration and the Accelergy export.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qmac/array/cycle_model.h"
#include "qmac/cost/energy.h"
#include "qmac/cost/gate_model.h"
#include "qmac/cost/synthesis.h"
#include "qmac/cost/throughput.h"

namespace qmac::cli {

struct CostRequest {
  array::ArrayConfig array; // formats, accumulator, pipeline, and the array for throughput
  bool saturate = false, ftz = false;
  bool synthesize = true;     // Yosys (and so depth, frequency)
  bool energy = true;         // the toggle simulation (needs synthesis)
  cost::StreamOptions stream; // the energy's operands (dataflow follows the array's)
};

struct ArrayThroughput {
  std::string workload;
  array::ArrayRun run; // summed over the layers
  double utilization = 0;
  double energy_per_mac = 0; // toggle units per useful MAC, idle PEs' clock included
  cost::Efficiency efficiency;
};

struct CostReport {
  std::string unit_name; // A:B:ACC:pN[:sat][:ftz]
  cost::GateCount gates;
  double gates_relative = 0; // to int8 x int8 -> fx+12, the paper's baseline
  std::string no_rtl;        // why there is no synthesis, if there is none
  std::optional<cost::SynthesisResult> synthesis;
  double area_relative = 0; // to int8 x int8 -> fx+12 synthesized with the same pipeline
  std::optional<cost::EnergyResult> energy;
  std::optional<cost::Efficiency> pe; // one PE, one MAC per cycle
  std::vector<ArrayThroughput> arrays;
};

// InputError for what the user got wrong; ToolError when Yosys, Verilator
// or the compiler fails.
CostReport measure_cost(const CostRequest& request);

class Args;
// The request of `qmac cost`'s options (InputError for bad ones).
CostRequest cost_request(const Args& args);
// qmac cost --export accelergy DIR.
int export_cost_tables(const Args& args);

// qmac cost --unit UNIT (cost_dot_unit.cpp): a dot-product unit's cost.
int cost_dot_unit(const Args& args);

// The text output's pieces both cost commands share: a number with a fixed
// number of decimals, and --explain's line per gate-model term.
std::string fixed(double v, int decimals = 0);
std::vector<std::string> explain_lines(const cost::GateCount& gates);

} // namespace qmac::cli
