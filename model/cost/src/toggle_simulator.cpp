#include "toggle_simulator.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "fnv1a.h"
#include "qmac/cost/subprocess.h"
#include "qmac/cost/work_dir.h"
#include "yosys_netlist.h"
#include "yosys_reports.h"

namespace qmac::cost::detail {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Bump when the simulator's meaning changes without a hashed input changing
// (toggle_top.cpp's Verilog, the layout file, the compile flags).
constexpr const char* kKeyVersion = "qmac toggle simulator 2";
constexpr const char* kLayoutMagic = "qmac-toggle-layout 1";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string from_env(const char* name, const char* built_in) {
  const char* value = std::getenv(name);
  return value && *value ? value : built_in;
}

std::string synth_dir() {
  return from_env("QMAC_SYNTH_DIR", QMAC_SYNTH_DIR);
}
std::string netlist_flow() {
  return synth_dir() + "/netlist_flow.ys";
}
std::string cost_flow(const SynthesisOptions& o) {
  return o.flow_script.empty() ? synth_dir() + "/cost_flow.ys" : o.flow_script;
}
std::string harness_source() {
  return from_env("QMAC_ENERGY_HARNESS", QMAC_ENERGY_HARNESS);
}

// What a failed tool said: its error lines, else the end of its output.
std::string complaint(const std::string& output) {
  std::istringstream lines(output);
  std::string line, errors;
  while (std::getline(lines, line) && errors.size() < 600)
    if (line.find("rror") != std::string::npos) errors += (errors.empty() ? "" : "\n") + line;
  if (!errors.empty()) return errors;
  if (output.empty()) return "no output";
  return output.size() > 600 ? output.substr(output.size() - 600) : output;
}

std::string run_checked(const std::vector<std::string>& argv, const std::string& cwd,
                        const std::string& what) {
  ProcessResult run = run_process(argv, cwd);
  if (run.exit_status != 0)
    throw ToolError(what + " failed (" + argv[0] + ", exit status " +
                    std::to_string(run.exit_status) + "): " + complaint(run.output));
  return run.output;
}

// A tool's answer to a fixed question, once per process and argv.
std::string ask_once(const std::vector<std::string>& argv) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::string> answers;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = answers.find(argv); it != answers.end()) return it->second;
  std::string out = run_checked(argv, "", "'" + argv[0] + " " + argv[1] + "'");
  return answers[argv] = out.substr(0, out.find('\n'));
}

std::string verilator_root(const ToolOptions& o) {
  return ask_once({o.verilator, "--getenv", "VERILATOR_ROOT"});
}

std::string cache_root(const ToolOptions& o) {
  return o.synthesis.cache_dir.empty() ? default_cache_dir() : o.synthesis.cache_dir;
}

// Reads the design and runs the cost flow, as synthesize() does, then the
// netlist flow; absolute paths, Yosys runs in the work directory.
void write_netlist(const Design& d, const ToolOptions& o, const fs::path& dir) {
  for (const auto& [file, text] : d.generated)
    write_file(dir / file, text);
  std::ostringstream s;
  s << yosys_read_script(d) << "script " << cost_flow(o.synthesis) << "\nscript " << netlist_flow()
    << '\n';
  write_file(dir / "driver.ys", s.str());
  ProcessResult run =
      run_process({o.synthesis.yosys, "-q", "-l", "yosys.log", "-s", "driver.ys"}, dir.string());
  if (run.exit_status != 0) {
    std::error_code ec;
    std::string line = fs::exists(dir / "yosys.log", ec)
                           ? first_error_line(read_file(dir / "yosys.log"))
                           : std::string();
    if (line.empty()) line = complaint(run.output);
    throw ToolError("Yosys failed on " + d.name + " (exit status " +
                    std::to_string(run.exit_status) + "): " + line);
  }
}

