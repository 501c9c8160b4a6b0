// The one cycle model of a MAC processing element (rtl/qmac_pe.v): what its
// registers hold after each rising edge. The RTL's golden twin in every
// cross-check (testbench/), and the behaviour of the SystemC PE modules
// (qmac::sc::MacPe, and the co-simulation's GoldenPeSc, which differ only in
// their port types). SystolicArray does not instantiate it: it computes R x C
// PEs in one process for speed, and the lockstep tests hold it to the RTL.
//
// On a rising edge the beat (valid, clear, a, b) enters a PIPELINE-deep
// product pipeline and the beat leaving it (presented PIPELINE edges
// earlier) updates the accumulator: clear restarts the sum from +0 (flags
// cleared), then valid adds a * b with one accumulator step. Latency
// PIPELINE + 1. A bubble (valid low) changes nothing unless it clears.
// Operands are truncated to their formats' code widths, as the RTL's ports
// are. reset() is the RTL's synchronous reset: pipeline empty, state zero.
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/numerics/dot_kernel.h"

namespace qmac::array {

// One cycle's inputs of a PE.
struct PeBeat {
  bool valid = false, clear = false;
  uint32_t a = 0, b = 0;
};

class PeCycleModel {
public:
  PeCycleModel(const Format& a, const Format& b, const AccumulatorSpec& acc, int pipeline);
  void reset();
  // One rising edge; returns the state after it.
  const AccState& cycle(const PeBeat& beat);
  const AccState& state() const { return state_; }

private:
  DotKernel kernel_; // one accumulator step, bit-identical to Accumulator::add
  uint32_t mask_a_, mask_b_;
  std::vector<PeBeat> pipeline_; // a ring of the PIPELINE beats in flight
  size_t oldest_ = 0;
  AccState state_;
};

} // namespace qmac::array
