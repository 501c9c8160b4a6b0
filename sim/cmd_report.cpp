// qmac report: the efficiency report (HTML and Markdown with figures) of a
// sweep's results; without --from it first runs the default study.
#include <cstdio>
#include <filesystem>
#include <thread>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "report/report_script.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_runner.h"
#include "sweep/table_io.h"

#ifndef QMAC_DEFAULT_STUDY
#define QMAC_DEFAULT_STUDY "configs/default.yaml"
#endif

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac report [--from DIR] -o OUT [--config YAML] [-j N]

Writes OUT/index.html (one self-contained page: figures embedded, no network),
OUT/report.md and its PNG figures from the results of a sweep: area and energy
per MAC relative to int8 -> fx+12, the FP8-vs-INT8 paper's Figure 3 next to
qmac's gate model and synthesis, SQNR-versus-energy Pareto fronts per
distribution, array throughput per area and energy on each workload, the
4-bit formats, and a conclusion written from the numbers.
  --from DIR     the results of `qmac sweep ... -o DIR` (DIR/results.csv)
  --config YAML  without --from: the study to run first, into OUT/sweep
                 (default: the source tree's configs/default.yaml); running
                 the command again resumes it and reuses finished points
  -j N           worker processes for that study (default: the cores)
The figures are drawn by scripts/report/make_report.py with Debian's
/usr/bin/python3 and python3-matplotlib ($QMAC_REPORT_SCRIPT and $QMAC_PYTHON
override them). Picojoules, GHz and TOPS/W in the report are estimates.
)";

// The binary itself, so the script's `qmac cost` calls price with this build.
std::string self_path() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("qmac") : p.string();
}

// Runs (or resumes) the study into dir; failed points stay in the results
// and the report lists them, so they do not stop the report.
void run_study(const std::string& config_path, const std::string& dir, int jobs) {
  const SweepConfig config = load_sweep_config(config_path);
  SweepOptions o;
  o.out_dir = dir;
  o.jobs = jobs;
  o.progress_bar = isatty(2);
  std::fprintf(stderr, "qmac report: running %s into %s\n", config_path.c_str(), dir.c_str());
  const SweepSummary s = run_sweep(config, o);
  if (s.failed)
    std::fprintf(stderr, "qmac report: %zu points failed; the report lists them\n", s.failed);
}

} // namespace

int cmd_report(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"--from", "-o", "--config", "-j"}, {}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  const std::string out = args.required("-o");
  std::string results;
  if (auto from = args.get("--from")) {
    if (args.get("--config") || args.get("-j"))
      throw InputError("--from reports existing results; --config and -j run a new study");
    results = *from;
    if (!std::filesystem::is_directory(results))
      throw InputError("no results directory '" + results + "'");
    if (!std::filesystem::is_regular_file(results + "/results.csv"))
      throw InputError("'" + results + "/results.csv' does not exist (qmac sweep CONFIG -o " +
                       results + " writes it)");
  } else {
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    results = out + "/sweep";
    run_study(args.get("--config").value_or(QMAC_DEFAULT_STUDY), results,
              int(args.integer("-j", cores, 1, 256)));
  }
  make_output_dir(out);
  run_report_script(find_report_script(), results, out, self_path());
  return 0;
}

} // namespace qmac::cli
