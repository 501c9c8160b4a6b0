// A MAC array configuration and a GEMM to map onto it: the vocabulary the
// SystemC arrays, the RTL arrays, the analytical cycle model and `qmac sim`
// share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::array {

// Weight-stationary (B held in the PEs, A streams in from the left, partial
// sums flow down) or output-stationary (each PE owns one output, A streams in
// from the left and B from the top).
enum class Dataflow : uint8_t { WeightStationary, OutputStationary };
const char* dataflow_name(Dataflow d); // "ws" / "os"
Dataflow parse_dataflow(std::string_view text);

// Largest array the simulators accept on a side, and in PEs (a 512x512 array
// is 2.6 times a TPUv1): checked before anything is allocated.
constexpr uint32_t kMaxArraySide = 512;
constexpr uint64_t kMaxArrayPes = 512 * 512;
// Largest GEMM dimension (M, K or N).
constexpr uint64_t kMaxGemmDim = uint64_t(1) << 31;

struct ArrayConfig {
  uint32_t rows = 16, cols = 16;
  Dataflow dataflow = Dataflow::WeightStationary;
  int pipeline = 1; // product registers in every PE, as in qmac_pe
  Format a, b;      // row operand (activations) and column operand (weights)
  AccumulatorSpec acc;

  // Cycles from a beat at the array's input ports to its outputs: the skew
  // across rows and columns, the product pipeline and the output register.
  uint32_t latency() const { return rows + cols + uint32_t(pipeline) - 1; }
  uint64_t pes() const { return uint64_t(rows) * cols; }
};

// "RxC" with 1 <= R, C <= kMaxArraySide; InputError naming the text otherwise.
void parse_array_size(std::string_view text, uint32_t& rows, uint32_t& cols);

// Throws InputError if the configuration is outside what the simulators
// support (sizes, pipeline depth 0..3, block formats, fixed point over 128 bits).
void validate(const ArrayConfig& config);

struct Gemm {
  uint64_t M = 0, K = 0, N = 0;
  uint64_t macs() const { return M * K * N; }
};
// Throws InputError for a zero dimension or one beyond kMaxGemmDim.
void validate(const Gemm& g);

inline uint64_t ceil_div(uint64_t a, uint64_t b) {
  return (a + b - 1) / b;
}

} // namespace qmac::array
