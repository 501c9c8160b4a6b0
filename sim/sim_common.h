// What the two modes of `qmac sim` share (cmd_sim.cpp: MAC arrays;
// sim_dot_array.cpp: arrays of dot-product units): the workload a command
// line names, a layer's timing and check, and number formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli.h"
#include "qmac/array/cycle_model.h"
#include "workload.h"

namespace qmac::cli {

struct Layer {
  sim::GemmShape shape;
  array::ArrayRun run;           // one instance
  std::optional<bool> bit_exact; // not set: not simulated
  uint64_t wrong = 0;            // outputs that differ from the golden GEMM
};

// Exactly one of --gemm, --workload, --topology (InputError otherwise).
sim::Workload workload_of(const Args& args);

std::string percent(double x);              // "12.3%"
std::string with_commas(uint64_t v);        // "1,234,567"
std::string bit_exact_text(const Layer& l); // "-", "yes" or "NO: N outputs differ"

} // namespace qmac::cli
