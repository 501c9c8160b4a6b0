#include "qmac/cost/synthesis.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "fnv1a.h"
#include "qmac/cost/gate_library.h"
#include "qmac/cost/subprocess.h"
#include "qmac/cost/work_dir.h"
#include "synth_cache.h"
#include "yosys_cells.h"
#include "yosys_reports.h"

namespace qmac::cost {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Bump when the meaning of a result changes without any hashed input changing.
constexpr const char* kKeyVersion = "qmac synthesis 1";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// An explicit option, else the environment, else where the build found it.
std::string locate(const std::string& option, const char* env_name, const char* built_in) {
  if (!option.empty()) return option;
  if (const char* value = std::getenv(env_name); value && *value) return value;
  return built_in;
}

std::string rtl_dir(const SynthesisOptions& o) {
  return locate(o.rtl_dir, "QMAC_RTL_DIR", QMAC_RTL_DIR);
}

std::string flow_script(const SynthesisOptions& o) {
  if (!o.flow_script.empty()) return o.flow_script;
  return locate("", "QMAC_SYNTH_DIR", QMAC_SYNTH_DIR) + "/cost_flow.ys";
}

// `yosys -V` once per executable and process: the cache key needs it on every
// call, and a cache hit must stay far below 0.1 s.
std::string yosys_version(const std::string& yosys) {
  static std::mutex mutex;
  static std::map<std::string, std::string> versions;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = versions.find(yosys); it != versions.end()) return it->second;
  ProcessResult run = run_process({yosys, "-V"});
  std::string version = run.output.substr(0, run.output.find('\n'));
  if (run.exit_status != 0 || version.empty())
    throw ToolError("'" + yosys + " -V' failed (exit status " + std::to_string(run.exit_status) +
                    "): " + run.output);
  return versions[yosys] = version;
}

// A scratch directory for one Yosys run, removed on every path out.
// Reads the design, fixes its top, then runs the flow script. Paths are
// absolute: Yosys runs in the scratch directory, where the reports land.
std::string driver_script(const Design& d, const std::string& flow) {
  return yosys_read_script(d) + "script " + flow + "\n";
}

// What Yosys said when it failed: its ERROR line, else the end of its output.
std::string yosys_complaint(const fs::path& log, const std::string& output) {
  std::error_code ec;
  std::string line = fs::exists(log, ec) ? detail::first_error_line(read_file(log)) : "";
  if (line.empty()) line = detail::first_error_line(output);
  if (!line.empty()) return line;
  std::string tail = output.size() > 400 ? output.substr(output.size() - 400) : output;
  return tail.empty() ? "no output" : tail;
}

detail::CachedRun run_yosys(const Design& d, const SynthesisOptions& o,
                            const std::string& version) {
  WorkDir scratch(fs::temp_directory_path(), "qmac-synth");
  for (const auto& [file, text] : d.generated)
    write_file(scratch.path() / file, text);
  write_file(scratch.path() / "driver.ys", driver_script(d, flow_script(o)));
  const auto start = Clock::now();
  ProcessResult run =
      run_process({o.yosys, "-q", "-l", "yosys.log", "-s", "driver.ys"}, scratch.path().string());
  if (run.exit_status != 0)
    throw ToolError("Yosys failed on " + d.name + " (exit status " +
                    std::to_string(run.exit_status) +
                    "): " + yosys_complaint(scratch.path() / "yosys.log", run.output));
  detail::CachedRun facts;
  facts.name = d.name;
  facts.seconds = seconds_since(start);
  facts.yosys_version = version;
  facts.cells = detail::parse_stat_cells(read_file(scratch.path() / "stat.json"));
  facts.depth = detail::parse_ltp_length(read_file(scratch.path() / "ltp.txt"));
  return facts;
}

// The areas from the cell counts; a cell type without a weight is an error,
// never a silent zero.
SynthesisResult weigh(const detail::CachedRun& facts) {
  SynthesisResult r;
  r.name = facts.name;
  r.cells = facts.cells;
  r.depth = facts.depth;
  r.yosys_version = facts.yosys_version;
  r.synthesis_seconds = facts.seconds;
  for (const auto& [type, count] : facts.cells) {
    const double weight = gates::yosys_cell_weight(type);
    if (weight < 0)
      throw ToolError("synthesis of " + facts.name + ": Yosys cell type " + type +
                      " has no NAND2-equivalent weight (qmac/cost/gate_library.h)");
    if (gates::is_yosys_flip_flop(type)) {
      r.flip_flops += count;
      r.area_registers += weight * double(count);
    } else {
      r.area_logic += weight * double(count);
    }
  }
  r.area_nand2 = r.area_registers + r.area_logic;
  return r;
}

std::string cache_root(const SynthesisOptions& o) {
  return o.cache_dir.empty() ? default_cache_dir() : o.cache_dir;
}

std::string key_of(const Design& d, const SynthesisOptions& o, const std::string& version) {
  detail::Fnv1a hash;
  hash.add(kKeyVersion).add(read_file(flow_script(o))).add(version).add(d.top);
  for (const auto* files : {&d.sources, &d.headers})
    for (const std::string& file : *files)
      hash.add(fs::path(file).filename().string()).add(read_file(file));
  for (const auto& [file, text] : d.generated)
    hash.add(file).add(text);
  return hash.hex();
}

} // namespace

