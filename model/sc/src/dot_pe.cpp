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

DotPe::DotPe(const sc_core::sc_module_name& name, const Format& fa, const Format& fb,
             const AccumulatorSpec& out, const dot::DotUnit& unit, int pipeline)
    : sc_module(name), model_(fa, fb, out, unit, pipeline), n_(size_t(unit.n)) {
  if (n_ > DotPairs::kMax)
    throw InputError("a SystemC dot PE takes at most 64 pairs per cycle, not n=" +
                     std::to_string(n_));
  beat_.a.resize(n_);
  beat_.b.resize(n_);
  SC_HAS_PROCESS(DotPe);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void DotPe::on_edge() {
  if (rst.read()) {
    model_.reset();
  } else {
    const DotPairs& p = pairs.read();
    beat_.valid = valid.read();
    beat_.start = start.read();
    beat_.c = c_in.read();
    for (size_t i = 0; i < n_; ++i) {
      beat_.a[i] = p.a[i];
      beat_.b[i] = p.b[i];
    }
    model_.cycle(beat_);
  }
  acc.write(model_.result());
}

} // namespace qmac::sc
