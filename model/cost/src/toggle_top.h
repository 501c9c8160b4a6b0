// The gate-level netlist as Verilog that Verilator can count toggles on.
// Internal to qmac_cost.
//
// Every cell output becomes one bit of a wide output port, `probe`, grouped
// by cell type, each group starting on a 32-bit word: the harness reads the
// port once per cycle and counts changed bits per word with popcount, and a
// word's type is known by construction. Cells are written as expressions
// (one `assign` per gate, one clocked block for all flip-flops) from
// Yosys's own netlist, so no primitive library is needed and no name is lost.
//
// The top has clk, the interface's inputs packed into data_in and its
// outputs into data_out (TopInterface, toggles.h). The inputs pass through a
// register, as they would leave a systolic array's operand registers:
// inputs, flip-flops and therefore every net settle once per rising edge,
// and one sample per cycle sees every zero-delay transition.
#pragma once

#include <string>
#include <vector>

#include "qmac/cost/toggles.h"
#include "yosys_netlist.h"

namespace qmac::cost::detail {

inline constexpr const char* kToggleTopModule = "qmac_toggle_top";

struct ProbeGroup {
  std::string type;  // Yosys cell type
  size_t first_word; // of `probe`
  size_t words;
  long cells;
};

struct ToggleTop {
  std::string verilog;
  size_t probe_words = 0;
  std::vector<ProbeGroup> groups;     // by type, in probe order
  std::vector<std::string> bit_names; // per probe bit: the net, empty for padding
  std::vector<std::string> bit_types; // per probe bit: the driving cell's type
  long flip_flops = 0;
};

// Throws ToolError for a cell type it cannot express (only Yosys's simple
// gates and $_DFF_P_ clocked by the top's clk are known), a port other than
// the interface's, or an identifier Verilog would need escaped.
ToggleTop toggle_top_verilog(const Netlist& netlist, const TopInterface& interface);

} // namespace qmac::cost::detail
