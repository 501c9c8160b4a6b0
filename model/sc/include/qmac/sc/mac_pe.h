// One MAC processing element as a clocked SystemC module: the SystemC twin of
// rtl/qmac_pe.v over the golden-model arithmetic, for any input formats, any
// accumulator and PIPELINE product registers.
//
// On every rising edge it samples rst, valid, clear, a and b. rst (synchronous)
// empties the pipeline and zeroes the state. Otherwise the beat enters the
// pipeline and the beat leaving it (presented PIPELINE edges earlier) updates
// the accumulator: clear restarts from +0 (flags cleared), valid adds a * b
// with one accumulator step. `acc` shows the state after the edge: latency
// PIPELINE + 1, as qmac_pe. (SystolicArray computes R x C of these in one
// process, for speed; this module is for building other structures.)
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "qmac/array/array_config.h"
#include "qmac/numerics/dot_kernel.h"
#include "qmac/sc/array_ports.h"

namespace qmac::sc {

class MacPe : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst, valid, clear;
  sc_core::sc_in<uint32_t> a, b;
  sc_core::sc_out<AccState> acc;

  MacPe(const sc_core::sc_module_name& name, const Format& fa, const Format& fb,
        const AccumulatorSpec& spec, int pipeline);
  const char* kind() const override { return "qmac::sc::MacPe"; }

private:
  struct Beat {
    bool valid = false, clear = false;
    uint32_t a = 0, b = 0;
  };
  void on_edge();

  const DotKernel kernel_;
  std::vector<Beat> pipeline_; // ring of PIPELINE beats in flight
  size_t head_ = 0;            // the oldest beat
  AccState state_;
};

} // namespace qmac::sc
