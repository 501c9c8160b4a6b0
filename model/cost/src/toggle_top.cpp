#include "toggle_top.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "qmac/cost/tool_error.h"

namespace qmac::cost::detail {
namespace {

constexpr const char* kFlipFlop = "$_DFF_P_";

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

// Port declarations, the input register and the nets the ports drive: the
// interface's inputs packed into data_in (registered into q_in), its outputs
// into data_out.
void write_ports(const Netlist& n, const TopInterface& top, std::ostringstream& head,
                 std::ostringstream& decl, std::ostringstream& body, std::set<long>& driven,
                 long& clk_bit) {
  const int in_bits = std::max(1, top.input_bits()), out_bits = std::max(1, top.output_bits());
  decl << "  reg [" << in_bits - 1 << ":0] q_in;\n";
  body << "  always @(posedge clk) q_in <= data_in;\n";
  head << "module " << kToggleTopModule << " (\n"
       << "    input wire clk,\n"
       << "    input wire [" << in_bits - 1 << ":0] data_in,\n"
       << "    output wire [" << out_bits - 1 << ":0] data_out,\n";
  std::vector<bool> out_driven(size_t(out_bits), false);
  for (const NetlistPort& port : n.ports) {
    check_identifier(port.name);
    int offset = 0;
    const TopPort* known = port.name == "clk" ? nullptr
                                              : find_top_port(port.input ? top.inputs : top.outputs,
                                                              port.name, offset);
    if (port.name == "clk" ? !port.input || port.bits.size() != 1
                           : !known || int(port.bits.size()) > known->width)
      throw ToolError("netlist port '" + port.name + "' is not one of the " + top.name +
                      " top's ports");
    for (size_t i = 0; i < port.bits.size(); ++i) {
      const long bit = port.bits[i];
      const int at = offset + int(i);
      if (!port.input) {
        body << "  assign data_out[" << at << "] = " << net(bit) << ";\n";
        out_driven[size_t(at)] = true;
      } else if (bit >= 0 && driven.insert(bit).second) {
        decl << "  wire " << net(bit) << ";\n";
        if (port.name == "clk") {
          clk_bit = bit;
          body << "  assign " << net(bit) << " = clk;\n";
        } else {
          body << "  assign " << net(bit) << " = q_in[" << at << "];\n";
        }
      }
    }
  }
  // Output bits no netlist port drives read 0.
  for (size_t b = 0; b < out_driven.size(); ++b)
    if (!out_driven[b]) body << "  assign data_out[" << b << "] = 1'b0;\n";
}

} // namespace

ToggleTop toggle_top_verilog(const Netlist& n, const TopInterface& interface) {
  ToggleTop top;
  std::ostringstream head, decl, body; // declarations before any use
  std::set<long> driven;
  long clk_bit = kConst0;
  write_ports(n, interface, head, decl, body, driven, clk_bit);

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
