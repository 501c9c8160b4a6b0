#include "toggle_top.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "qmac/cost/tool_error.h"

namespace qmac::cost::detail {
namespace {

constexpr const char* kFlipFlop = "$_DFF_P_";

// The PE top's ports and their widths in the toggle top.
const std::map<std::string, int>& pe_inputs() {
  static const std::map<std::string, int> kPorts{{"clk", 1},   {"rst", 1}, {"valid", 1},
                                                 {"clear", 1}, {"a", 16},  {"b", 16}};
  return kPorts;
}
const std::map<std::string, int>& pe_outputs() {
  static const std::map<std::string, int> kPorts{{"acc", 128}, {"flags", 4}};
  return kPorts;
}

std::string net(long bit) {
  if (bit == kConst0) return "1'b0";
  if (bit == kConst1) return "1'b1";
  return "n" + std::to_string(bit);
}

// The Verilog expression of a gate from its pins (Yosys's simcells.v
// semantics), or empty for a type that is not a simple gate.
std::string gate_expression(const NetlistCell& c) {
  auto p = [&](const char* pin) {
    const auto it = c.pins.find(pin);
    if (it == c.pins.end()) throw ToolError("cell " + c.type + " has no pin " + pin);
    return net(it->second);
  };
  const std::string& t = c.type;
  if (t == "$_BUF_") return p("A");
  if (t == "$_NOT_") return "~" + p("A");
  if (t == "$_AND_") return p("A") + " & " + p("B");
  if (t == "$_NAND_") return "~(" + p("A") + " & " + p("B") + ")";
  if (t == "$_OR_") return p("A") + " | " + p("B");
  if (t == "$_NOR_") return "~(" + p("A") + " | " + p("B") + ")";
  if (t == "$_XOR_") return p("A") + " ^ " + p("B");
  if (t == "$_XNOR_") return "~(" + p("A") + " ^ " + p("B") + ")";
  if (t == "$_ANDNOT_") return p("A") + " & ~" + p("B");
  if (t == "$_ORNOT_") return p("A") + " | ~" + p("B");
  if (t == "$_MUX_") return p("S") + " ? " + p("B") + " : " + p("A");
  if (t == "$_NMUX_") return "~(" + p("S") + " ? " + p("B") + " : " + p("A") + ")";
  if (t == "$_AOI3_") return "~((" + p("A") + " & " + p("B") + ") | " + p("C") + ")";
  if (t == "$_OAI3_") return "~((" + p("A") + " | " + p("B") + ") & " + p("C") + ")";
  if (t == "$_AOI4_")
    return "~((" + p("A") + " & " + p("B") + ") | (" + p("C") + " & " + p("D") + "))";
  if (t == "$_OAI4_")
    return "~((" + p("A") + " | " + p("B") + ") & (" + p("C") + " | " + p("D") + "))";
  return "";
}

long output_bit(const NetlistCell& c) {
  const auto it = c.pins.find(c.type == kFlipFlop ? "Q" : "Y");
  if (it == c.pins.end() || it->second < 0) throw ToolError("cell " + c.type + " drives no net");
  return it->second;
}

void check_identifier(const std::string& name) {
  const bool ok = !name.empty() &&
                  (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                  std::all_of(name.begin(), name.end(), [](char ch) {
                    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
                  });
  if (!ok) throw ToolError("netlist port '" + name + "' is not a plain Verilog identifier");
}

// Port declarations, the input register and the nets the ports drive.
void write_ports(const Netlist& n, std::ostringstream& head, std::ostringstream& decl,
                 std::ostringstream& body, std::set<long>& driven, long& clk_bit) {
  decl << "  reg [0:0] q_rst, q_valid, q_clear;\n  reg [15:0] q_a, q_b;\n";
  body << "  always @(posedge clk) begin\n"
       << "    q_rst <= rst; q_valid <= valid; q_clear <= clear; q_a <= a; q_b <= b;\n"
       << "  end\n";
  head << "module " << kToggleTopModule << " (\n";
  for (const auto& [name, width] : pe_inputs())
    head << "    input wire [" << width - 1 << ":0] " << name << ",\n";
  for (const auto& [name, width] : pe_outputs())
    head << "    output wire [" << width - 1 << ":0] " << name << ",\n";
  for (const NetlistPort& port : n.ports) {
    check_identifier(port.name);
    const auto& known = port.input ? pe_inputs() : pe_outputs();
    const auto it = known.find(port.name);
    if (it == known.end() || int(port.bits.size()) > it->second)
      throw ToolError("netlist port '" + port.name + "' is not one of the PE top's ports");
    for (size_t i = 0; i < port.bits.size(); ++i) {
      const long bit = port.bits[i];
      const std::string at = port.name + "[" + std::to_string(i) + "]";
      if (!port.input) {
        body << "  assign " << at << " = " << net(bit) << ";\n";
      } else if (bit >= 0 && driven.insert(bit).second) {
        if (port.name == "clk") clk_bit = bit;
        decl << "  wire " << net(bit) << ";\n";
        body << "  assign " << net(bit) << " = " << (port.name == "clk" ? "" : "q_") << at << ";\n";
      }
    }
  }
  // Output bits no netlist port drives read 0.
  for (const auto& [name, width] : pe_outputs()) {
    const bool present = std::any_of(n.ports.begin(), n.ports.end(),
                                     [&](const NetlistPort& p) { return p.name == name; });
    if (!present) body << "  assign " << name << " = 0;\n";
  }
}

} // namespace

ToggleTop toggle_top_verilog(const Netlist& n) {
  ToggleTop top;
  std::ostringstream head, decl, body; // declarations before any use
  std::set<long> driven;
  long clk_bit = kConst0;
  write_ports(n, head, decl, body, driven, clk_bit);

  // Cells by type: the probe's groups.
  std::map<std::string, std::vector<const NetlistCell*>> by_type;
  for (const NetlistCell& c : n.cells)
    by_type[c.type].push_back(&c);

  std::ostringstream flops;
  std::vector<std::pair<size_t, long>> probe; // probe bit -> net
  for (const auto& [type, cells] : by_type) {
    ProbeGroup g{type, top.probe_words, (cells.size() + 31) / 32, long(cells.size())};
    for (size_t i = 0; i < cells.size(); ++i) {
      const NetlistCell& c = *cells[i];
      const long out = output_bit(c);
      if (!driven.insert(out).second) throw ToolError("net " + net(out) + " has two drivers");
      if (type == kFlipFlop) {
        if (c.pins.count("C") == 0 || c.pins.at("C") != clk_bit)
          throw ToolError("a flip-flop is clocked by something other than the top's clk");
        decl << "  reg " << net(out) << ";\n";
        flops << "    " << net(out) << " <= " << net(c.pins.at("D")) << ";\n";
        ++top.flip_flops;
      } else {
        const std::string e = gate_expression(c);
        if (e.empty())
          throw ToolError("cell type " + type + " is not a gate the energy flow can simulate");
        decl << "  wire " << net(out) << ";\n";
        body << "  assign " << net(out) << " = " << e << ";\n";
      }
      probe.emplace_back(g.first_word * 32 + i, out);
    }
    top.groups.push_back(g);
    top.probe_words += g.words;
  }
  if (top.probe_words == 0) top.probe_words = 1; // an empty netlist still has a port

  // Nets read but driven by nothing (Yosys leaves none; be safe) read 0.
  std::set<long> read;
  for (const NetlistCell& c : n.cells)
    for (const auto& [pin, bit] : c.pins)
      read.insert(bit);
  for (const NetlistPort& port : n.ports)
    if (!port.input) read.insert(port.bits.begin(), port.bits.end());
  for (long bit : read)
    if (bit >= 0 && !driven.count(bit)) decl << "  wire " << net(bit) << " = 1'b0;\n";

  const size_t bits = top.probe_words * 32;
  head << "    output wire [" << bits - 1 << ":0] probe\n);\n";
  body << "  always @(posedge clk) begin\n" << flops.str() << "  end\n";
  top.bit_names.assign(bits, "");
  top.bit_types.assign(bits, "");
  std::vector<bool> used(bits, false);
  for (const auto& [bit, out] : probe) {
    body << "  assign probe[" << bit << "] = " << net(out) << ";\n";
    const auto name = n.net_names.find(out);
    top.bit_names[bit] = name != n.net_names.end() ? name->second : net(out);
    used[bit] = true;
  }
  for (const ProbeGroup& g : top.groups)
    for (size_t b = g.first_word * 32; b < (g.first_word + g.words) * 32; ++b)
      top.bit_types[b] = g.type;
  for (size_t b = 0; b < bits; ++b)
    if (!used[b]) body << "  assign probe[" << b << "] = 1'b0;\n";
  top.verilog = "// Generated by qmac (model/cost/src/toggle_top.cpp) from Yosys's netlist of " +
                n.top + ".\n/* verilator lint_off UNUSEDSIGNAL */\n" + head.str() + decl.str() +
                body.str() + "endmodule\n";
  return top;
}

} // namespace qmac::cost::detail
