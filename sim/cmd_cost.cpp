// qmac cost: what one MAC configuration costs in silicon. The analytical gate
// count (the FP8-vs-INT8 paper's method), the Yosys synthesis of the RTL PE
// (area, flip-flops, logic depth), and throughput per area from a frequency
// estimated from that depth, for one PE and for arrays on the built-in
// workloads (the analytical cycle model's exact cycle counts).
#include <cstdio>
#include <optional>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "qmac/array/cycle_model.h"
#include "qmac/cost/gate_model.h"
#include "qmac/cost/synthesis.h"
#include "qmac/cost/throughput.h"
#include "workload.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac cost --a F --b F --acc A [--pipeline N] [--acc-saturate] [--ftz]
                 [--array RxC] [--dataflow ws|os] [--no-synth] [--explain] [--json]

What one MAC of a x b into acc costs:
  gates_analytic  the FP8-vs-INT8 paper's gate-count method (NAND2 equivalents)
                  split into mpy, alignadd and normalize (--explain: every term)
  synthesis       the RTL PE through Yosys to generic gates: area in NAND2
                  equivalents with the same gate weights (flip-flops included),
                  flip-flops, logic depth between registers (cached on disk:
                  $QMAC_CACHE_DIR, else ~/.cache/qmac)
  throughput      a clock estimated from the logic depth (30 ps per gate level
                  at 45 nm, plus 3 levels for the flip-flops: an estimate), and
                  TOPS per million NAND2 for one PE and for an array (default
                  16x16 ws) on each built-in workload, with the array's exact
                  cycle counts from the analytical model
  --pipeline N  product registers, 0..3 (default 1, as the paper's figure)
  --no-synth    the analytical model only (no Yosys)
)";

std::string fixed(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The RTL unit of the configuration, or why there is none.
std::optional<rtl::Unit> rtl_unit(const Args& args, int pipeline, std::string& why_not) {
  std::string name = args.required("--a") + ":" + args.required("--b") + ":" +
                     args.required("--acc") + ":p" + std::to_string(pipeline);
  if (args.flag("--acc-saturate")) name += ":sat";
  if (args.flag("--ftz")) name += ":ftz";
  try {
    return rtl::parse_unit(name);
  } catch (const InputError& e) {
    why_not = e.what();
    return std::nullopt;
  }
}

struct ArrayLine {
  std::string workload;
  array::ArrayRun run;
  double utilization = 0;
  cost::Efficiency efficiency;
};

} // namespace

