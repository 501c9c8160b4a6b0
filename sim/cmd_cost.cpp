// qmac cost: what one MAC configuration costs in silicon (cost_report.h), as
// text or JSON; with --export accelergy, the same for a list of
// configurations as Accelergy tables (cost_export.cpp).
#include <cstdio>

#include "cli.h"
#include "commands.h"
#include "cost_report.h"
#include "json.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac cost --a F --b F --acc A [--pipeline N] [--acc-saturate] [--ftz]
                 [--array RxC] [--dataflow ws|os] [--data NAME] [--macs N] [--seed S]
                 [--no-synth] [--no-energy] [--explain] [--json]
       qmac cost --a F --b F --acc A --unit UNIT [--pipeline N] [--data NAME]
                 [--k K] [--macs N] [--seed S] [--no-synth] [--no-energy]
                 [--explain] [--json]
       qmac cost --export accelergy DIR [--units LIST] [--macs N] [--seed S]

What one MAC of a x b into acc costs:
  gates_analytic  the FP8-vs-INT8 paper's gate-count method (NAND2 equivalents)
                  split into mpy, alignadd and normalize (--explain: every term)
  synthesis       the RTL PE through Yosys to generic gates: area in NAND2
                  equivalents with the same gate weights (flip-flops included),
                  flip-flops, logic depth between registers
  energy          toggles of the synthesized netlist (Verilator) on --macs
                  operands (default 65536) from --data gaussian|uniform|laplace|
                  student-t|zero|llm-outliers (default gaussian) in the order a --dataflow
                  array feeds a PE, weighed per gate type, clock included:
                  toggle units per MAC, and pJ as a 45 nm estimate
  throughput      a clock estimated from the logic depth (30 ps per gate level
                  at 45 nm plus 3 levels for the flip-flops: an estimate); TOPS
                  per million NAND2 and per watt for one PE and for an --array
                  (default 16x16 ws) on each built-in workload, with the
                  array's exact cycle counts from the analytical model
  --pipeline N    product registers, 0..3 (default 1, as the paper's figure)
  --no-synth      the analytical model only; --no-energy: no toggle simulation
With --unit UNIT (a dot-product unit as `qmac dot --unit` takes it: h100,
n=32,bits=14,round=rz, ...): its analytical gates (N multipliers, the
maximum-exponent tree, N + 1 alignment shifters, the carry-save tree, one
normalize and round; --explain: every term) and the synthesized
rtl/qmac_dot_pe (area, depth) and its energy: toggles of its netlist on
dot products of --k products (default 256, rounded up to whole blocks), one
block per cycle as an output-stationary array feeds it, --macs products in
all (default 16384), operands from --data; whole and per product. JSON keys:
gates_analytic.total, gates_per_product, area_nand2, depth, area_per_product,
energy_per_product (null with --no-energy or without synthesis).
Results of Yosys and of the toggle simulation are cached ($QMAC_CACHE_DIR, else
~/.cache/qmac). A Yosys or Verilator run past $QMAC_TOOL_TIMEOUT seconds
(default 3600; 0: no limit) is stopped and reported. --export: see docs/cost.md
(Timeloop and Accelergy).
)";

