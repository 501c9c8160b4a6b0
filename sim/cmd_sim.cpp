// qmac sim: a GEMM, a built-in network or a SCALE-Sim topology on a MAC array,
// simulated cycle by cycle in SystemC and checked bit for bit against the
// golden GEMM, or timed by the analytical model (--fast).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "qmac/array/cycle_model.h"
#include "qmac/array/golden_gemm.h"
#include "qmac/sc/array_simulation.h"
#include "sim_common.h"
#include "workload.h"

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac sim --array RxC [--dataflow ws|os] --a F --b F --acc A
                (--gemm MxKxN | --workload NAME | --topology FILE)
                [--pipeline N] [--acc-saturate] [--ftz] [--dist NAME] [--seed S]
                [--fast] [--trace FILE] [--max-macs N] [--json]
       qmac sim --array RxC --unit UNIT --a F --b F --acc A
                (--gemm MxKxN | --workload NAME | --topology FILE)
                [--pipeline N] [--dist NAME] [--seed S] [--fast] [--trace FILE]
                [--max-macs N] [--json]
       qmac sim --list

Maps GEMMs onto an R x C systolic array and simulates them cycle by cycle in
SystemC: weight-stationary (ws, the default: weights double-buffered in the PEs,
partial sums flow down and through an accumulation buffer between k-tiles) or
output-stationary (os: each PE owns an output; results drain under the next
tile). Every result register is compared with the golden GEMM (products in
order k = 0..K-1 from +0, one accumulator rounding each).

  --array RxC       array size, 1..512 per side
  --a F, --b F      row operand (activations) and column operand (weights) formats
  --acc A           accumulator: intN, a float format, or fx+G
  --pipeline N      product registers in each PE, 0..3 (default 1, as qmac_pe)
  --gemm MxKxN      one GEMM: C[MxN] = A[MxK] * B[KxN]
  --workload NAME   a built-in network (qmac sim --list)
  --topology FILE   a SCALE-Sim topology CSV (convolution or GEMM format)
  --dist NAME       operand distribution: gaussian (default), uniform, laplace,
                    student-t, llm-outliers (1 in 256 values 10-30x larger),
                    codes (every code, NaN/Inf too); each tensor is
                    scaled so its largest magnitude is the format's largest value
  --seed S          operand seed (default 1); the same seed gives the same output
  --fast            cycles from the analytical model (exact for every shape), no
                    SystemC run and no bit-exactness check (bit_exact: null)
  --trace FILE      VCD waveform of the array's ports and PE registers
  --max-macs N      refuse to simulate more MACs than this (default 2e10); --fast
                    has no limit
  --json            one JSON object: cycles, macs, utilization, bit_exact, ...

With --unit UNIT (a dot-product unit as `qmac dot --unit` takes it, with a
fixed n up to 64): an R x C array of such units, a tensor core's shape. Each
cycle every PE sums n products, its row of A against its column of B (both
broadcast), into its own output (+0 at a tile's start, --acc the output
format, e.g. fp32); a PE of --pipeline P (default 1) interleaves P + 1 output
tiles (docs/arrays.md). Every result is compared with the golden dot GEMM
(one dot product per output, blocks of n along K), and the cycles with the
analytic model's. JSON keys as above, with unit, n, products_per_cycle and
products in place of macs.

A layer repeated `count` times (attention heads) is simulated once with its own
operands and counted `count` times: the timing does not depend on the data.
Exit status: 0, 1 if a result is not bit-exact, 2 for bad input.
)";

int list_workloads() {
  Out out;
  for (const std::string& name : sim::builtin_workload_names()) {
    const sim::Workload w = sim::builtin_workload(name);
    out.line(name + ": " + std::to_string(w.layers.size()) + " GEMMs, " + with_commas(w.macs()) +
             " MACs; " + w.description);
  }
  return 0;
}

// The whole run: every layer's timing from the model and, unless fast, its
// SystemC simulation and check.
struct Study {
  array::ArrayConfig config;
  sim::Workload workload;
  std::vector<Layer> layers;
  double sim_seconds = 0;
  uint64_t simulated_pe_cycles = 0;
};