int cmd_cost(int argc, char** argv) {
  auto parsed =
      parse_command(argc, argv, {"--a", "--b", "--acc", "--pipeline", "--array", "--dataflow"},
                    {"--acc-saturate", "--ftz", "--no-synth", "--explain", "--json"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  const Format a = element_format(args.required("--a"), "qmac cost"),
               b = element_format(args.required("--b"), "qmac cost");
  const AccumulatorSpec acc = parse_accumulator(args.required("--acc"), a, b,
                                                args.flag("--acc-saturate"), args.flag("--ftz"));
  const int pipeline = int(args.integer("--pipeline", 1, 0, 3));
  array::ArrayConfig array_config;
  array::parse_array_size(args.get("--array").value_or("16x16"), array_config.rows,
                          array_config.cols);
  array_config.dataflow = array::parse_dataflow(args.get("--dataflow").value_or("ws"));
  array_config.pipeline = pipeline;
  array_config.a = a;
  array_config.b = b;
  array_config.acc = acc;

  const cost::GateCount gates = cost::analytic_gates(a, b, acc, pipeline);
  const Format int8 = parse_format("int8");
  const double int8_fx12 =
      cost::analytic_gates(int8, int8, parse_accumulator("fx+12", int8, int8)).total();

  std::optional<cost::SynthesisResult> synth;
  std::string no_synth_reason = "not requested (--no-synth)";
  if (!args.flag("--no-synth")) {
    if (const auto unit = rtl_unit(args, pipeline, no_synth_reason))
      synth = cost::synthesize(*unit);
    else
      no_synth_reason = "the RTL does not build this configuration: " + no_synth_reason;
  }

  // Throughput: one PE does one MAC per cycle once its pipeline is full.
  std::optional<cost::Efficiency> pe;
  std::vector<ArrayLine> arrays;
  if (synth) {
    const double f = cost::frequency_ghz(synth->depth);
    pe = cost::efficiency(1, f, synth->area_nand2, 0);
    array::validate(array_config);
    for (const std::string& name : sim::builtin_workload_names()) {
      ArrayLine line{name, {}, 0, {}};
      for (const sim::GemmShape& g : sim::builtin_workload(name).layers) {
        const array::ArrayRun r = array::analytic_run(array_config, {g.M, g.K, g.N});
        line.run.cycles += r.cycles * g.count;
        line.run.macs += r.macs * g.count;
      }
      line.utilization = line.run.utilization(array_config);
      line.efficiency = cost::efficiency(line.utilization * double(array_config.pes()), f,
                                         synth->area_nand2 * double(array_config.pes()), 0);
      arrays.push_back(line);
    }
  }

  const std::string config_name =
      a.name + " x " + b.name + " -> " + acc.name + ", pipeline " + std::to_string(pipeline);
  if (args.flag("--json")) {
    Json j;
    j.begin_object();
    j.value("a", a.name).value("b", b.name).value("acc", acc.name).value("pipeline", pipeline);
    j.begin_object("gates_analytic");
    j.value("mpy", gates.mpy).value("alignadd", gates.alignadd).value("normalize", gates.normalize);
    j.value("total", gates.total()).value("relative_to_int8_fx12", gates.total() / int8_fx12);
    j.end_object();
    if (synth) {
      j.value("area_nand2", synth->area_nand2);
      j.value("area_registers_nand2", synth->area_registers);
      j.value("area_logic_nand2", synth->area_logic);
      j.value("flip_flops", uint64_t(synth->flip_flops));
      j.value("depth", synth->depth);
      j.begin_object("cells");
      for (const auto& [type, count] : synth->cells)
        j.value(type, uint64_t(count));
      j.end_object();
      j.value("yosys", synth->yosys_version);
      j.value("frequency_ghz_estimate", pe->frequency_ghz);
      j.value("tops_per_mnand2", pe->tops_per_mnand2);
      j.begin_object("arrays");
      j.value("size", std::to_string(array_config.rows) + "x" + std::to_string(array_config.cols));
      j.value("dataflow", array::dataflow_name(array_config.dataflow));
      for (const ArrayLine& l : arrays) {
        j.begin_object(l.workload);
        j.value("cycles", l.run.cycles).value("macs", l.run.macs);
        j.value("utilization", l.utilization).value("tops", l.efficiency.tops);
        j.value("tops_per_mnand2", l.efficiency.tops_per_mnand2);
        j.end_object();
      }
      j.end_object();
    } else {
      j.null("area_nand2").null("depth");
      j.value("synthesis", no_synth_reason);
    }
    j.null("energy_per_mac");
    j.end_object();
    std::fputs(j.str().c_str(), stdout);
    return 0;
  }

  Out out;
  out.line(config_name);
  out.line("analytical gates (NAND2 eq., the FP8-vs-INT8 paper's method): mpy " + fixed(gates.mpy) +
           ", alignadd " + fixed(gates.alignadd) + ", normalize " + fixed(gates.normalize) +
           ", total " + fixed(gates.total()) + " (" + fixed(gates.total() / int8_fx12, 2) +
           "x int8 x int8 -> fx+12)");
  if (args.flag("--explain"))
    for (const cost::GateItem& item : gates.items) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "  %-9s %7.1f  %s", cost::block_name(item.block), item.gates,
                    item.what.c_str());
      out.line(buf);
    }
  if (!synth) {
    out.line("synthesis: " + no_synth_reason);
    return 0;
  }
  out.line("synthesis (" + synth->yosys_version + ", generic gates" +
           (synth->from_cache ? ", cached" : "") + "): " + fixed(synth->area_nand2) +
           " NAND2 eq. (registers " + fixed(synth->area_registers) + ", logic " +
           fixed(synth->area_logic) + "), " + std::to_string(synth->flip_flops) +
           " flip-flops, logic depth " + std::to_string(synth->depth));
  std::string cells = "  cells:";
  for (const auto& [type, count] : synth->cells)
    cells += " " + type + " " + std::to_string(count);
  out.line(cells);
  out.line("throughput (estimate): clock " + fixed(pe->frequency_ghz, 2) + " GHz from depth " +
           std::to_string(synth->depth) + "; one PE " + fixed(pe->tops * 1000, 2) + " GOPS, " +
           fixed(pe->tops_per_mnand2, 1) + " TOPS per million NAND2");
  out.line(std::to_string(array_config.rows) + "x" + std::to_string(array_config.cols) + " " +
           array::dataflow_name(array_config.dataflow) +
           " array on the built-in workloads (cycles exact, clock estimated):");
  for (const ArrayLine& l : arrays) {
    char buf[200];
    std::snprintf(
        buf, sizeof buf,
        "  %-14s %16llu cycles  utilization %5.1f%%  %7.3f TOPS  %6.1f TOPS per million NAND2",
        l.workload.c_str(), (unsigned long long)l.run.cycles, 100 * l.utilization,
        l.efficiency.tops, l.efficiency.tops_per_mnand2);
    out.line(buf);
  }
  return 0;
}

} // namespace qmac::cli
