// The operands a PE of a systolic array sees, beat by beat, drawn from the
// simulator's distributions (qmac/numerics/tensor.h: absmax-scaled, quantized
// by the golden model), for the energy flow's toggle counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/cost/toggles.h"
#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::cost {

enum class OperandData : uint8_t {
  Gaussian, // N(0, 1), the default: weights and normalized activations
  Uniform,
  Laplace,
  StudentT,
  Zero,        // every operand +0: the floor, where only control and clock switch
  LlmOutliers, // N(0, 1) with 1 value in 256 an outlier of 10 to 30 (Distribution::LlmOutliers)
};
const std::vector<std::string>& operand_data_names();  // "gaussian", ..., "llm-outliers"
OperandData parse_operand_data(std::string_view name); // InputError for others

enum class Dataflow : uint8_t {
  // PE (i, j) computes one output at a time: a[i][k] and b[k][j] for
  // k = 0..K-1, then clears for the next output.
  OutputStationary,
  // PE (k, j) holds the weight b[k][j] for a run of beats while a[m][k]
  // streams by. The PE top has no partial-sum input, so the column's
  // running sum is stood in for by the PE's own register, cleared every K
  // beats: the adder sees a running sum of products as in the column.
  WeightStationary,
};
std::string_view dataflow_name(Dataflow d);     // "os", "ws"
Dataflow parse_dataflow(std::string_view name); // InputError for others

struct StreamOptions {
  OperandData data = OperandData::Gaussian;
  Dataflow dataflow = Dataflow::OutputStationary;
  int k = 256;         // beats between clears (the dot-product length)
  int weight_run = 64; // weight-stationary: beats each weight is held
  long macs = 65536;   // valid beats, rounded up to whole dot products
  uint64_t seed = 1;   // same seed, same stream
};

// Checks the options (InputError naming the bad one).
void check_stream_options(const StreamOptions& o);

struct OperandStream {
  std::vector<Beat> beats; // reset, the MACs, then bubbles that drain the pipeline
  size_t count_from = 0;   // the first beat after reset
  long macs = 0;           // valid beats
};

OperandStream operand_stream(const rtl::Unit& unit, const StreamOptions& o);

// What the dot PE top (dot_top_interface) of an output-stationary array
// sees: dot products of K products, K rounded up to whole blocks of the
// unit's N, each started with c_in = +0 and fed one block per beat. A PE of
// pipeline depth P interleaves L = P + 1 dot products (rtl/qmac_dot_pe.v), so
// the stream issues them in groups of L, block by block, and ends with L
// bubbles that drain the last results. Weight-stationary is a MAC PE's
// stand-in (no partial-sum input) and an InputError here.
struct DotOperandStream {
  PackedBeats beats; // reset, the blocks, the drain
  size_t count_from = 0;
  long products = 0; // valid beats x N
  long dot_products = 0;
  std::vector<uint32_t> a, b; // the element codes, dot product after dot product
  int k = 0;                  // products per dot product (K rounded up to a multiple of N)
};
DotOperandStream dot_operand_stream(const rtl::DotRtlUnit& unit, const StreamOptions& o);

} // namespace qmac::cost