void simulate(Study& s, Distribution dist, uint64_t seed, const std::string& trace) {
  // SystemC prints a banner on stdout unless told not to.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc::ArraySimulation simulation(s.config, "array", trace);
  for (size_t i = 0; i < s.layers.size(); ++i) {
    Layer& layer = s.layers[i];
    const array::Gemm g{layer.shape.M, layer.shape.K, layer.shape.N};
    const auto [A, B] = layer_operands(s.config.a, s.config.b, g, dist, seed, i);
    std::vector<AccState> got;
    const auto t0 = std::chrono::steady_clock::now(); // the simulation alone
    const array::ArrayRun run = simulation.run(g, A, B, &got);
    s.sim_seconds += seconds_since(t0);
    s.simulated_pe_cycles += run.cycles * s.config.pes();
    check_layer(layer, run, array::golden_gemm(s.config, g, A, B), got);
  }
}

void print_text(const Study& s, bool fast) {
  Out out;
  const array::ArrayConfig& c = s.config;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%ux%u %s array, pipeline %d, %s x %s -> %s; %s: %s", c.rows,
                c.cols, array::dataflow_name(c.dataflow), c.pipeline, c.a.name.c_str(),
                c.b.name.c_str(), c.acc.name.c_str(), s.workload.name.c_str(),
                s.workload.description.c_str());
  out.line(buf);
  out.line(kLayerHeader);
  for (const Layer& l : s.layers)
    out.line(layer_line(l, l.run.utilization(c)));
  const Totals total = totals_of(s.layers, s.config.pes());
  const array::BufferTraffic& traffic = total.traffic;
  std::snprintf(buf, sizeof buf, "total: %s cycles, %s MACs, utilization %s",
                with_commas(total.cycles).c_str(), with_commas(total.work).c_str(),
                percent(total.utilization).c_str());
  out.line(buf);
  out.line("buffer traffic (elements): A reads " + with_commas(traffic.a_reads) + ", B reads " +
           with_commas(traffic.b_reads) + ", accumulation buffer reads " +
           with_commas(traffic.acc_reads) + ", writes " + with_commas(traffic.acc_writes));
  if (fast) {
    out.line("timing: analytical model (--fast); not simulated, not checked");
    return;
  }
  out.line(total.wrong
               ? "bit-exact: NO"
               : "bit-exact: yes, every result register of " + std::to_string(total.simulated) +
                     " simulated GEMMs (one instance of each layer)");
  std::snprintf(buf, sizeof buf, "SystemC: %s PE-cycles in %.2f s, %.1f M PE-cycles/s",
                with_commas(s.simulated_pe_cycles).c_str(), s.sim_seconds,
                s.sim_seconds > 0 ? s.simulated_pe_cycles / s.sim_seconds / 1e6 : 0.0);
  out.line(buf);
}

void print_json(const Study& s, bool fast) {
  const array::ArrayConfig& c = s.config;
  Json j;
  j.begin_object();
  j.value("array", std::to_string(c.rows) + "x" + std::to_string(c.cols));
  j.value("rows", uint64_t(c.rows)).value("cols", uint64_t(c.cols));
  j.value("dataflow", array::dataflow_name(c.dataflow)).value("pipeline", c.pipeline);
  j.value("a", c.a.name).value("b", c.b.name).value("acc", c.acc.name);
  j.value("workload", s.workload.name);
  j.value("mode", fast ? "analytic" : "systemc");
  const Totals total = totals_of(s.layers, s.config.pes());
  const array::BufferTraffic& t = total.traffic;
  j.value("cycles", total.cycles).value("macs", total.work);
  j.value("utilization", total.utilization);
  if (fast)
    j.null("bit_exact");
  else
    j.value("bit_exact", total.wrong == 0);
  j.begin_object("traffic")
      .value("a_reads", t.a_reads)
      .value("b_reads", t.b_reads)
      .value("acc_reads", t.acc_reads)
      .value("acc_writes", t.acc_writes)
      .end_object();
  // No wall-clock time here: the same seed gives the same bytes (the text
  // output shows the simulation speed).
  if (!fast) j.value("simulated_pe_cycles", s.simulated_pe_cycles);
  j.begin_array("layers");
  for (const Layer& l : s.layers)
    layer_json(j, l, l.run.utilization(c), "macs");
  j.end_array();
  j.end_object();
  std::fputs(j.str().c_str(), stdout);
}

} // namespace