void write_json(const CostReport& r, const CostRequest& q) {
  const array::ArrayConfig& c = q.array;
  Json j;
  j.begin_object();
  j.value("a", c.a.name).value("b", c.b.name).value("acc", c.acc.name);
  j.value("pipeline", c.pipeline);
  j.begin_object("gates_analytic");
  j.value("mpy", r.gates.mpy).value("alignadd", r.gates.alignadd);
  j.value("normalize", r.gates.normalize).value("total", r.gates.total());
  j.value("relative_to_int8_fx12", r.gates_relative);
  j.end_object();
  if (!r.synthesis) {
    j.null("area_nand2").null("depth").null("energy_per_mac");
    j.value("synthesis", r.no_rtl);
    j.end_object();
    std::fputs(j.str().c_str(), stdout);
    return;
  }
  const cost::SynthesisResult& s = *r.synthesis;
  j.value("area_nand2", s.area_nand2).value("area_registers_nand2", s.area_registers);
  j.value("area_logic_nand2", s.area_logic).value("flip_flops", uint64_t(s.flip_flops));
  j.value("area_relative_to_int8_fx12", r.area_relative);
  j.value("depth", s.depth);
  synthesis_cells_json(j, s);
  if (r.energy) {
    const cost::EnergyResult& e = *r.energy;
    j.value("energy_per_mac", e.per_mac);
    j.begin_object("energy");
    energy_parts_json(j, e, q.stream.data, "MAC");
    j.value("order", std::string(array::dataflow_name(c.dataflow)));
    j.value("macs", uint64_t(e.macs)).value("seed", q.stream.seed);
    j.end_object();
  } else {
    j.null("energy_per_mac");
  }
  j.value("frequency_ghz_estimate", r.pe->frequency_ghz);
  j.value("tops_per_mnand2", r.pe->tops_per_mnand2);
  if (r.energy) j.value("tops_per_watt_estimate", r.pe->tops_per_watt);
  j.begin_object("arrays");
  j.value("size", std::to_string(c.rows) + "x" + std::to_string(c.cols));
  j.value("dataflow", array::dataflow_name(c.dataflow));
  for (const ArrayThroughput& t : r.arrays) {
    j.begin_object(t.workload);
    j.value("cycles", t.run.cycles).value("macs", t.run.macs);
    j.value("utilization", t.utilization).value("tops", t.efficiency.tops);
    j.value("tops_per_mnand2", t.efficiency.tops_per_mnand2);
    if (r.energy) {
      j.value("energy_per_mac", t.energy_per_mac);
      j.value("tops_per_watt_estimate", t.efficiency.tops_per_watt);
    }
    j.end_object();
  }
  j.end_object();
  j.end_object();
  std::fputs(j.str().c_str(), stdout);
}

void write_text(const CostReport& r, const CostRequest& q, bool explain) {
  const array::ArrayConfig& c = q.array;
  Out out;
  out.line(c.a.name + " x " + c.b.name + " -> " + c.acc.name + ", pipeline " +
           std::to_string(c.pipeline));
  out.line("analytical gates (NAND2 eq., the FP8-vs-INT8 paper's method): mpy " +
           fixed(r.gates.mpy) + ", alignadd " + fixed(r.gates.alignadd) + ", normalize " +
           fixed(r.gates.normalize) + ", total " + fixed(r.gates.total()) + " (" +
           fixed(r.gates_relative, 2) + "x int8 x int8 -> fx+12)");
  if (explain)
    for (const std::string& line : explain_lines(r.gates))
      out.line(line);
  if (!r.synthesis) {
    out.line("synthesis: " + r.no_rtl);
    return;
  }
  const cost::SynthesisResult& s = *r.synthesis;
  out.line("synthesis (" + s.yosys_version + ", generic gates" + (s.from_cache ? ", cached" : "") +
           "): " + fixed(s.area_nand2) + " NAND2 eq. (registers " + fixed(s.area_registers) +
           ", logic " + fixed(s.area_logic) + "; " + fixed(r.area_relative, 2) +
           "x int8 x int8 -> fx+12), " + std::to_string(s.flip_flops) +
           " flip-flops, logic depth " + std::to_string(s.depth));
  std::string cells = "  cells:";
  for (const auto& [type, count] : s.cells)
    cells += " " + type + " " + std::to_string(count);
  out.line(cells);
  if (r.energy) {
    const cost::EnergyResult& e = *r.energy;
    out.line("energy (gate-level toggles, " +
             std::string(cost::operand_data_names()[int(q.stream.data)]) + " operands in " +
             std::string(array::dataflow_name(c.dataflow)) + " order, " + std::to_string(e.macs) +
             " MACs" + (e.from_cache ? ", cached" : "") + "): " + fixed(e.per_mac, 1) +
             " toggle units per MAC (logic " + fixed(e.logic, 1) + ", registers " +
             fixed(e.registers, 1) + ", clock " + fixed(e.clock, 1) + "); about " +
             fixed(e.picojoules_estimate, 3) + " pJ per MAC (45 nm estimate)");
  }
  std::string pe_line = "throughput (estimate): clock " + fixed(r.pe->frequency_ghz, 2) +
                        " GHz from depth " + std::to_string(s.depth) + "; one PE " +
                        fixed(r.pe->tops * 1000, 2) + " GOPS, " + fixed(r.pe->tops_per_mnand2, 2) +
                        " TOPS per million NAND2";
  if (r.energy) pe_line += ", " + fixed(r.pe->tops_per_watt, 2) + " TOPS/W";
  out.line(pe_line);
  out.line(std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " +
           array::dataflow_name(c.dataflow) +
           " array on the built-in workloads (cycles exact; clock and pJ estimated; idle PEs "
           "pay their clock):");
  for (const ArrayThroughput& t : r.arrays) {
    char buf[240];
    std::snprintf(buf, sizeof buf,
                  "  %-14s %14llu cycles  utilization %5.1f%%  %7.3f TOPS  %6.2f TOPS per "
                  "million NAND2",
                  t.workload.c_str(), (unsigned long long)t.run.cycles, 100 * t.utilization,
                  t.efficiency.tops, t.efficiency.tops_per_mnand2);
    std::string line = buf;
    if (r.energy) line += "  " + fixed(t.efficiency.tops_per_watt, 2) + " TOPS/W";
    out.line(line);
  }
}

} // namespace

