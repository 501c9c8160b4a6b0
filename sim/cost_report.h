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
#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"

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

// A dot-product unit's cost (qmac cost --unit and the sweep's unit points):
// the analytical model and, when asked and the RTL builds the unit, the
// synthesized rtl/qmac_dot_pe and its energy per product on an operand
// stream. InputError for a unit the gate model does not take (n = all).
struct DotCostRequest {
  std::string unit_text;                    // as `qmac dot --unit` takes it
  dot::DotInput a = Format(), b = Format(); // element or block formats
  AccumulatorSpec out;
  int pipeline = 1;
  bool synthesize = true;
  bool measure_energy = false; // the toggle simulation (needs synthesis)
  cost::StreamOptions stream;  // its operands: macs counts products
};
struct DotCostReport {
  dot::DotUnit unit;
  cost::GateCount gates;
  std::optional<cost::SynthesisResult> synthesis;
  std::optional<cost::EnergyResult> energy;
  std::string no_rtl; // why the RTL does not build the unit (empty: not asked)
};
DotCostReport measure_dot_cost(const DotCostRequest& request);

// qmac cost --unit UNIT (cost_dot_unit.cpp): a dot-product unit's cost.
int cost_dot_unit(const Args& args);

class Json;
// The JSON pieces both cost commands share: the synthesized cell counts and
// the Yosys version; an energy object's opening keys (unit, the parts,
// pj_estimate, data), `per` naming what the toggles are counted per.
void synthesis_cells_json(Json& j, const cost::SynthesisResult& s);
void energy_parts_json(Json& j, const cost::EnergyResult& e, cost::OperandData data,
                       const char* per);

// The text output's pieces both cost commands share: a number with a fixed
// number of decimals, and --explain's line per gate-model term.
std::string fixed(double v, int decimals = 0);
std::vector<std::string> explain_lines(const cost::GateCount& gates);

} // namespace qmac::cli
