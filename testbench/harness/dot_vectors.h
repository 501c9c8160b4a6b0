// Operand streams for the dot PE cross-checks: directed blocks first, then
// random blocks from several distributions, generated beat by beat (a
// million 32-pair blocks would not fit in memory as a list), all from one
// seed. Block-scaled units get packed SCALE:ELEMENT codes, one scale per
// operand per beat: the directed blocks under unit scales and again under
// the scale extremes (2^-127, 2^127; E4M3's smallest, largest and zero), NaN
// and signed scales; random blocks under random scales.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "qmac/dot/dot_pe_cycle.h"
#include "qmac/units/dot_rtl_unit.h"

namespace qmac::rtl {

class DotBeats {
public:
  DotBeats(const DotRtlUnit& unit, uint64_t seed);
  // The next beat into `beat` (its vectors are reused).
  void next(dot::DotBeat& beat);
  size_t directed_count() const { return directed_.size(); }

private:
  enum class Dist { FiniteCodes, AnyCode, Gaussian, HeavyTailed, Extremes, Cancelling, kCount };
  void random(dot::DotBeat& beat);
  uint64_t operand(const Format& f, Dist d, double scale);
  uint64_t addend();
  // A block operand's scale for a random beat.
  uint64_t random_scale(const BlockFormat& f);
  // The beat's element codes packed with the scales (block operands only).
  void pack(dot::DotBeat& beat, uint64_t scale_a, uint64_t scale_b) const;

  DotRtlUnit unit_;
  std::vector<dot::DotBeat> directed_;
  size_t next_directed_ = 0;
  std::mt19937_64 rng_;
};

} // namespace qmac::rtl