std::string default_cache_dir() {
  return detail::default_cache_root();
}

namespace {

// The RTL sources and headers of a design, in a stable order (so the key
// does not depend on the directory's); with_dot: the dot-product modules too.
void read_rtl(Design& d, const SynthesisOptions& options, bool with_dot) {
  const std::string dir = rtl_dir(options);
  d.include_dirs = {dir};
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string ext = entry.path().extension().string();
    // A MAC unit is built from the MAC modules: the dot-product modules are
    // not read, so they neither change its netlist (ABC's mapping depends on
    // what Yosys read) nor its cache key.
    const std::string name = entry.path().filename().string();
    if (!with_dot && name.rfind("qmac_dot_", 0) == 0) continue;
    // Nor is a dot PE built from the dot array around it (which would change
    // its figures by ABC's whims, and its key, whenever the array changes).
    if (name.rfind("qmac_dot_array", 0) == 0) continue;
    if (ext == ".v") d.sources.push_back(entry.path().string());
    if (ext == ".vh") d.headers.push_back(entry.path().string());
  }
  if (ec || d.sources.empty())
    throw ToolError("no RTL sources (*.v) in '" + dir + "' (set QMAC_RTL_DIR to qmac's rtl/)");
  std::sort(d.sources.begin(), d.sources.end());
  std::sort(d.headers.begin(), d.headers.end());
}

} // namespace

Design unit_design(const rtl::Unit& unit, const SynthesisOptions& options) {
  Design d;
  d.name = unit.name;
  d.top = rtl::module_name(unit.name);
  read_rtl(d, options, false);
  d.generated = {{d.top + ".v", rtl::pe_top_verilog(unit, d.top)}};
  return d;
}

Design dot_design(const rtl::DotRtlUnit& unit, const SynthesisOptions& options) {
  Design d;
  d.name = "dot " + unit.name;
  d.top = "dot_" + rtl::module_name(unit.name);
  read_rtl(d, options, true);
  d.generated = {{d.top + ".v", rtl::dot_pe_top_verilog(unit, d.top)}};
  return d;
}

std::string synthesis_key(const Design& design, const SynthesisOptions& options) {
  return key_of(design, options, yosys_version(options.yosys));
}

SynthesisResult synthesize(const Design& design, const SynthesisOptions& options) {
  const auto start = Clock::now();
  const std::string version = yosys_version(options.yosys);
  const std::string key = key_of(design, options, version);
  const std::string root = cache_root(options);
  if (options.use_cache) {
    std::optional<detail::CachedRun> cached = detail::load_cached(root, key);
    if (cached && cached->name == design.name) {
      SynthesisResult r = weigh(*cached);
      r.from_cache = true;
      r.key = key;
      r.seconds = seconds_since(start);
      return r;
    }
  }
  const detail::CachedRun facts = run_yosys(design, options, version);
  SynthesisResult r = weigh(facts); // before storing: an unweighable netlist is not cached
  if (options.use_cache) detail::store_cached(root, key, facts);
  r.key = key;
  r.seconds = seconds_since(start);
  return r;
}

void record_synthesis(const Design& design, const SynthesisOptions& options,
                      const std::string& report_dir, double seconds) {
  if (!options.use_cache) return;
  const std::string version = yosys_version(options.yosys);
  const std::string key = key_of(design, options, version);
  const std::string root = cache_root(options);
  if (std::optional<detail::CachedRun> cached = detail::load_cached(root, key)) return;
  try {
    detail::CachedRun facts;
    facts.name = design.name;
    facts.seconds = seconds;
    facts.yosys_version = version;
    facts.cells = detail::parse_stat_cells(read_file(fs::path(report_dir) / "stat.json"));
    facts.depth = detail::parse_ltp_length(read_file(fs::path(report_dir) / "ltp.txt"));
    (void)weigh(facts); // an unweighable netlist is not cached
    detail::store_cached(root, key, facts);
  } catch (const std::exception&) {
    // synthesize() runs Yosys itself and reports the problem.
  }
}

SynthesisResult synthesize(const rtl::Unit& unit, const SynthesisOptions& options) {
  return synthesize(unit_design(unit, options), options);
}

SynthesisResult synthesize(std::string_view unit_name, const SynthesisOptions& options) {
  return synthesize(rtl::parse_unit(unit_name), options);
}

SynthesisResult synthesize(const rtl::DotRtlUnit& unit, const SynthesisOptions& options) {
  return synthesize(dot_design(unit, options), options);
}

std::string yosys_read_script(const Design& d) {
  std::ostringstream s;
  s << "read_verilog";
  for (const std::string& dir : d.include_dirs)
    s << " -I" << dir;
  for (const std::string& file : d.sources)
    s << ' ' << file;
  for (const auto& [file, text] : d.generated)
    s << ' ' << file;
  s << "\nhierarchy -check -top " << d.top << '\n';
  return s.str();
}

} // namespace qmac::cost