// Verilator's runtime library, compiled once per Verilator and compiler
// into `parent` (the cache's energy/ directory).
fs::path runtime_objects(const ToolOptions& o, const fs::path& parent) {
  const std::string root = verilator_root(o);
  const std::string key = Fnv1a()
                              .add(kKeyVersion)
                              .add(root)
                              .add(ask_once({o.verilator, "--version"}))
                              .add(ask_once({o.cxx, "--version"}))
                              .hex();
  const fs::path target = parent / ("runtime-" + key);
  std::error_code ec;
  if (fs::exists(target / "done", ec)) return target;
  WorkDir work(target.parent_path(), "runtime");
  for (const char* unit : {"verilated", "verilated_threads"})
    run_checked({o.cxx, "-std=c++17", "-O1", "-w", "-c", root + "/include/" + unit + ".cpp",
                 "-I" + root + "/include", "-I" + root + "/include/vltstd", "-o",
                 (work / (std::string(unit) + ".o")).string()},
                "", "compiling Verilator's runtime");
  write_file(work / "done", "");
  if (!work.commit(target)) throw ToolError("cannot create " + target.string());
  return target;
}

// One translation unit of the harness and every Verilated file: the header
// parse dominates, and at -O0 the whole compiles in about a second per
// thousand cells. (Simulation is a small part of the time either way.)
void compile(const ToggleTop& top, const TopInterface& ports, const ToolOptions& o,
             const fs::path& dir, const fs::path& runtime_parent) {
  run_checked({o.verilator, "--cc", "-Mdir", "obj", "--prefix", "Vqmac_toggle_top", "--top-module",
               kToggleTopModule, "--x-assign", "fast", "--x-initial", "fast", "-Wno-fatal",
               "-Wno-lint", "-Wno-style", "netlist.v"},
              dir.string(), "Verilator");
  std::ostringstream unity;
  unity << "#include \"" << harness_source() << "\"\n";
  for (const fs::directory_entry& e : fs::directory_iterator(dir / "obj"))
    if (e.path().extension() == ".cpp") unity << "#include \"" << e.path().string() << "\"\n";
  write_file(dir / "unity.cpp", unity.str());
  const fs::path runtime = runtime_objects(o, runtime_parent);
  const std::string root = verilator_root(o);
  run_checked({o.cxx, "-std=c++17", "-O0", "-w",
               "-DQMAC_PROBE_WORDS=" + std::to_string(top.probe_words),
               "-DQMAC_IN_WORDS=" + std::to_string((std::max(1, ports.input_bits()) + 31) / 32),
               "-DQMAC_OUT_WORDS=" + std::to_string((std::max(1, ports.output_bits()) + 31) / 32),
               "-I" + (dir / "obj").string(), "-I" + root + "/include",
               "-I" + root + "/include/vltstd", "unity.cpp", (runtime / "verilated.o").string(),
               (runtime / "verilated_threads.o").string(), "-pthread", "-o", "toggle_sim"},
              dir.string(), "compiling the toggle simulator");
  std::error_code ec;
  fs::remove_all(dir / "obj", ec);
}

// The layout file: what the harness's probe words mean.
std::string layout_text(const ToggleSimulator& s) {
  std::ostringstream out;
  out.precision(6);
  out << kLayoutMagic << "\nwords " << s.probe_words << "\nflip_flops " << s.flip_flops
      << "\nnetlist_seconds " << s.netlist_seconds << "\nbuild_seconds " << s.build_seconds << '\n';
  for (const ProbeGroup& g : s.groups)
    out << "group " << g.type << ' ' << g.first_word << ' ' << g.words << ' ' << g.cells << '\n';
  for (size_t b = 0; b < s.bit_names.size(); ++b)
    if (!s.bit_names[b].empty()) out << "bit " << b << ' ' << s.bit_names[b] << '\n';
  out << "end\n";
  return out.str();
}

