#include "golden_pe.h"

namespace qmac::rtl {

PeState state_of(const Accumulator& acc) {
  PeState s;
  const AccumulatorSpec& spec = acc.spec();
  if (spec.kind == AccKind::Fixed) {
    const auto& limbs = acc.fixed().limbs();
    const int w = spec.width;
    s.reg[0] = limbs[0] & (w >= 64 ? ~0ull : (1ull << w) - 1);
    s.reg[1] = w <= 64 ? 0 : limbs[1] & (w >= 128 ? ~0ull : (1ull << (w - 64)) - 1);
  } else {
    s.reg[0] = acc.code();
  }
  if (spec.kind != AccKind::Float) {
    const Value& sp = acc.special();
    s.flags =
        uint8_t((acc.overflowed() ? kOverflow : 0) | (sp.is_nan() ? kSpecialNan : 0) |
                (sp.is_inf() ? kSpecialInf : 0) | (sp.is_inf() && sp.negative ? kSpecialNeg : 0));
  }
  return s;
}

GoldenPe::GoldenPe(const Unit& unit)
    : mul_(unit.a, unit.b), acc_(unit.acc), pipeline_(size_t(unit.pipeline)) {}

void GoldenPe::reset() {
  acc_.clear();
  std::fill(pipeline_.begin(), pipeline_.end(), Beat{});
}

PeState GoldenPe::cycle(const Beat& beat) {
  Beat now = beat;
  if (!pipeline_.empty()) {
    pipeline_.push_back(beat);
    now = pipeline_.front();
    pipeline_.pop_front();
  }
  if (now.clear) acc_.clear();
  if (now.valid) acc_.add(mul_(now.a, now.b));
  return state_of(acc_);
}

} // namespace qmac::rtl
