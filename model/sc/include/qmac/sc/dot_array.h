// An array of dot-product units in SystemC: the golden twin of
// rtl/qmac_dot_array.v (the timing contract is that file's header and
// qmac/array/dot_array.h's schedule), ROWS x COLS dot PE cycle models
// (qmac/dot/dot_pe_cycle.h), with the ports every dot array model shares so
// that one driver and one checker bind to it or to the Verilated RTL.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <systemc>

#include "qmac/array/dot_array.h"
#include "qmac/dot/dot_pe_cycle.h"

namespace qmac::sc {

// One beat into the array: a block of n codes for every row (a, row r at
// [r * n, r * n + n)) and every column (b, column c at [c * n, ...)).
struct DotArrayBeat {
  bool valid = false, start = false, last = false;
  std::vector<uint32_t> a, b;
  bool operator==(const DotArrayBeat& o) const;
};

// The PEs' result registers after an edge (PE (r, c) at r * cols + c), and
// whether they hold a finished tile.
struct DotArrayOutput {
  bool valid = false;
  std::vector<uint64_t> acc;
  bool operator==(const DotArrayOutput& o) const;
};

DotArrayBeat idle_dot_beat(const array::DotArrayConfig& c);
DotArrayOutput idle_dot_output(const array::DotArrayConfig& c);
std::ostream& operator<<(std::ostream& os, const DotArrayBeat& b);
std::ostream& operator<<(std::ostream& os, const DotArrayOutput& o);
void sc_trace(sc_core::sc_trace_file* tf, const DotArrayBeat& b, const std::string& name);
void sc_trace(sc_core::sc_trace_file* tf, const DotArrayOutput& o, const std::string& name);

// The ports of any dot array model, SystemC or Verilated.
class DotArrayModule : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst;
  sc_core::sc_in<DotArrayBeat> in;
  sc_core::sc_out<DotArrayOutput> out;

protected:
  explicit DotArrayModule(const sc_core::sc_module_name& name) : sc_module(name) {}
};

// On every rising edge: rst (synchronous) resets every PE and the done line;
// otherwise every PE takes its block (c_in = +0) and `out` shows the
// registers after the edge, valid PIPELINE edges after a beat with valid
// and last was sampled.
class DotArray : public DotArrayModule {
public:
  DotArray(const sc_core::sc_module_name& name, const array::DotArrayConfig& config);
  const char* kind() const override { return "qmac::sc::DotArray"; }

private:
  void on_edge();

  array::DotArrayConfig config_;
  std::vector<dot::DotPeCycleModel> pes_;
  std::vector<bool> done_line_; // PIPELINE + 1 registers of valid & last
  dot::DotBeat beat_;           // reused
  DotArrayOutput out_;
};

} // namespace qmac::sc
