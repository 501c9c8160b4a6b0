// One dot-product PE as a clocked SystemC module: the dot PE cycle model
// (qmac/dot/dot_pe_cycle.h: the behaviour of rtl/qmac_dot_pe.v) for any dot
// unit the golden model describes, on the simulator's port types.
//
// On every rising edge it samples rst, valid, start, the pairs and c_in; rst
// (synchronous) is the model's reset, anything else one cycle of it. `acc`
// shows the result register after the edge: latency PIPELINE + 1, and
// PIPELINE + 1 dot products interleaved, as qmac_dot_pe.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include <systemc>

#include "qmac/dot/dot_pe_cycle.h"

namespace qmac::sc {

// The pairs of one beat: up to 64 codes of up to 16 bits per operand.
struct DotPairs {
  static constexpr size_t kMax = 64;
  std::array<uint16_t, kMax> a{}, b{};
  bool operator==(const DotPairs& o) const { return a == o.a && b == o.b; }
};
std::ostream& operator<<(std::ostream& os, const DotPairs& p);
void sc_trace(sc_core::sc_trace_file* tf, const DotPairs& p, const std::string& name);

// The beat a dot PE's ports carry: the first beat.a.size() pairs of `p`.
void read_beat(dot::DotBeat& beat, bool valid, bool start, uint64_t c, const DotPairs& p);

class DotPe : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst, valid, start;
  sc_core::sc_in<DotPairs> pairs;
  sc_core::sc_in<uint64_t> c_in;
  sc_core::sc_out<uint64_t> acc;

  // Block inputs (dot::DotInput) take packed SCALE:ELEMENT codes.
  DotPe(const sc_core::sc_module_name& name, const dot::DotInput& fa, const dot::DotInput& fb,
        const AccumulatorSpec& out, const dot::DotUnit& unit, int pipeline);
  const char* kind() const override { return "qmac::sc::DotPe"; }

private:
  void on_edge();

  dot::DotPeCycleModel model_;
  dot::DotBeat beat_; // reused: its vectors keep their capacity
};

} // namespace qmac::sc
