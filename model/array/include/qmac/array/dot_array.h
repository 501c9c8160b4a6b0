// An array of dot-product units: a ROWS x COLS grid of N-term dot PEs
// (rtl/qmac_dot_array.v), the shape of a tensor core's MMA datapath. Each
// PE owns one output element (output-stationary) and takes one block of N
// products per cycle: row r's N elements of A against column c's N elements
// of B, broadcast to the whole row and column. The configuration, the
// schedule a GEMM follows on it, and that schedule's cycle count in closed
// form (equal, cycle for cycle, to the SystemC dot array and its driver,
// model/sc/dot_array_simulation.h; tests hold them together).
//
// The schedule. Output tiles t = (m-tile, n-tile), n innermost, T =
// ceil(M/R) * ceil(N/C); each takes B = ceil(K/N) blocks (the last padded
// with zero codes). A PE of pipeline depth P interleaves L = P + 1 tiles
// without stalling (rtl/qmac_dot_pe.v), so tiles go in groups of L: group g
// issues, for each block j, one beat of each of its L tiles in turn (a
// bubble for a lane the last group lacks). The beat of cycle i (0-based) is
// sampled at edge i + 1 and its result is in the PEs after edge i + 1 + P:
//   cycles = (G - 1) L B + (B - 1) L + ((T - 1) mod L) + 1 + P,  G = ceil(T / L)
// the edge after which the last tile's results are out.
#pragma once

#include <cstdint>
#include <string>

#include "qmac/array/array_config.h"
#include "qmac/array/cycle_model.h"
#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"

namespace qmac::array {

struct DotArrayConfig {
  uint32_t rows = 4, cols = 4;
  int pipeline = 1; // the dot PE's PIPELINE: L = pipeline + 1 interleaved tiles
  // Element or block formats (MX, NVFP4: packed SCALE:ELEMENT codes, the
  // blocks running along K, one scale per operand per beat).
  dot::DotInput a = Format(), b = Format();
  AccumulatorSpec out;   // the PEs' result register (FP32 in a tensor core)
  std::string unit_text; // as `qmac dot --unit` takes it
  dot::DotUnit unit;     // resolved: a fixed n

  uint32_t lanes() const { return uint32_t(pipeline) + 1; }
  uint64_t pes() const { return uint64_t(rows) * cols; }
  uint64_t products_per_cycle() const { return pes() * uint64_t(unit.n); }
};

// Resolves the unit against the formats (dot::resolve_unit) and checks the
// whole (InputError): sizes as a MAC array's, pipeline 0..3, n a number up
// to 64 (a whole-K unit has no block to issue per cycle), the output at
// most 64 bits; block operands' n divides their format's block.
DotArrayConfig dot_array_config(const std::string& unit_text, const dot::DotInput& a,
                                const dot::DotInput& b, const AccumulatorSpec& out, uint32_t rows,
                                uint32_t cols, int pipeline);
void validate(const DotArrayConfig& config);

// The schedule's dimensions for a GEMM.
struct DotSchedule {
  uint64_t m_tiles = 0, n_tiles = 0, tiles = 0; // T
  uint64_t blocks = 0;                          // B per tile
  uint64_t groups = 0;                          // G
  uint64_t beats = 0;                           // issue cycles, bubbles included
};
DotSchedule dot_schedule(const DotArrayConfig& config, const Gemm& gemm);

// Cycles, useful products (macs), tiles and buffer traffic (A and B
// elements read, padding excluded; results written) of the GEMM.
ArrayRun analytic_dot_run(const DotArrayConfig& config, const Gemm& gemm);

} // namespace qmac::array
