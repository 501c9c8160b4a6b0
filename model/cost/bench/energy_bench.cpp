// Energy per MAC of a few configurations, and what it costs to get it.
//
//   qmac-energy-bench [--cache DIR] [--macs N] [--seeds N] [UNIT...]
//
// For each unit: Gaussian, uniform and all-zero operands (output-stationary,
// K 256) and Gaussian weight-stationary, in toggle units per MAC split into
// logic, register data and clock, with the picojoule estimate; the seconds
// of the first run (netlist, Verilator + compiler, simulation) and of a
// cache hit; the spread of the Gaussian figure over --seeds seeds; and each
// unit's Gaussian total relative to int8:int8:fx+12. Without --cache the
// cache is a fresh directory, so every first run builds.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "qmac/cost/energy.h"

namespace {

using qmac::cost::EnergyOptions;
using qmac::cost::EnergyResult;
using qmac::cost::OperandData;

const std::vector<std::string> kDefaultUnits = {
    "int8:int8:fx+12",        "int8:int8:int32",    "e4m3fnuz:e4m3fnuz:fp16",
    "e4m3fnuz:e4m3fnuz:fp32", "e4m3fn:e4m3fn:fp32",
};

void row(const std::string& unit, const char* data, const EnergyResult& r) {
  std::printf("%-24s %-9s %9.1f %8.1f %8.1f %7.1f %8.3f %8.0f\n", unit.c_str(), data, r.per_mac,
              r.logic, r.registers, r.clock, r.picojoules_estimate, r.toggles_per_cycle);
}

// Relative standard deviation of the Gaussian total over seeds 1..n.
double seed_spread(const std::string& unit, EnergyOptions o, int n) {
  double sum = 0, sum2 = 0;
  for (int seed = 1; seed <= n; ++seed) {
    o.stream.seed = uint64_t(seed);
    const double e = qmac::cost::estimate_energy(unit, o).per_mac;
    sum += e;
    sum2 += e * e;
  }
  const double mean = sum / n;
  return n > 1 ? std::sqrt(std::max(0.0, (sum2 - n * mean * mean) / (n - 1))) / mean : 0;
}

int run(const std::vector<std::string>& units, std::string cache, long macs, int seeds) {
  namespace fs = std::filesystem;
  const bool keep = !cache.empty();
  if (!keep) {
    cache = (fs::temp_directory_path() / "qmac-energy-bench-XXXXXX").string();
    if (!mkdtemp(cache.data())) throw std::runtime_error("cannot create " + cache);
  }
  EnergyOptions o;
  o.tools.synthesis.cache_dir = cache;
  o.stream.macs = macs;

  std::printf("toggle units per MAC (pJ: a 45 nm estimate, calibrated on Horowitz's int8 "
              "multiply + int32 add)\n");
  std::printf("%-24s %-9s %9s %8s %8s %7s %8s %8s\n", "unit", "data", "per_mac", "logic", "regs",
              "clock", "pJ_est", "tog/cyc");
  std::map<std::string, double> gaussian, zero;
  std::vector<std::string> timing;
  for (const std::string& unit : units) {
    const EnergyResult g = qmac::cost::estimate_energy(unit, o);
    const EnergyResult hit = qmac::cost::estimate_energy(unit, o);
    row(unit, "gaussian", g);
    EnergyOptions u = o;
    u.stream.data = OperandData::Uniform;
    row(unit, "uniform", qmac::cost::estimate_energy(unit, u));
    EnergyOptions z = o;
    z.stream.data = OperandData::Zero;
    const EnergyResult zr = qmac::cost::estimate_energy(unit, z);
    row(unit, "zero", zr);
    EnergyOptions ws = o;
    ws.stream.dataflow = qmac::cost::Dataflow::WeightStationary;
    row(unit, "gauss-ws", qmac::cost::estimate_energy(unit, ws));
    gaussian[unit] = g.per_mac;
    zero[unit] = zr.per_mac;
    char line[256];
    std::snprintf(line, sizeof line, "%-24s %6ld %6ld %9.2f %9.2f %9.3f %9.4f %8.2f%%", unit.c_str(),
                  g.by_type.size() ? [&] {
                    long cells = 0;
                    for (const auto& [t, a] : g.by_type)
                      cells += a.cells;
                    return cells;
                  }()
                                   : 0L,
                  g.flip_flops, g.netlist_seconds, g.build_seconds, g.simulate_seconds, hit.seconds,
                  100 * seed_spread(unit, o, seeds));
    timing.push_back(line);
  }
  std::printf("\n%-24s %6s %6s %9s %9s %9s %9s %9s\n", "unit", "cells", "FFs", "netlist_s",
              "build_s", "sim_s", "cached_s", "seed_rsd");
  for (const std::string& line : timing)
    std::printf("%s\n", line.c_str());
  if (gaussian.count("int8:int8:fx+12")) {
    std::printf("\nrelative to int8:int8:fx+12 (per MAC, total)\n");
    for (const std::string& unit : units)
      std::printf("%-24s gaussian %5.2fx   zero %5.2fx\n", unit.c_str(),
                  gaussian[unit] / gaussian["int8:int8:fx+12"],
                  zero[unit] / zero["int8:int8:fx+12"]);
  }
  std::error_code ec;
  if (!keep) fs::remove_all(cache, ec);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> units;
  std::string cache;
  long macs = 65536;
  int seeds = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--cache" && i + 1 < argc) {
      cache = argv[++i];
    } else if (arg == "--macs" && i + 1 < argc) {
      macs = std::atol(argv[++i]);
    } else if (arg == "--seeds" && i + 1 < argc) {
      seeds = std::atoi(argv[++i]);
    } else {
      units.push_back(arg);
    }
  }
  try {
    return run(units.empty() ? kDefaultUnits : units, cache, macs, seeds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qmac-energy-bench: %s\n", e.what());
    return 1;
  }
}
