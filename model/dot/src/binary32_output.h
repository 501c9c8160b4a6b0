// Rounding a block's window sum into an IEEE binary32 output by the CPU's own
// conversion (not installed): the fast path's last step for fp32 outputs,
// which every FP8 unit of the presets has. Where it applies it gives the
// Rounder's code (test_dot_binary32 checks both on boundary and random sums).
//
// The window sum S * 2^lsb is exact in double when |S| < 2^53 (and lsb keeps
// it in range: FastBlock::fits), so converting that double to float rounds
// the exact value once, to nearest even, with IEEE's subnormals and overflow
// to Inf. Toward zero is the same conversion stepped back one code wherever
// it rounded away from zero (an overflow to Inf steps back to the largest
// finite value, as RZ demands).
#pragma once

#include <cstdint>
#include <optional>

#include "operands.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"

namespace qmac::dot {

class Binary32Output {
public:
  static bool is_binary32(const Format& f);
  // Whether the conversion rounds as opts asks: RNE or RZ, subnormals kept,
  // no saturation (and the CPU in its default rounding mode).
  static bool rounds(const RoundingOptions& opts);
  // A binary32 code as the alignment reads it (operand_of(decode(code))).
  static Operand operand(uint64_t code);

  explicit Binary32Output(Rounding mode) : toward_zero_(mode == Rounding::TowardZero) {}

  // The code of s * 2^lsb (s nonzero), or nullopt when |s| >= 2^53.
  std::optional<uint64_t> round(int64_t s, int lsb) const;

private:
  bool toward_zero_;
};

} // namespace qmac::dot
