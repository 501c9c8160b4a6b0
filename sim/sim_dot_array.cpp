// qmac sim --unit UNIT: a GEMM, a built-in network or a SCALE-Sim topology
// on an R x C array of dot-product units (a tensor core's shape: every PE
// sums N products per cycle into its own output), simulated cycle by cycle
// in SystemC and checked bit for bit against the golden dot GEMM, or timed
// by the analytic model (--fast). The SystemC run's cycles must equal the
// analytic model's.
#include <chrono>
#include <cstdlib>

#include "commands.h"
#include "json.h"
#include "qmac/array/dot_array.h"
#include "qmac/dot/presets.h"
#include "qmac/sc/dot_array_simulation.h"
#include "sim_common.h"

namespace qmac::cli {
namespace {

struct DotStudy {
  array::DotArrayConfig config;
  sim::Workload workload;
  std::vector<Layer> layers;
  double sim_seconds = 0;
  uint64_t simulated_products = 0; // PE slots x n x cycles, idle ones included
};

double utilization(const array::DotArrayConfig& c, const array::ArrayRun& r) {
  return r.cycles ? double(r.macs) / (double(c.products_per_cycle()) * double(r.cycles)) : 0.0;
}

void simulate(DotStudy& s, Distribution dist, uint64_t seed, const std::string& trace) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc::DotArraySimulation simulation(s.config, "dot_array", trace);
  for (size_t i = 0; i < s.layers.size(); ++i) {
    Layer& layer = s.layers[i];
    const array::Gemm g{layer.shape.M, layer.shape.K, layer.shape.N};
    const auto [A, B] = layer_operands(s.config.a, s.config.b, g, dist, seed, i);
    std::vector<uint64_t> got;
    const auto t0 = std::chrono::steady_clock::now();
    const array::ArrayRun run = simulation.run(g, A, B, &got);
    s.sim_seconds += seconds_since(t0);
    s.simulated_products += run.cycles * s.config.products_per_cycle();
    check_layer(layer, run, sc::golden_dot_gemm(s.config, g, A, B), got);
  }
}

void print_text(const DotStudy& s, bool fast) {
  Out out;
  const array::DotArrayConfig& c = s.config;
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "%ux%u array of dot units %s (%s), %d products per PE per cycle, pipeline %d, "
                "%s x %s -> %s; %s: %s",
                c.rows, c.cols, c.unit_text.c_str(), dot::describe(c.unit).c_str(), c.unit.n,
                c.pipeline, c.a.name().c_str(), c.b.name().c_str(), c.out.name.c_str(),
                s.workload.name.c_str(), s.workload.description.c_str());
  out.line(buf);
  out.line(kLayerHeader);
  for (const Layer& l : s.layers)
    out.line(layer_line(l, utilization(c, l.run)));
  const Totals total = totals_of(s.layers, s.config.products_per_cycle());
  out.line("total: " + with_commas(total.cycles) + " cycles, " + with_commas(total.work) +
           " products (" + with_commas(c.products_per_cycle()) +
           " per cycle at most), utilization " + percent(total.utilization));
  out.line("buffer traffic (elements): A reads " + with_commas(total.traffic.a_reads) +
           ", B reads " + with_commas(total.traffic.b_reads) + ", results written " +
           with_commas(total.traffic.acc_writes));
  if (fast) {
    out.line("timing: analytic model (--fast); not simulated, not checked");
    return;
  }
  out.line(total.wrong ? "bit-exact: NO"
                       : "bit-exact: yes, every result of " + std::to_string(total.simulated) +
                             " simulated GEMMs (one instance of each layer) against the golden "
                             "dot GEMM");
  std::snprintf(buf, sizeof buf, "SystemC: %s product slots in %.2f s, %.1f M products/s",
                with_commas(s.simulated_products).c_str(), s.sim_seconds,
                s.sim_seconds > 0 ? s.simulated_products / s.sim_seconds / 1e6 : 0.0);
  out.line(buf);
}

