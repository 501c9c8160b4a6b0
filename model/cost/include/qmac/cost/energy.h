// Energy per MAC from switching activity: a unit's PE synthesized to gates
// (synthesis.h), a realistic operand stream (operand_stream.h) through the
// Verilated netlist (toggles.h), every cell output's transitions weighed by
// its cell type.
//
// The unit is the toggle unit: one transition of the output of a cell of
// one NAND2-equivalent. A cell's switched capacitance is taken to be
// proportional to its area (gates::yosys_cell_weight, the same weights as
// the area figures): its output load and internal nodes both grow with it.
// Rises and falls count alike (each moves half of C*V^2).
//
//   logic     = toggles of gate outputs x gate weight
//   registers = toggles of flip-flop outputs x flip-flop weight (6)
//   clock     = flip-flops x cycles x kClockPerFlipFlop
//
// each divided by the MACs simulated (a dot-product unit: by the products,
// N per beat). A picojoule figure is derived with
// kPicojoulesPerToggleUnit (calibration below) and is an estimate only.
//
// Results are cached on disk (CACHE/energy/) by the simulator's key and the
// stream options; a failed run caches nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "qmac/cost/operand_stream.h"
#include "qmac/cost/toggles.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::cost {

// Clock energy: a flip-flop's clock pin and its internal clock inverters
// switch on both edges of every cycle whatever the data does. In
// standard-cell libraries that is roughly a third of a flip-flop's
// data-toggle energy, so one cycle of clock costs a third of a flip-flop's
// weight: 2 toggle units.
inline constexpr double kClockPerFlipFlop = 2.0;

// The picojoule estimate (45 nm, 0.9 V; M. Horowitz, "Computing's energy problem", ISSCC 2014),
// one scale for every configuration: the logic of int8:int8:int32 on
// uniform operands (output-stationary, K 256, 65536 MACs, seed 1) switches
// 370.9 toggle units per MAC, set equal to Horowitz's 8-bit multiply plus
// 32-bit add, 0.2 + 0.1 pJ. That is 0.8 fJ per NAND2-equivalent transition,
// about 1/2 C V^2 of a 45 nm NAND2 with its load (C near 2 fF), which is why
// one scale fitted to a MAC is believable. The fit absorbs the glitches the
// zero-delay count misses in int8 logic, not their variation across
// designs; the figure is indicative, never a measurement.
inline constexpr double kPicojoulesPerToggleUnit = 0.3 / 370.9;

struct EnergyOptions {
  StreamOptions stream;
  double clock_per_flip_flop = kClockPerFlipFlop;
  ToolOptions tools; // Verilator, compiler, Yosys, the cache
};

struct EnergyResult {
  std::string name; // the unit
  // Per MAC (a dot unit: per product), in toggle units.
  double per_mac = 0; // logic + registers + clock
  double logic = 0;
  double registers = 0;
  double clock = 0;
  double picojoules_estimate = 0; // per MAC: per_mac x kPicojoulesPerToggleUnit, an estimate
  double toggles_per_cycle = 0;   // transitions of cell outputs, unweighted
  long macs = 0;                  // a dot unit: products
  long cycles = 0;                // counted (the MACs or blocks and the pipeline drain)
  long flip_flops = 0;
  std::map<std::string, CellActivity> by_type;
  std::string last_acc; // the register after the stream, 32 hex digits
  double netlist_seconds = 0, build_seconds = 0, simulate_seconds = 0; // of the run that counted
  double seconds = 0;                                                  // this call
  bool from_cache = false;
  std::string key;
};

// Throws InputError for bad stream options, ToolError when a tool fails.
EnergyResult estimate_energy(const rtl::Unit& unit, const EnergyOptions& options = {});
EnergyResult estimate_energy(std::string_view unit_name, const EnergyOptions& options = {});
// A dot-product unit's PE (dot_design) on dot_operand_stream: per product.
// The stream options' macs count products.
EnergyResult estimate_energy(const rtl::DotRtlUnit& unit, const EnergyOptions& options = {});

// The per-MAC figures from raw counts (what estimate_energy does after
// counting, and again on every cache hit).
EnergyResult weigh_toggles(const ToggleCounts& counts, long macs, double clock_per_flip_flop);

} // namespace qmac::cost
