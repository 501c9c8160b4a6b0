// A sweep: the design points of a YAML configuration (the cartesian product
// of lists, or explicit points) and the settings of the figures each point
// gets. The schema is in docs/sweeps.md and examples are under configs/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qmac::cli {

// One design point: a MAC configuration on an array running a workload, or
// (unit not empty) a dot-product unit (model/dot) and its FP32 promotion.
struct SweepPoint {
  std::string a, b, acc; // format and accumulator (a unit's output) names as written
  int pipeline = 1;
  std::string array = "16x16";
  std::string dataflow = "ws";
  std::string workload = "bert-base";
  std::string unit; // as `qmac dot --unit` takes it: "h100", "n=32,bits=14,round=rz"
  int promote = 0;  // `qmac dot --promote`: 0 for none
  // Block formats' scale rule (floor, ceil, even); empty: each format's own.
  std::string scale_rounding;

  bool is_unit() const { return !unit.empty(); }
  // "a=int8 b=int8 acc=int32 pipeline=1 array=16x16 dataflow=ws workload=bert-base";
  // a unit's: "a=e4m3fn b=e4m3fn acc=fp32 unit=h100 promote=128"; either
  // ends with " scale_rounding=ceil" when one is given.
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
  // Dot-product units: their error at each of these K (the reduction
  // lengths of the workloads' layers: BERT's 768 and 3072, the 7B LLM's
  // 4096 and 11008), over unit_dots dot products each.
  std::vector<int> unit_lengths = {128, 768, 3072, 4096, 11008, 16384};
  int unit_dots = 100;
  // The distributions of the units' errors; empty: `distributions`.
  std::vector<std::string> unit_distributions;
  const std::vector<std::string>& of_units() const {
    return unit_distributions.empty() ? distributions : unit_distributions;
  }
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
  // Whether any point is a dot-product unit (its columns then exist).
  bool has_units() const;
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
