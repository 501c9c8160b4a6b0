// qmac sweep: design-space sweeps over formats, accumulators, pipelines,
// arrays, dataflows and workloads (sweep/), resumable, parallel and sharded.
#include <cstdio>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_runner.h"

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac sweep CONFIG.yaml -o DIR [-j N] [--shard K/N]
       qmac sweep --merge DIR... -o OUT

Evaluates every point of CONFIG.yaml (schema: docs/sweeps.md; examples: configs/):
the analytical gates, Yosys area and depth, energy per MAC from the netlist's
toggles, the array's cycles and utilization on the workload, throughput per
area and per energy, and the accuracy of the formats (SQNR at the best scale,
dot-product error through the accumulator) on each distribution. Results go
to DIR/results.csv and DIR/results.json, one row per point.
  -j N          worker processes (default 1)
  --shard K/N   only points i with i mod N = K-1 (spread a sweep over machines;
                join the directories with --merge)
A killed sweep keeps every finished row; running it again skips them (failed
points are tried again). Synthesis and energy come from the cache when the
RTL has not changed.
)";

void parse_shard(const std::string& s, int& k, int& n) {
  const size_t slash = s.find('/');
  try {
    size_t used1 = 0, used2 = 0;
    if (slash == std::string::npos) throw InputError("");
    k = std::stoi(s.substr(0, slash), &used1);
    n = std::stoi(s.substr(slash + 1), &used2);
    if (used1 != slash || used2 != s.size() - slash - 1 || n < 1 || k < 1 || k > n)
      throw InputError("");
  } catch (const std::exception&) {
    throw InputError("bad --shard '" + s + "': expected K/N with 1 <= K <= N");
  }
}

} // namespace

int cmd_sweep(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"-o", "-j", "--shard"}, {"--merge"}, kHelp, 1 << 20);
  if (!parsed) return 0;
  const Args& args = *parsed;
  const std::string out = args.required("-o");
  if (args.flag("--merge")) {
    if (args.get("-j") || args.get("--shard"))
      throw InputError("--merge takes only the directories and -o");
    const size_t rows = merge_sweeps(args.positional(), out);
    std::printf("merged %zu rows into %s/results.csv and results.json\n", rows, out.c_str());
    return 0;
  }
  if (args.positional().size() != 1)
    throw InputError(args.positional().empty()
                         ? "give the sweep configuration: qmac sweep CONFIG.yaml -o DIR"
                         : "one configuration at a time, got '" + args.positional()[1] + "'");
  const SweepConfig config = load_sweep_config(args.positional()[0]);
  SweepOptions o;
  o.out_dir = out;
  o.jobs = int(args.integer("-j", 1, 1, 256));
  if (auto shard = args.get("--shard")) parse_shard(*shard, o.shard, o.shards);
  o.progress_bar = isatty(2);
  const SweepSummary s = run_sweep(config, o);
  std::printf(
      "%zu points%s: %zu done now (%zu ok, %zu failed), %zu finished before; results in "
      "%s/results.csv and results.json\n",
      s.points,
      o.shards > 1
          ? (" in shard " + std::to_string(o.shard) + "/" + std::to_string(o.shards)).c_str()
          : "",
      s.ok + s.failed, s.ok, s.failed, s.skipped, out.c_str());
  // Failed points are in the results with their errors; the status says so.
  if (s.failed) {
    std::fprintf(stderr, "qmac sweep: %zu points failed (status error in the results)\n", s.failed);
    return 1;
  }
  return 0;
}

} // namespace qmac::cli
