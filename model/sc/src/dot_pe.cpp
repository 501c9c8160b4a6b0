#include "qmac/sc/dot_pe.h"

namespace qmac::sc {

std::ostream& operator<<(std::ostream& os, const DotPairs& p) {
  for (size_t i = 0; i < DotPairs::kMax; ++i)
    if (p.a[i] || p.b[i]) os << (i ? " " : "") << i << ":" << p.a[i] << "x" << p.b[i];
  return os;
}

void sc_trace(sc_core::sc_trace_file* tf, const DotPairs& p, const std::string& name) {
  for (size_t i = 0; i < DotPairs::kMax; ++i) {
    sc_core::sc_trace(tf, p.a[i], name + ".a" + std::to_string(i));
    sc_core::sc_trace(tf, p.b[i], name + ".b" + std::to_string(i));
  }
}

void read_beat(dot::DotBeat& beat, bool valid, bool start, uint64_t c, const DotPairs& p) {
  beat.valid = valid;
  beat.start = start;
  beat.c = c;
  for (size_t i = 0; i < beat.a.size() && i < DotPairs::kMax; ++i) {
    beat.a[i] = p.a[i];
    beat.b[i] = p.b[i];
  }
}

DotPe::DotPe(const sc_core::sc_module_name& name, const dot::DotInput& fa, const dot::DotInput& fb,
             const AccumulatorSpec& out, const dot::DotUnit& unit, int pipeline)
    : sc_module(name), model_(fa, fb, out, unit, pipeline) {
  if (size_t(unit.n) > DotPairs::kMax)
    throw InputError("a SystemC dot PE takes at most 64 pairs per cycle, not n=" +
                     std::to_string(unit.n));
  beat_.a.resize(size_t(unit.n)); // read_beat fills the first n pairs
  beat_.b.resize(size_t(unit.n));
  SC_HAS_PROCESS(DotPe);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void DotPe::on_edge() {
  if (rst.read()) {
    model_.reset();
  } else {
    read_beat(beat_, valid.read(), start.read(), c_in.read(), pairs.read());
    model_.cycle(beat_);
  }
  acc.write(model_.result());
}

} // namespace qmac::sc
