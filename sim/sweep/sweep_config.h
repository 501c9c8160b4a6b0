// A sweep: the design points of a YAML configuration (the cartesian product
// of lists, or explicit points) and the settings of the figures each point
// gets. The schema is in docs/sweeps.md and examples are under configs/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qmac::cli {

// One design point: a MAC configuration on an array running a workload.
struct SweepPoint {
  std::string a, b, acc; // format and accumulator names as written
  int pipeline = 1;
  std::string array = "16x16";
  std::string dataflow = "ws";
  std::string workload = "bert-base";

  // "a=int8 b=int8 acc=int32 pipeline=1 array=16x16 dataflow=ws workload=bert-base"
  std::string key() const;
  // A stable identifier of the key: 16 hex digits.
  std::string id() const;
};

struct AccuracySettings {
  std::vector<std::string> distributions = {"gaussian", "laplace", "uniform", "student-t"};
  uint64_t samples = 65536; // per SQNR figure
  int dot_length = 256;     // K of the dot products through the accumulator
  int dots = 64;            // dot products per figure
  uint64_t seed = 1;
};

struct EnergySettings {
  std::string data = "gaussian";
  long macs = 16384;
  uint64_t seed = 1;
};

struct SweepConfig {
  std::string name;
  std::string path; // the YAML file
  std::vector<SweepPoint> points;
  bool synthesis = true; // area, depth, energy (Yosys, Verilator)
  bool energy = true;
  AccuracySettings accuracy;
  EnergySettings energy_settings;
  // A digest of everything above but the name: results of one configuration
  // only merge with results of the same one.
  std::string digest() const;
};

// Reads and checks a sweep configuration. Throws InputError naming the file,
// the line and the key for YAML errors, unknown or duplicated keys, values of
// the wrong kind, unknown formats, accumulators, workloads and dataflows, and
// an empty sweep.
SweepConfig load_sweep_config(const std::string& path);
SweepConfig parse_sweep_config(const std::string& text, const std::string& path);

} // namespace qmac::cli
