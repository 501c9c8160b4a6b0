// The golden twin of qmac_pe: qmac::Multiplier and qmac::Accumulator behind
// the same cycle interface as the Verilated PE, with the PE's latency.
#pragma once

#include <deque>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/mac.h"
#include "rtl_model.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::rtl {

// The accumulator's state as the RTL shows it: register bits and flags.
using qmac::state_of;

class GoldenPe {
public:
  explicit GoldenPe(const Unit& unit);
  void reset();
  // The beat enters the product pipeline; the beat leaving it updates the
  // accumulator, as qmac_pe does on one rising edge.
  PeState cycle(const Beat& beat);

private:
  Multiplier mul_;
  Accumulator acc_;
  std::deque<Beat> pipeline_; // PIPELINE beats in flight, oldest first
};

} // namespace qmac::rtl
