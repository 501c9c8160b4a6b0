// A Verilated dot PE (qmac_dot_pe behind the shared dot top) as a SystemC
// module with exactly the ports of qmac::sc::DotPe: bound to the same signals
// as the SystemC dot PE, its acc equals the SystemC one after every rising
// edge. On each rising edge it applies the port values sampled at that edge
// to the Verilated model, clocks it once and writes the result register.
#pragma once

#include <memory>

#include <systemc>

#include "qmac/sc/dot_pe.h"
#include "rtl_model.h"

namespace qmac::rtl {

class RtlDotPeSc : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst, valid, start;
  sc_core::sc_in<sc::DotPairs> pairs;
  sc_core::sc_in<uint64_t> c_in;
  sc_core::sc_out<uint64_t> acc;

  RtlDotPeSc(const sc_core::sc_module_name& name, const DotUnitEntry& entry)
      : sc_module(name), model_(entry.make_pe()) {
    const size_t n = size_t(parse_dot_rtl_unit(entry.name).unit.n);
    beat_.a.resize(n); // read_beat fills the first n pairs
    beat_.b.resize(n);
    SC_HAS_PROCESS(RtlDotPeSc);
    SC_METHOD(on_edge);
    sensitive << clk.pos();
    dont_initialize();
  }
  const char* kind() const override { return "qmac::rtl::RtlDotPeSc"; }

private:
  void on_edge() {
    if (rst.read()) {
      model_->reset();
      acc.write(0);
      return;
    }
    sc::read_beat(beat_, valid.read(), start.read(), c_in.read(), pairs.read());
    acc.write(model_->cycle(beat_));
  }

  std::unique_ptr<DotPeModel> model_;
  dot::DotBeat beat_;
};

} // namespace qmac::rtl
