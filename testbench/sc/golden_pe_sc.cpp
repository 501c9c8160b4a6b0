#include "golden_pe_sc.h"

namespace qmac::sc {

RegisterBits register_bits(const rtl::PeState& s) {
  RegisterBits bits;
  for (int w = 0; w < rtl::kRegisterPortBits / 32; ++w)
    bits.set_word(w, sc_dt::sc_digit(s.reg[size_t(w / 2)] >> (32 * (w % 2))));
  return bits;
}

rtl::PeState pe_state(const RegisterBits& acc, uint32_t flags) {
  rtl::PeState s;
  for (int w = 0; w < rtl::kRegisterPortBits / 32; ++w)
    s.reg[size_t(w / 2)] |= uint64_t(acc.get_word(w)) << (32 * (w % 2));
  s.flags = uint8_t(flags);
  return s;
}

GoldenPeSc::GoldenPeSc(const sc_core::sc_module_name& name, const rtl::Unit& unit)
    : sc_core::sc_module(name), clk("clk"), rst("rst"), valid("valid"), clear("clear"), a("a"),
      b("b"), acc("acc"), flags("flags"), unit_(unit), golden_(rtl::golden_pe(unit_)) {
  acc.initialize(RegisterBits());
  flags.initialize(0);
  SC_HAS_PROCESS(GoldenPeSc);
  SC_METHOD(on_rising_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void GoldenPeSc::on_rising_edge() {
  if (rst.read()) {
    golden_.reset();
    state_ = rtl::PeState{}; // the RTL's reset state: register and flags zero
    cycles_ = 0;
  } else {
    state_ = golden_.cycle({valid.read(), clear.read(), a.read(), b.read()});
    ++cycles_;
  }
  acc.write(register_bits(state_));
  flags.write(state_.flags);
}

PeInputSignals::PeInputSignals(const std::string& prefix)
    : rst((prefix + "_rst").c_str()), valid((prefix + "_valid").c_str()),
      clear((prefix + "_clear").c_str()), a((prefix + "_a").c_str()), b((prefix + "_b").c_str()) {}

void PeInputSignals::write(const rtl::Beat& beat) {
  rst.write(false);
  valid.write(beat.valid);
  clear.write(beat.clear);
  a.write(beat.a);
  b.write(beat.b);
}

PeOutputSignals::PeOutputSignals(const std::string& prefix)
    : acc((prefix + "_acc").c_str()), flags((prefix + "_flags").c_str()) {}

} // namespace qmac::sc
