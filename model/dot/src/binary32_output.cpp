#include "binary32_output.h"

#include <cfenv>
#include <cmath>
#include <cstring>

#include "fast_block.h"

namespace qmac::dot {

bool Binary32Output::is_binary32(const Format& f) {
  return f == float_format(8, 23, 127, Specials::Ieee);
}

bool Binary32Output::rounds(const RoundingOptions& opts) {
  return (opts.mode == Rounding::NearestEven || opts.mode == Rounding::TowardZero) &&
         !opts.saturate && !opts.flush_subnormals && std::fegetround() == FE_TONEAREST;
}

Operand Binary32Output::operand(uint64_t code) {
  Operand o;
  o.neg = (code >> 31) & 1;
  const int field = int(code >> 23) & 0xff;
  const uint64_t fraction = code & 0x7fffff;
  if (field == 0xff) {
    o.cls = fraction ? Operand::NaN : Operand::Inf;
  } else if (field != 0 || fraction != 0) {
    o.cls = Operand::Finite;
    o.sig = field ? fraction | (1u << 23) : fraction;
    o.exp = field ? field - 127 : -126; // a subnormal aligns at the minimum exponent
    o.lsb = o.exp - 23;
  }
  return o;
}

std::optional<uint64_t> Binary32Output::round(int64_t s, int lsb) const {
  constexpr int64_t kExact = int64_t(1) << 53;
  if (s >= kExact || s <= -kExact) return std::nullopt;
  const double exact = double(s) * FastBlock::power_of_two(lsb);
  const float f = float(exact);
  uint32_t code;
  std::memcpy(&code, &f, sizeof code);
  if (toward_zero_ && std::fabs(double(f)) > std::fabs(exact)) --code; // the magnitude's code
  return code;
}

} // namespace qmac::dot
