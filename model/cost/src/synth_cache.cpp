#include "synth_cache.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "qmac/files/atomic_file.h"

namespace qmac::cost::detail {
namespace {

namespace fs = std::filesystem;

// Bump when the entry's layout or meaning changes.
constexpr const char* kMagic = "qmac-synth-cache 1";

std::string entry_path(const std::string& root, const std::string& key) {
  return (fs::path(root) / "synth" / (key + ".txt")).string();
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

} // namespace

std::string default_cache_root() {
  if (std::string dir = env("QMAC_CACHE_DIR"); !dir.empty()) return dir;
  if (std::string dir = env("XDG_CACHE_HOME"); !dir.empty()) return dir + "/qmac";
  if (std::string home = env("HOME"); !home.empty()) return home + "/.cache/qmac";
  return (fs::temp_directory_path() / "qmac-cache").string();
}

// Layout, one fact per line:
//   qmac-synth-cache 1
//   name int8:int8:int32
//   yosys Yosys 0.23 (git sha1 7ce5011c24b)
//   seconds 0.61
//   depth 36
//   cell $_AND_ 83          (one line per cell type)
//   end
std::optional<CachedRun> load_cached(const std::string& root, const std::string& key) {
  std::ifstream in(entry_path(root, key));
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return std::nullopt;
  CachedRun run;
  while (std::getline(in, line)) {
    const size_t space = line.find(' ');
    const std::string field = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    std::istringstream values(rest);
    if (field == "end") return run;
    if (field == "name") {
      run.name = rest;
    } else if (field == "yosys") {
      run.yosys_version = rest;
    } else if (field == "seconds") {
      values >> run.seconds;
    } else if (field == "depth") {
      values >> run.depth;
    } else if (field == "cell") {
      std::string type;
      long count = -1;
      values >> type >> count;
      if (count < 0) return std::nullopt;
      run.cells[type] = count;
    } else {
      return std::nullopt;
    }
    if (values.fail()) return std::nullopt;
  }
  return std::nullopt; // no "end": not a whole entry
}

void store_cached(const std::string& root, const std::string& key, const CachedRun& run) {
  std::ostringstream out;
  out.precision(6);
  out << kMagic << "\nname " << run.name << "\nyosys " << run.yosys_version << "\nseconds "
      << run.seconds << "\ndepth " << run.depth << '\n';
  for (const auto& [type, count] : run.cells)
    out << "cell " << type << ' ' << count << '\n';
  out << "end\n";
  // A cache that cannot be written only makes the next run slower.
  std::error_code ec;
  fs::create_directories(fs::path(root) / "synth", ec);
  (void)files::write_atomically(entry_path(root, key), out.str());
}

} // namespace qmac::cost::detail