CostRequest cost_request(const Args& args) {
  CostRequest q;
  array::ArrayConfig& c = q.array;
  c.a = element_format(args.required("--a"), "qmac cost");
  c.b = element_format(args.required("--b"), "qmac cost");
  q.saturate = args.flag("--acc-saturate");
  q.ftz = args.flag("--ftz");
  c.acc = parse_accumulator(args.required("--acc"), c.a, c.b, q.saturate, q.ftz);
  c.pipeline = int(args.integer("--pipeline", 1, 0, 3));
  array::parse_array_size(args.get("--array").value_or("16x16"), c.rows, c.cols);
  c.dataflow = array::parse_dataflow(args.get("--dataflow").value_or("ws"));
  q.synthesize = !args.flag("--no-synth");
  q.energy = q.synthesize && !args.flag("--no-energy");
  q.stream.data = cost::parse_operand_data(args.get("--data").value_or("gaussian"));
  q.stream.macs = long(args.integer("--macs", 65536, 256, 100000000));
  q.stream.seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  cost::check_stream_options(q.stream);
  // The stream of beats and its stimulus file, in memory at once.
  require_memory(uint64_t(q.stream.macs) * (sizeof(cost::Beat) + 24),
                 "--macs " + std::to_string(q.stream.macs) + " of energy simulation");
  return q;
}

int cmd_cost(int argc, char** argv) {
  auto parsed = parse_command(
      argc, argv,
      {"--a", "--b", "--acc", "--pipeline", "--array", "--dataflow", "--data", "--macs", "--seed",
       "--export", "--units", "--unit", "--k"},
      {"--acc-saturate", "--ftz", "--no-synth", "--no-energy", "--explain", "--json"}, kHelp, 1);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.get("--export")) return export_cost_tables(args);
  if (args.get("--unit")) {
    if (!args.positional().empty())
      throw InputError("unexpected argument '" + args.positional()[0] + "'");
    return cost_dot_unit(args);
  }
  if (!args.positional().empty())
    throw InputError("unexpected argument '" + args.positional()[0] + "'");
  if (args.get("--k"))
    throw InputError("--k is an option of a --unit (a MAC's stream clears every 256 MACs)");
  const CostRequest q = cost_request(args);
  const CostReport r = measure_cost(q);
  if (args.flag("--json"))
    write_json(r, q);
  else
    write_text(r, q, args.flag("--explain"));
  return 0;
}

} // namespace qmac::cli