void print_json(const DotStudy& s, bool fast) {
  const array::DotArrayConfig& c = s.config;
  Json j;
  j.begin_object();
  j.value("array", std::to_string(c.rows) + "x" + std::to_string(c.cols));
  j.value("rows", uint64_t(c.rows)).value("cols", uint64_t(c.cols));
  j.value("unit", c.unit_text).value("unit_keys", dot::describe(c.unit));
  j.value("n", c.unit.n).value("pipeline", c.pipeline);
  j.value("products_per_cycle", c.products_per_cycle());
  j.value("a", c.a.name()).value("b", c.b.name()).value("acc", c.out.name);
  j.value("workload", s.workload.name);
  j.value("mode", fast ? "analytic" : "systemc");
  const Totals total = totals_of(s.layers, s.config.products_per_cycle());
  j.value("cycles", total.cycles).value("products", total.work);
  j.value("utilization", total.utilization);
  if (fast)
    j.null("bit_exact");
  else
    j.value("bit_exact", total.wrong == 0);
  j.begin_object("traffic")
      .value("a_reads", total.traffic.a_reads)
      .value("b_reads", total.traffic.b_reads)
      .value("results_written", total.traffic.acc_writes)
      .end_object();
  j.begin_array("layers");
  for (const Layer& l : s.layers)
    layer_json(j, l, utilization(c, l.run), "products");
  j.end_array();
  j.end_object();
  std::fputs(j.str().c_str(), stdout);
}

} // namespace

int sim_dot_array(const Args& args) {
  for (const char* mac_only : {"--acc-saturate", "--ftz"})
    if (args.flag(mac_only))
      throw InputError(std::string(mac_only) + " is an option of a MAC array, not of a --unit");
  if (args.get("--dataflow"))
    throw InputError("--dataflow is an option of a MAC array: an array of dot units is "
                     "output-stationary");
  DotStudy s;
  uint32_t rows = 0, cols = 0;
  array::parse_array_size(args.required("--array"), rows, cols);
  const dot::DotInput a = dot::DotInput::parse(args.required("--a"));
  const dot::DotInput b = dot::DotInput::parse(args.required("--b"));
  const AccumulatorSpec out = parse_accumulator(args.required("--acc"), a.element, b.element);
  s.config = array::dot_array_config(args.required("--unit"), a, b, out, rows, cols,
                                     int(args.integer("--pipeline", 1, 0, 3)));
  const Distribution dist = parse_distribution(args.get("--dist").value_or("gaussian"));
  const uint64_t seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  const bool fast = args.flag("--fast");
  const long long max_macs = args.integer("--max-macs", 20000000000LL, 1, INT64_MAX);
  std::string trace = args.get("--trace").value_or("");
  if (fast && !trace.empty()) throw InputError("--trace needs a simulation; drop --fast");

  s.workload = workload_of(args);
  uint64_t simulated = 0;
  long double largest = 0;
  for (const sim::GemmShape& shape : s.workload.layers) {
    Layer l;
    l.shape = shape;
    l.run = array::analytic_dot_run(s.config, array::Gemm{shape.M, shape.K, shape.N});
    simulated += l.run.macs;
    // Codes and the reals they come from, the results and the golden ones.
    largest = std::max(largest,
                       12.0L * ((long double)shape.M * shape.K + (long double)shape.K * shape.N) +
                           16.0L * (long double)shape.M * shape.N);
    s.layers.push_back(l);
  }
  if (!fast) {
    if (simulated > uint64_t(max_macs))
      throw InputError(s.workload.name + " needs " + with_commas(simulated) +
                       " products of cycle simulation, more than --max-macs " +
                       with_commas(uint64_t(max_macs)) +
                       "; use --fast for its exact cycle counts, or raise --max-macs");
    require_memory(largest > 1.8e19L ? uint64_t(1.8e19L) : uint64_t(largest),
                   s.workload.name + ": the largest layer (operands and results)",
                   "use --fast for its exact cycle counts");
    if (trace.size() > 4 && trace.compare(trace.size() - 4, 4, ".vcd") == 0)
      trace.resize(trace.size() - 4);
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
