// Seconds per synthesized configuration, and the cached lookup.
//
//   qmac-synth-bench [--cache DIR] [UNIT...]
//
// Synthesizes each unit into a fresh cache directory (so every run is a real
// Yosys run), then asks again (a cache hit), and prints a table with the
// synthesized area, flip-flops and depth. With --cache DIR the cache is DIR
// and is kept: a second run shows what a new process pays for a hit (the
// first lookup includes `yosys -V`). With the default units it also
// prints the areas relative to int8:int8:fx+12, the paper's baseline.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "qmac/cost/synthesis.h"

namespace {

const std::vector<std::string> kDefaultUnits = {
    "int8:int8:int32",    "int8:int8:fx+12",        "e4m3fn:e4m3fn:fp16",
    "e4m3fn:e4m3fn:fp32", "e4m3fnuz:e4m3fnuz:fp16", "e4m3fnuz:e4m3fnuz:fp32",
};

int run(const std::vector<std::string>& units, std::string cache) {
  namespace fs = std::filesystem;
  const bool keep = !cache.empty();
  if (!keep) {
    cache = (fs::temp_directory_path() / "qmac-synth-bench-XXXXXX").string();
    if (!mkdtemp(cache.data())) throw std::runtime_error("cannot create " + cache);
  }
  qmac::cost::SynthesisOptions options;
  options.cache_dir = cache;

  std::printf("%-26s %10s %10s %10s %5s %6s %9s %6s %9s\n", "unit", "area_nand2", "logic",
              "registers", "FFs", "depth", "first_s", "cached", "again_s");
  std::map<std::string, double> area;
  for (const std::string& unit : units) {
    const qmac::cost::SynthesisResult r = qmac::cost::synthesize(unit, options);
    const qmac::cost::SynthesisResult hit = qmac::cost::synthesize(unit, options);
    std::printf("%-26s %10.1f %10.1f %10.1f %5ld %6d %9.4f %6s %9.5f\n", unit.c_str(), r.area_nand2,
                r.area_logic, r.area_registers, r.flip_flops, r.depth, r.seconds,
                r.from_cache ? "yes" : "no", hit.seconds);
    area[unit] = r.area_nand2;
  }
  std::error_code ec;
  if (!keep) fs::remove_all(cache, ec);

  const double base = area.count("int8:int8:fx+12") ? area["int8:int8:fx+12"] : 0;
  for (const char* unit : {"e4m3fnuz:e4m3fnuz:fp16", "e4m3fnuz:e4m3fnuz:fp32"})
    if (base > 0 && area.count(unit))
      std::printf("%s / int8:int8:fx+12 = %.2fx\n", unit, area[unit] / base);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> units(argv + 1, argv + argc);
    std::string cache;
    if (units.size() >= 2 && units[0] == "--cache") {
      cache = units[1];
      units.erase(units.begin(), units.begin() + 2);
    }
    return run(units.empty() ? kDefaultUnits : units, cache);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qmac-synth-bench: %s\n", e.what());
    return 1;
  }
}
