#include "yosys_netlist.h"

#include "json_reader.h"
#include "qmac/cost/tool_error.h"

namespace qmac::cost::detail {
namespace {

long bit_of(const JsonValue& v) {
  if (v.is_number()) return long(v.number());
  return v.string() == "1" ? kConst1 : kConst0; // "0", "x", "z"
}

std::vector<long> bits_of(const JsonValue& list) {
  std::vector<long> bits;
  for (const JsonValue& v : list.array())
    bits.push_back(bit_of(v));
  return bits;
}

const JsonValue& top_module(const JsonValue& modules) {
  const JsonValue* only = nullptr;
  for (const auto& [name, module] : modules.object()) {
    if (const JsonValue* attrs = module.find("attributes"); attrs && attrs->find("top"))
      return module;
    only = &module;
  }
  if (!only || modules.object().size() != 1)
    throw ToolError("Yosys netlist JSON has no single top module");
  return *only;
}

std::string top_name(const JsonValue& modules, const JsonValue& top) {
  for (const auto& [name, module] : modules.object())
    if (&module == &top) return name;
  return "";
}

// A name for every bit of a visible net; hidden (auto-generated) names only
// where nothing better exists. Ports are nets too, so port bits get theirs.
std::map<long, std::string> names_of(const JsonValue& netnames) {
  std::map<long, std::string> names;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [name, net] : netnames.object()) {
      const JsonValue* hide = net.find("hide_name");
      const bool hidden = hide && hide->is_number() && hide->number() != 0;
      if (hidden != (pass == 1)) continue;
      const std::vector<long> bits = bits_of(net.at("bits"));
      for (size_t i = 0; i < bits.size(); ++i)
        if (bits[i] >= 0)
          names.emplace(bits[i], bits.size() == 1 ? name : name + "[" + std::to_string(i) + "]");
    }
  }
  return names;
}

} // namespace

Netlist parse_yosys_netlist(std::string_view json) {
  const JsonValue doc = JsonValue::parse(json);
  const JsonValue& modules = doc.at("modules");
  const JsonValue& module = top_module(modules);
  Netlist n;
  n.top = top_name(modules, module);
  for (const auto& [name, port] : module.at("ports").object())
    n.ports.push_back({name, port.at("direction").string() == "input", bits_of(port.at("bits"))});
  if (const JsonValue* cells = module.find("cells")) {
    for (const auto& [name, cell] : cells->object()) {
      NetlistCell c;
      c.type = cell.at("type").string();
      if (c.type.empty() || c.type[0] != '$')
        throw ToolError("the netlist is not flat: cell " + name + " instantiates " + c.type);
      for (const auto& [pin, bits] : cell.at("connections").object()) {
        const std::vector<long> b = bits_of(bits);
        if (b.size() != 1)
          throw ToolError("cell " + name + " (" + c.type + ") has a multi-bit pin " + pin);
        c.pins[pin] = b[0];
      }
      n.cells.push_back(std::move(c));
    }
  }
  if (const JsonValue* netnames = module.find("netnames")) n.net_names = names_of(*netnames);
  return n;
}

} // namespace qmac::cost::detail
