#include "qmac/sc/mac_pe.h"

namespace qmac::sc {

MacPe::MacPe(const sc_core::sc_module_name& name, const Format& fa, const Format& fb,
             const AccumulatorSpec& spec, int pipeline)
    : sc_module(name), kernel_(fa, fb, spec), pipeline_(size_t(pipeline)) {
  SC_HAS_PROCESS(MacPe);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void MacPe::on_edge() {
  if (rst.read()) {
    std::fill(pipeline_.begin(), pipeline_.end(), Beat{});
    state_ = AccState{};
    acc.write(state_);
    return;
  }
  Beat now{valid.read(), clear.read(), a.read(), b.read()};
  if (!pipeline_.empty()) { // the oldest beat leaves, the new one enters
    std::swap(now, pipeline_[head_]);
    head_ = (head_ + 1) % pipeline_.size();
  }
  if (now.clear) state_ = AccState{};
  if (now.valid) state_ = kernel_.step(state_, now.a, now.b);
  if (now.clear || now.valid) acc.write(state_);
}

} // namespace qmac::sc
