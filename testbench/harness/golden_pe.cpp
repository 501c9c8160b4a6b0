#include "golden_pe.h"

namespace qmac::rtl {

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