int cmd_sim(int argc, char** argv) {
  auto parsed = parse_command(argc, argv,
                              {"--array", "--dataflow", "--a", "--b", "--acc", "--gemm",
                               "--workload", "--topology", "--pipeline", "--dist", "--seed",
                               "--trace", "--max-macs", "--unit"},
                              {"--fast", "--json", "--acc-saturate", "--ftz", "--list"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.flag("--list")) return list_workloads();
  if (args.get("--unit")) return sim_dot_array(args);

  Study s;
  array::ArrayConfig& c = s.config;
  array::parse_array_size(args.required("--array"), c.rows, c.cols);
  c.dataflow = array::parse_dataflow(args.get("--dataflow").value_or("ws"));
  c.a = element_format(args.required("--a"), "the array simulator");
  c.b = element_format(args.required("--b"), "the array simulator");
  c.acc = parse_accumulator(args.required("--acc"), c.a, c.b, args.flag("--acc-saturate"),
                            args.flag("--ftz"));
  c.pipeline = int(args.integer("--pipeline", 1, 0, 3));
  array::validate(c);
  const Distribution dist = parse_distribution(args.get("--dist").value_or("gaussian"));
  const uint64_t seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  const bool fast = args.flag("--fast");
  const long long max_macs = args.integer("--max-macs", 20000000000LL, 1, INT64_MAX);
  std::string trace = args.get("--trace").value_or("");
  if (fast && !trace.empty()) throw InputError("--trace needs a simulation; drop --fast");

  s.workload = workload_of(args);
  uint64_t simulated_macs = 0, operand_bytes = 0;
  for (const sim::GemmShape& shape : s.workload.layers) {
    Layer l;
    l.shape = shape;
    l.run = array::analytic_run(c, array::Gemm{shape.M, shape.K, shape.N});
    simulated_macs += l.run.macs;
    // Codes (4 bytes) and the reals they are drawn from (8), the simulated
    // and the golden result registers. Shapes are below 2^31 per side, so
    // this is computed in long double to stay exact enough without overflow.
    const long double bytes =
        12.0L * ((long double)shape.M * shape.K + (long double)shape.K * shape.N) +
        2.0L * sizeof(AccState) * (long double)shape.M * shape.N;
    operand_bytes =
        std::max<uint64_t>(operand_bytes, bytes > 1.8e19L ? uint64_t(1.8e19L) : uint64_t(bytes));
    s.layers.push_back(l);
  }
  if (!fast) {
    if (simulated_macs > uint64_t(max_macs))
      throw InputError(s.workload.name + " needs " + with_commas(simulated_macs) +
                       " MACs of cycle simulation, more than --max-macs " +
                       with_commas(uint64_t(max_macs)) +
                       " (at ~20 M PE-cycles/s); use --fast for its exact cycle counts, or raise "
                       "--max-macs");
    require_memory(operand_bytes, s.workload.name + ": the largest layer (operands and results)",
                   "use --fast for its exact cycle counts");
    if (!trace.empty()) {
      // SystemC appends .vcd; fail early, with the file's name, if it cannot be written.
      if (trace.size() > 4 && trace.compare(trace.size() - 4, 4, ".vcd") == 0)
        trace.resize(trace.size() - 4);
      const std::string file = trace + ".vcd";
      std::FILE* f = std::fopen(file.c_str(), "w");
      if (!f)
        throw InputError("cannot write the trace file " + file + " (" + std::strerror(errno) + ")");
      std::fclose(f);
    }
    simulate(s, dist, seed, trace);
  }
  if (args.flag("--json"))
    print_json(s, fast);
  else
    print_text(s, fast);
  for (const Layer& l : s.layers)
    if (l.bit_exact && !*l.bit_exact) return 1;
  return 0;
}

} // namespace qmac::cli
