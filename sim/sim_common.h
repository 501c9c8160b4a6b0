// What the two modes of `qmac sim` share (cmd_sim.cpp: MAC arrays;
// sim_dot_array.cpp: arrays of dot-product units): the workload a command
// line names, a layer's timing and check, and number formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "json.h"
#include "qmac/array/cycle_model.h"
#include "qmac/dot/dot_input.h"
#include "qmac/numerics/tensor.h"
#include "workload.h"

namespace qmac::cli {

struct Layer {
  sim::GemmShape shape;
  array::ArrayRun run;           // one instance
  std::optional<bool> bit_exact; // not set: not simulated
  uint64_t wrong = 0;            // outputs that differ from the golden GEMM
};

// The whole workload: every layer times its count. `work` counts MACs (a
// MAC array) or products (an array of dot units); utilization is work over
// `per_cycle` of it times the cycles.
struct Totals {
  uint64_t cycles = 0, work = 0, wrong = 0, simulated = 0;
  array::BufferTraffic traffic;
  double utilization = 0;
};
Totals totals_of(const std::vector<Layer>& layers, uint64_t per_cycle);

// Holds a simulated layer to the analytical model (a disagreement is a bug
// in qmac: std::logic_error) and counts the results that differ from the
// golden ones.
template <typename Result>
void check_layer(Layer& layer, const array::ArrayRun& run, const std::vector<Result>& want,
                 const std::vector<Result>& got) {
  if (run.cycles != layer.run.cycles || !(run.traffic == layer.run.traffic))
    throw std::logic_error("layer " + layer.shape.name + ": SystemC took " +
                           std::to_string(run.cycles) + " cycles, the analytical model says " +
                           std::to_string(layer.run.cycles));
  for (size_t k = 0; k < want.size(); ++k)
    layer.wrong += want[k] != got[k];
  layer.bit_exact = layer.wrong == 0;
}

// Exactly one of --gemm, --workload, --topology (InputError otherwise).
sim::Workload workload_of(const Args& args);

// Layer i's operands, A (M x K) and B (K x N) codes, each layer from its own
// stream of `seed` so that layers do not shift each other.
std::pair<std::vector<uint32_t>, std::vector<uint32_t>>
layer_operands(const Format& a, const Format& b, const array::Gemm& g, Distribution dist,
               uint64_t seed, size_t i);
// The same for a dot array's inputs: a block format's A quantized in blocks
// along each row of K, its B along each column (K), packed SCALE:ELEMENT.
std::pair<std::vector<uint32_t>, std::vector<uint32_t>>
layer_operands(const dot::DotInput& a, const dot::DotInput& b, const array::Gemm& g,
               Distribution dist, uint64_t seed, size_t i);

// The text table's header and a layer's row (its cycles times its count).
extern const char* const kLayerHeader;
std::string layer_line(const Layer& l, double utilization);
// A layer's JSON object; `work` names its MACs or products.
void layer_json(Json& j, const Layer& l, double utilization, const char* work);

std::string percent(double x);              // "12.3%"
std::string with_commas(uint64_t v);        // "1,234,567"
std::string bit_exact_text(const Layer& l); // "-", "yes" or "NO: N outputs differ"

} // namespace qmac::cli
