// The analytical cycle model: the cycle count and buffer traffic of a GEMM on
// a MAC array, computed from the tiling alone and equal, cycle for cycle, to
// what the SystemC array and its driver take (tests hold the two together on
// many shapes). `qmac sim --fast` and the sweeps use it: it costs one step per
// tile instead of R * C PE updates per cycle.
//
// The schedule both follow (model/sc/gemm_driver.h implements it as a
// controller that waits on what it observes; this derives its timing). Edges
// are numbered from 1, the first one that samples an input; L = R + C + P - 1.
//
// Weight-stationary, tiles t = (n-tile, k-tile), k innermost, T = ceil(K/R) *
// ceil(N/C). Tile t's weights take R cycles on the weight bus, into buffer t%2,
// starting at W_t; its M beats start at S_t:
//   W_0 = 1,  W_t = max(W_{t-1} + R, S_{t-2} + M + L + 1)   (bus free; buffer
//             free once tile t-2's last result is out and seen)
//   S_t = max(W_t + R, S_{t-1} + M, S_{t-1} + L + 2 if tile t continues the
//             sums of tile t-1)                            (weights in; input
//             port free; partial sums back from the accumulation buffer)
//   cycles = S_{T-1} + M + L - 1.
// Output-stationary, tiles t = (m-tile, n-tile), n innermost, T = ceil(M/R) *
// ceil(N/C): every tile streams max(K, R) beats back to back (at least R so
// that the previous tile's R rows drain under it), then R flush beats drain
// the last one:
//   cycles = T * max(K, R) + R + L.
#pragma once

#include <cstdint>

#include "qmac/array/array_config.h"

namespace qmac::array {

// Elements read from and written to the array's three buffers: A (the
// activation rows), B (the weights / columns) and the accumulation buffer
// (WS: partial sums between k-tiles and the results; OS: the results).
struct BufferTraffic {
  uint64_t a_reads = 0, b_reads = 0, acc_reads = 0, acc_writes = 0;
  bool operator==(const BufferTraffic& o) const {
    return a_reads == o.a_reads && b_reads == o.b_reads && acc_reads == o.acc_reads &&
           acc_writes == o.acc_writes;
  }
};

struct ArrayRun {
  uint64_t cycles = 0, macs = 0, tiles = 0;
  BufferTraffic traffic;
  // Useful MACs per PE per cycle.
  double utilization(const ArrayConfig& c) const {
    return cycles ? double(macs) / (double(c.pes()) * double(cycles)) : 0.0;
  }
};

// Validates both (InputError) and returns what the SystemC simulation would.
ArrayRun analytic_run(const ArrayConfig& config, const Gemm& gemm);

} // namespace qmac::array
