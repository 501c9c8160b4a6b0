// qmac cost --unit: what one dot-product unit costs (the analytical model of
// model/cost/dot_gate_model.h, Yosys synthesis of rtl/qmac_dot_pe and the
// toggle energy of its netlist), whole and per product, as text or JSON.
#include <cstdio>
#include <optional>

#include "cli.h"
#include "cost_report.h"
#include "json.h"
#include "qmac/dot/presets.h"

namespace qmac::cli {
namespace {

// The request as given and what it measured.
struct DotCost : DotCostRequest, DotCostReport {};

DotCost measure(const Args& args) {
  DotCost c;
  c.unit_text = args.required("--unit");
  c.a = dot::DotInput::parse(args.required("--a"));
  c.b = dot::DotInput::parse(args.required("--b"));
  c.out = parse_accumulator(args.required("--acc"), c.a.element, c.b.element);
  c.pipeline = int(args.integer("--pipeline", 1, 0, 3));
  c.synthesize = !args.flag("--no-synth");
  c.measure_energy = c.synthesize && !args.flag("--no-energy");
  c.stream.data = cost::parse_operand_data(args.get("--data").value_or("gaussian"));
  c.stream.k = int(args.integer("--k", 256, 1, 1 << 20));
  c.stream.macs = long(args.integer("--macs", 16384, 64, 1L << 26));
  c.stream.seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  // The packed beats (67 words of the dot top's inputs per block, N = 1 at
  // worst) and their stimulus file, in memory at once.
  require_memory(uint64_t(c.stream.macs) * 600 + (uint64_t(1) << 20),
                 "--macs " + std::to_string(c.stream.macs) + " of energy simulation");
  static_cast<DotCostReport&>(c) = measure_dot_cost(c);
  if (!c.synthesize) c.no_rtl = "not run (--no-synth)";
  return c;
}

// Why there is no energy figure: no synthesis (and why), or --no-energy.
std::string no_energy(const DotCost& c) {
  return c.no_rtl.empty() ? "not run (--no-energy)" : c.no_rtl;
}

void write_json(const DotCost& c) {
  const double n = c.unit.n;
  Json j;
  j.begin_object();
  j.value("a", c.a.name()).value("b", c.b.name()).value("acc", c.out.name);
  j.value("unit", c.unit_text).value("unit_keys", dot::describe(c.unit));
  j.value("n", c.unit.n).value("pipeline", c.pipeline);
  j.begin_object("gates_analytic");
  j.value("mpy", c.gates.mpy).value("alignadd", c.gates.alignadd);
  j.value("normalize", c.gates.normalize).value("total", c.gates.total());
  j.end_object();
  j.value("gates_per_product", c.gates.total() / n);
  if (c.synthesis) {
    const cost::SynthesisResult& s = *c.synthesis;
    j.value("area_nand2", s.area_nand2).value("area_registers_nand2", s.area_registers);
    j.value("area_logic_nand2", s.area_logic).value("flip_flops", uint64_t(s.flip_flops));
    j.value("depth", s.depth).value("area_per_product", s.area_nand2 / n);
    synthesis_cells_json(j, s);
  } else {
    j.null("area_nand2").null("depth").null("area_per_product");
    j.value("synthesis", c.no_rtl);
  }
  if (c.energy) {
    const cost::EnergyResult& e = *c.energy;
    j.value("energy_per_product", e.per_mac);
    j.begin_object("energy");
    energy_parts_json(j, e, c.stream.data, "product");
    j.value("k", c.stream.k).value("products", uint64_t(e.macs)).value("seed", c.stream.seed);
    j.end_object();
  } else {
    j.null("energy_per_product");
    j.value("energy", no_energy(c));
  }
  j.end_object();
  std::fputs(j.str().c_str(), stdout);
}

void write_text(const DotCost& c, bool explain) {
  const double n = c.unit.n;
  Out out;
  out.line("dot unit " + c.unit_text + " (" + dot::describe(c.unit) + "): " + c.a.name() + " x " +
           c.b.name() + " -> " + c.out.name + ", pipeline " + std::to_string(c.pipeline));
  out.line("analytical gates (NAND2 eq.): mpy " + fixed(c.gates.mpy) + ", alignadd " +
           fixed(c.gates.alignadd) + ", normalize " + fixed(c.gates.normalize) + ", total " +
           fixed(c.gates.total()) + "; " + fixed(c.gates.total() / n, 1) + " per product");
  if (explain)
    for (const std::string& line : explain_lines(c.gates))
      out.line(line);
  if (!c.synthesis) {
    out.line("synthesis: " + c.no_rtl);
  } else {
    const cost::SynthesisResult& s = *c.synthesis;
    out.line("synthesis (" + s.yosys_version + ", generic gates" +
             (s.from_cache ? ", cached" : "") + "): " + fixed(s.area_nand2) +
             " NAND2 eq. (registers " + fixed(s.area_registers) + ", logic " + fixed(s.area_logic) +
             "), " + std::to_string(s.flip_flops) + " flip-flops, logic depth " +
             std::to_string(s.depth) + "; " + fixed(s.area_nand2 / n, 1) + " per product");
  }
  if (!c.energy) {
    out.line("energy: " + no_energy(c));
    return;
  }
  const cost::EnergyResult& e = *c.energy;
  out.line("energy (gate-level toggles, " +
           std::string(cost::operand_data_names()[int(c.stream.data)]) + " operands, K " +
           std::to_string(c.stream.k) + ", " + std::to_string(e.macs) + " products" +
           (e.from_cache ? ", cached" : "") + "): " + fixed(e.per_mac, 1) +
           " toggle units per product (logic " + fixed(e.logic, 1) + ", registers " +
           fixed(e.registers, 1) + ", clock " + fixed(e.clock, 1) + "); about " +
           fixed(e.picojoules_estimate, 3) + " pJ per product (45 nm estimate)");
}

} // namespace

int cost_dot_unit(const Args& args) {
  for (const char* mac_only : {"--acc-saturate", "--ftz"})
    if (args.flag(mac_only))
      throw InputError(std::string(mac_only) + " is an option of a MAC, not of a --unit");
  for (const char* mac_only : {"--array", "--dataflow"})
    if (args.get(mac_only))
      throw InputError(std::string(mac_only) + " is an option of a MAC, not of a --unit");
  const DotCost c = measure(args);
  if (args.flag("--json"))
    write_json(c);
  else
    write_text(c, args.flag("--explain"));
  return 0;
}

} // namespace qmac::cli