bool read_layout(const fs::path& dir, ToggleSimulator& s) {
  std::error_code ec;
  if (!fs::exists(dir / "layout.txt", ec) || !fs::exists(dir / "toggle_sim", ec)) return false;
  std::istringstream in(read_file(dir / "layout.txt"));
  std::string line;
  if (!std::getline(in, line) || line != kLayoutMagic) return false;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string field;
    f >> field;
    if (field == "end") return true;
    if (field == "words") {
      f >> s.probe_words;
      s.bit_names.assign(s.probe_words * 32, "");
    } else if (field == "flip_flops") {
      f >> s.flip_flops;
    } else if (field == "netlist_seconds") {
      f >> s.netlist_seconds;
    } else if (field == "build_seconds") {
      f >> s.build_seconds;
    } else if (field == "group") {
      ProbeGroup g;
      f >> g.type >> g.first_word >> g.words >> g.cells;
      s.groups.push_back(g);
    } else if (field == "bit") {
      size_t b = 0;
      f >> b >> std::ws;
      if (b >= s.bit_names.size()) return false;
      std::getline(f, s.bit_names[b]);
    } else {
      return false;
    }
    if (f.fail()) return false;
  }
  return false;
}

// Builds the simulator in `dir`.
ToggleSimulator build(const Design& design, const TopInterface& ports, const ToolOptions& o,
                      const fs::path& dir) {
  ToggleSimulator s;
  auto start = Clock::now();
  write_netlist(design, o, dir);
  // The same Yosys run is the design's synthesis: cache it as such.
  record_synthesis(design, o.synthesis, dir.string(), seconds_since(start));
  const ToggleTop top =
      toggle_top_verilog(parse_yosys_netlist(read_file(dir / "netlist.json")), ports);
  write_file(dir / "netlist.v", top.verilog);
  s.netlist_seconds = seconds_since(start);
  start = Clock::now();
  // Without the cache, nothing outlives the call: the runtime too is built
  // in the work directory.
  const fs::path energy = fs::path(cache_root(o)) / "energy";
  compile(top, ports, o, dir, o.synthesis.use_cache ? energy : dir);
  s.build_seconds = seconds_since(start);
  s.probe_words = top.probe_words;
  s.groups = top.groups;
  s.bit_names = top.bit_names;
  s.flip_flops = top.flip_flops;
  write_file(dir / "layout.txt", layout_text(s));
  std::error_code ec;
  fs::remove(dir / "netlist.json", ec); // large; netlist.v says the same
  return s;
}

} // namespace

std::string simulator_key(const Design& design, const TopInterface& top, const ToolOptions& o) {
  Fnv1a h;
  h.add(kKeyVersion).add(top.name);
  for (const auto* ports : {&top.inputs, &top.outputs})
    for (const TopPort& p : *ports)
      h.add(p.name).add(std::to_string(p.width));
  return h.add(synthesis_key(design, o.synthesis))
      .add(read_file(netlist_flow()))
      .add(read_file(harness_source()))
      .add(ask_once({o.verilator, "--version"}))
      .add(ask_once({o.cxx, "--version"}))
      .hex();
}

ToggleSimulator toggle_simulator(const Design& design, const TopInterface& top,
                                 const ToolOptions& o, const std::string& scratch) {
  const std::string key = simulator_key(design, top, o);
  const fs::path target = fs::path(cache_root(o)) / "energy" / ("sim-" + key);
  ToggleSimulator s;
  if (o.synthesis.use_cache && read_layout(target, s)) {
    s.executable = (target / "toggle_sim").string();
    s.from_cache = true;
    s.key = key;
    return s;
  }
  if (!o.synthesis.use_cache) {
    s = build(design, top, o, scratch);
    s.executable = (fs::path(scratch) / "toggle_sim").string();
  } else {
    WorkDir work(target.parent_path(), "build");
    s = build(design, top, o, work.path());
    if (!work.commit(target)) throw ToolError("cannot create " + target.string());
    s.executable = (target / "toggle_sim").string();
  }
  s.key = key;
  return s;
}

} // namespace qmac::cost::detail
