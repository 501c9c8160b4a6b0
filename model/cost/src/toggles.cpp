#include "qmac/cost/toggles.h"

#include <chrono>
#include <filesystem>
#include <sstream>

#include "qmac/numerics/format.h"
#include "subprocess.h"
#include "toggle_simulator.h"
#include "work_dir.h"

namespace qmac::cost {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void append_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i, value >>= 8)
    out += char(value & 0xff);
}

// The harness's stimulus format (toggle_harness.cpp).
std::string stimulus(const std::vector<Beat>& beats, size_t count_from) {
  std::string s = "qmac-stimulus 1\n";
  append_le(s, beats.size(), 8);
  append_le(s, count_from, 8);
  s.reserve(s.size() + beats.size() * 5);
  for (const Beat& b : beats) {
    append_le(s, b.a, 2);
    append_le(s, b.b, 2);
    append_le(s, uint64_t(b.rst) | uint64_t(b.valid) << 1 | uint64_t(b.clear) << 2, 1);
  }
  return s;
}

// The harness's counts per probe word, per net, and the last outputs, read
// into `c` by the simulator's layout.
void read_counts(const std::string& text, const detail::ToggleSimulator& sim, ToggleCounts& c) {
  std::vector<long> rises(sim.probe_words), falls(sim.probe_words);
  std::istringstream in(text);
  std::string field;
  bool complete = false;
  while (in >> field) {
    if (field == "cycles") {
      in >> c.cycles;
    } else if (field == "word" || field == "net") {
      size_t index = 0;
      long r = 0, f = 0;
      in >> index >> r >> f;
      if (field == "word" && index < rises.size()) {
        rises[index] = r;
        falls[index] = f;
      } else if (field == "net" && index < sim.bit_names.size()) {
        c.nets.push_back({sim.bit_names[index], "", r, f});
        for (const detail::ProbeGroup& g : sim.groups)
          if (index / 32 >= g.first_word && index / 32 < g.first_word + g.words)
            c.nets.back().type = g.type;
      }
    } else if (field == "acc") {
      in >> c.acc;
    } else if (field == "flags") {
      in >> c.flags;
      complete = true;
    }
  }
  if (!complete || in.bad()) throw ToolError("the toggle simulator wrote incomplete counts");
  for (const detail::ProbeGroup& g : sim.groups) {
    CellActivity& a = c.by_type[g.type];
    a.cells = g.cells;
    for (size_t w = g.first_word; w < g.first_word + g.words; ++w) {
      a.rises += rises[w];
      a.falls += falls[w];
    }
  }
}

} // namespace

std::string toggle_simulator_key(const Design& design, const ToolOptions& options) {
  return detail::simulator_key(design, options);
}

ToggleCounts count_toggles(const Design& design, const std::vector<Beat>& beats, size_t count_from,
                           const ToolOptions& options, bool per_net) {
  if (count_from < 1 || count_from >= beats.size())
    throw InputError("count_from must be at least 1 and leave a beat to count");
  detail::WorkDir scratch(fs::temp_directory_path(), "qmac-toggles");
  const detail::ToggleSimulator sim =
      detail::toggle_simulator(design, options, scratch.path().string());
  detail::write_file(scratch / "stimulus.bin", stimulus(beats, count_from));

  const auto start = Clock::now();
  std::vector<std::string> argv{sim.executable, (scratch / "stimulus.bin").string(),
                                (scratch / "counts.txt").string()};
  if (per_net) argv.push_back("--per-net");
  const detail::ProcessResult run = detail::run_process(argv);
  if (run.exit_status != 0)
    throw ToolError("the toggle simulator of " + design.name + " failed (exit status " +
                    std::to_string(run.exit_status) + "): " + run.output);
  ToggleCounts c;
  c.simulate_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  read_counts(detail::read_file(scratch / "counts.txt"), sim, c);
  c.flip_flops = sim.flip_flops;
  c.netlist_seconds = sim.netlist_seconds;
  c.build_seconds = sim.build_seconds;
  c.built_from_cache = sim.from_cache;
  c.key = sim.key;
  return c;
}

} // namespace qmac::cost
