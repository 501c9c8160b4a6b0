// The compiled toggle simulator of one design: Yosys's netlist of it,
// Verilated with the harness (model/cost/harness/toggle_harness.cpp), cached
// as a directory under CACHE/energy/sim-KEY/. Internal to qmac_cost.
#pragma once

#include <string>
#include <vector>

#include "qmac/cost/toggles.h"
#include "toggle_top.h"

namespace qmac::cost::detail {

struct ToggleSimulator {
  std::string executable; // the harness, linked with the netlist
  size_t probe_words = 0;
  std::vector<ProbeGroup> groups;     // cell types in probe order
  std::vector<std::string> bit_names; // per probe bit (empty: padding)
  long flip_flops = 0;
  double netlist_seconds = 0, build_seconds = 0;
  bool from_cache = false;
  std::string key;
};

// The simulator from the cache, or built (and cached unless
// options.synthesis.use_cache is false; then it lives in `scratch`, which
// the caller removes). ToolError quoting the failing tool.
ToggleSimulator toggle_simulator(const Design& design, const TopInterface& top,
                                 const ToolOptions& options, const std::string& scratch);

std::string simulator_key(const Design& design, const TopInterface& top,
                          const ToolOptions& options);

} // namespace qmac::cost::detail
