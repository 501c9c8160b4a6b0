// The ports every MAC array model has, SystemC (SystolicArray) or Verilated
// RTL (testbench/arrays): one driver and one checker bind to any of them.
#pragma once

#include <systemc>

#include "qmac/sc/array_ports.h"

namespace qmac::sc {

class ArrayModule : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst;
  sc_core::sc_in<ArrayBeat> in;
  sc_core::sc_in<WeightWrite> weights; // WS only (idle for OS)
  sc_core::sc_out<ArrayOutput> out;

protected:
  explicit ArrayModule(const sc_core::sc_module_name& name) : sc_module(name) {}
};

} // namespace qmac::sc
