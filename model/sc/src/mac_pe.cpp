#include "qmac/sc/mac_pe.h"

namespace qmac::sc {

MacPe::MacPe(const sc_core::sc_module_name& name, const Format& fa, const Format& fb,
             const AccumulatorSpec& spec, int pipeline)
    : sc_module(name), model_(fa, fb, spec, pipeline) {
  SC_HAS_PROCESS(MacPe);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void MacPe::on_edge() {
  if (rst.read())
    model_.reset();
  else
    model_.cycle({valid.read(), clear.read(), a.read(), b.read()});
  acc.write(model_.state());
}

} // namespace qmac::sc
