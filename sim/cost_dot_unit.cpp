// qmac cost --unit: what one dot-product unit costs (the analytical model of
// model/cost/dot_gate_model.h and Yosys synthesis of rtl/qmac_dot_pe), whole
// and per product, as text or JSON.
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
  c.a = parse_format(args.required("--a"));
  c.b = parse_format(args.required("--b"));
  c.out = parse_accumulator(args.required("--acc"), c.a, c.b);
  c.pipeline = int(args.integer("--pipeline", 1, 0, 3));
  c.synthesize = !args.flag("--no-synth");
  static_cast<DotCostReport&>(c) = measure_dot_cost(c);
  if (!c.synthesize) c.no_rtl = "not run (--no-synth)";
  return c;
}

void write_json(const DotCost& c) {
  const double n = c.unit.n;
  Json j;
  j.begin_object();
  j.value("a", c.a.name).value("b", c.b.name).value("acc", c.out.name);
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
    j.begin_object("cells");
    for (const auto& [type, count] : s.cells)
      j.value(type, uint64_t(count));
    j.end_object();
    j.value("yosys", s.yosys_version);
  } else {
    j.null("area_nand2").null("depth").null("area_per_product");
    j.value("synthesis", c.no_rtl);
  }
  j.null("energy_per_product"); // the toggle simulation drives MAC PEs only (so far)
  j.end_object();
  std::fputs(j.str().c_str(), stdout);
}

void write_text(const DotCost& c, bool explain) {
  const double n = c.unit.n;
  Out out;
  out.line("dot unit " + c.unit_text + " (" + dot::describe(c.unit) + "): " + c.a.name + " x " +
           c.b.name + " -> " + c.out.name + ", pipeline " + std::to_string(c.pipeline));
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
  out.line("energy: not modelled for dot units yet (the toggle simulation drives MAC PEs)");
}

} // namespace

int cost_dot_unit(const Args& args) {
  for (const char* mac_only : {"--acc-saturate", "--ftz"})
    if (args.flag(mac_only))
      throw InputError(std::string(mac_only) + " is an option of a MAC, not of a --unit");
  for (const char* mac_only : {"--array", "--dataflow", "--data", "--macs", "--seed"})
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
