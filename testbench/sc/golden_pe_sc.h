// The golden PE as a SystemC module: the one PE cycle model
// (qmac/array/pe_cycle.h, the golden twin of rtl/qmac_pe.v) behind the ports
// of a unit's generated PE top, clocked like the RTL. A GoldenPeSc and a
// Verilated PE top bind to the same signals and show the same outputs after
// every rising edge.
//
// Why a second SystemC PE beside qmac::sc::MacPe: the ports. MacPe speaks the
// simulator's types (an AccState); a co-simulation needs the port types
// Verilator --sc gives the generated top, listed below. Both are thin wrappers
// of the same cycle model; neither is what the SystemC arrays are built from
// (qmac::sc::SystolicArray computes its PEs in one process, for speed).
//
// Ports, with the types Verilator --sc gives the generated top
// (qmac-rtlgen pe, model/units/include/qmac/units/rtl_unit.h):
//   clk rst valid clear          sc_in<bool>
//   a b        (16 bits)         sc_in<uint32_t>
//   acc        (128 bits)        sc_out<sc_bv<128>>  the register, zero-extended
//   flags      (4 bits)          sc_out<uint32_t>    {special_neg, special_inf,
//                                                     special_nan, overflow}
#pragma once

#include <cstdint>
#include <string>

#include <systemc>

#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

namespace qmac::sc {

using RegisterBits = sc_dt::sc_bv<rtl::kRegisterPortBits>;

// Register and flags <-> the acc and flags port values.
RegisterBits register_bits(const rtl::PeState& s);
rtl::PeState pe_state(const RegisterBits& acc, uint32_t flags);

// A cycle-accurate model of qmac_pe for one unit. On every rising edge of clk
// it samples rst, valid, clear, a and b and then drives acc and flags, as the
// RTL's registers do:
// - rst high (synchronous): the pipeline empties, acc and flags become zero.
// - otherwise the beat enters the product pipeline, and the beat leaving it
//   (the one presented PIPELINE edges earlier) updates the accumulator: clear
//   restarts the sum from +0, valid adds the product. Latency PIPELINE + 1.
// Operands are truncated to the unit's code widths as the generated top does
// (a[A_BITS-1:0]). Outputs are zero until the first edge; reset the PE with
// rst before relying on them, as for the RTL.
class GoldenPeSc : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst, valid, clear;
  sc_core::sc_in<uint32_t> a, b;
  sc_core::sc_out<RegisterBits> acc;
  sc_core::sc_out<uint32_t> flags;

  GoldenPeSc(const sc_core::sc_module_name& name, const rtl::Unit& unit);
  const char* kind() const override { return "qmac::sc::GoldenPeSc"; }

  const rtl::Unit& unit() const { return unit_; }
  // The state driven on acc/flags since the last rising edge.
  const rtl::PeState& state() const { return state_; }
  // Rising edges since the last one with rst high (the reset edge excluded).
  uint64_t cycles() const { return cycles_; }

private:
  void on_rising_edge();

  const rtl::Unit unit_;
  array::PeCycleModel golden_;
  rtl::PeState state_;
  uint64_t cycles_ = 0;
};

// The signals of one PE's inputs (shareable by several PEs) and of its
// outputs, named PREFIX_rst, PREFIX_acc, ...
struct PeInputSignals {
  explicit PeInputSignals(const std::string& prefix);
  sc_core::sc_signal<bool> rst, valid, clear;
  sc_core::sc_signal<uint32_t> a, b;
  // Presents one beat (rst low).
  void write(const rtl::Beat& beat);
};

struct PeOutputSignals {
  explicit PeOutputSignals(const std::string& prefix);
  sc_core::sc_signal<RegisterBits> acc;
  sc_core::sc_signal<uint32_t> flags;
  rtl::PeState read() const { return pe_state(acc.read(), flags.read()); }
};

// Binds any module with the PE ports (GoldenPeSc or a Verilated PE top).
template <class Pe, class Clock>
void bind_pe(Pe& pe, Clock& clk, PeInputSignals& in, PeOutputSignals& out) {
  pe.clk(clk);
  pe.rst(in.rst);
  pe.valid(in.valid);
  pe.clear(in.clear);
  pe.a(in.a);
  pe.b(in.b);
  pe.acc(out.acc);
  pe.flags(out.flags);
}

} // namespace qmac::sc
