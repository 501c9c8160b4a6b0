// A flat gate-level netlist as Yosys writes it with `write_json`: ports and
// single-output cells over integer net ids. Internal to qmac_cost.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qmac::cost::detail {

// A bit is a Yosys net id (>= 2) or one of these constants. Undefined bits
// ("x", "z") read as 0, as Verilator's fast X handling would.
inline constexpr long kConst0 = -1;
inline constexpr long kConst1 = -2;

struct NetlistPort {
  std::string name;
  bool input = true;
  std::vector<long> bits; // LSB first
};

struct NetlistCell {
  std::string type;                 // "$_NAND_", "$_DFF_P_", ...
  std::map<std::string, long> pins; // pin name ("A", "Y", "Q", ...) -> bit
};

struct Netlist {
  std::string top;
  std::vector<NetlistPort> ports;
  std::vector<NetlistCell> cells;
  std::map<long, std::string> net_names; // a readable name per named net bit
};

// The top module of `write_json` output (the one marked top, else the only
// one). Throws ToolError for a hierarchical netlist or a multi-bit pin.
Netlist parse_yosys_netlist(std::string_view json);

} // namespace qmac::cost::detail
