// One MAC processing element as a clocked SystemC module: the one PE cycle
// model (qmac/array/pe_cycle.h: the behaviour of rtl/qmac_pe.v) for any input
// formats, any accumulator and PIPELINE product registers, on the
// simulator's port types.
//
// On every rising edge it samples rst, valid, clear, a and b; rst
// (synchronous) is the model's reset, anything else one cycle of it. `acc`
// shows the state after the edge: latency PIPELINE + 1, as qmac_pe.
// (SystolicArray computes R x C PEs in one process, for speed; this module is
// for building other structures.)
#pragma once

#include <cstdint>

#include <systemc>

#include "qmac/array/pe_cycle.h"
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
  void on_edge();

  array::PeCycleModel model_;
};

} // namespace qmac::sc
