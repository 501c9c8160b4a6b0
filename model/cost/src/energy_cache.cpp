#include "energy_cache.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "qmac/files/atomic_file.h"

namespace qmac::cost::detail {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMagic = "qmac-energy-cache 1";

fs::path entry_path(const std::string& root, const std::string& key) {
  return fs::path(root) / "energy" / ("result-" + key + ".txt");
}

} // namespace

// Layout, one fact per line:
//   qmac-energy-cache 1
//   name int8:int8:int32
//   macs 65536 cycles 65538 flip_flops 55 flags 0
//   acc 000...0ffff138b
//   seconds NETLIST BUILD SIMULATE
//   type $_AND_ CELLS RISES FALLS      (one line per cell type)
//   end
std::optional<CachedCounts> load_energy(const std::string& root, const std::string& key) {
  std::ifstream in(entry_path(root, key));
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return std::nullopt;
  CachedCounts e;
  ToggleCounts& c = e.counts;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string field;
    f >> field;
    if (field == "end") return e;
    if (field == "name") {
      f >> std::ws;
      std::getline(f, e.name);
    } else if (field == "macs") {
      std::string w1, w2, w3;
      f >> e.macs >> w1 >> c.cycles >> w2 >> c.flip_flops >> w3 >> c.flags;
    } else if (field == "acc") {
      f >> c.acc;
    } else if (field == "seconds") {
      f >> c.netlist_seconds >> c.build_seconds >> c.simulate_seconds;
    } else if (field == "type") {
      std::string type;
      CellActivity a;
      f >> type >> a.cells >> a.rises >> a.falls;
      c.by_type[type] = a;
    } else {
      return std::nullopt;
    }
    if (f.fail()) return std::nullopt;
  }
  return std::nullopt; // no "end": not a whole entry
}

void store_energy(const std::string& root, const std::string& key, const CachedCounts& e) {
  const ToggleCounts& c = e.counts;
  std::ostringstream out;
  out.precision(6);
  out << kMagic << "\nname " << e.name << "\nmacs " << e.macs << " cycles " << c.cycles
      << " flip_flops " << c.flip_flops << " flags " << c.flags << "\nacc " << c.acc << "\nseconds "
      << c.netlist_seconds << ' ' << c.build_seconds << ' ' << c.simulate_seconds << '\n';
  for (const auto& [type, a] : c.by_type)
    out << "type " << type << ' ' << a.cells << ' ' << a.rises << ' ' << a.falls << '\n';
  out << "end\n";
  // A cache that cannot be written only makes the next run slower.
  const std::filesystem::path path = entry_path(root, key);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  (void)files::write_atomically(path, out.str());
}

} // namespace qmac::cost::detail
