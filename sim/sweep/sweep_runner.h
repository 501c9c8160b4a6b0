// Running a sweep into a directory, resumably and in parallel, and merging
// the directories of a sharded sweep (the directory's files: sweep_store.h).
#pragma once

#include <string>
#include <vector>

#include "sweep_config.h"

namespace qmac::cli {

struct SweepOptions {
  std::string out_dir;
  int jobs = 1;              // worker processes
  int shard = 1, shards = 1; // run points i with i % shards == shard - 1
  bool progress_bar = false; // a bar with ETA (a terminal) or a line per point
};

struct SweepSummary {
  size_t points = 0;  // in this shard
  size_t skipped = 0; // finished by an earlier run
  size_t ok = 0, failed = 0;
};

SweepSummary run_sweep(const SweepConfig& config, const SweepOptions& options);

// Joins the directories of a sweep's shards into out_dir. Throws InputError
// if they come from different configurations or if points are missing (the
// rows that exist are still written).
size_t merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir);

} // namespace qmac::cli
