#include "binary32_output.h"

#include <cfenv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "fast_block.h"

namespace qmac::dot {

namespace {

float float_of(uint64_t code) {
  const uint32_t bits = uint32_t(code);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace

bool Binary32Output::is_binary32(const Format& f) {
  return f == float_format(8, 23, 127, Specials::Ieee);
}

bool Binary32Output::rounds(const RoundingOptions& opts) {
  return (opts.mode == Rounding::NearestEven || opts.mode == Rounding::TowardZero) &&
         !opts.saturate && !opts.flush_subnormals && std::fegetround() == FE_TONEAREST;
}

Binary32Output::Binary32Output(Rounding mode, int bits)
    : toward_zero_(mode == Rounding::TowardZero), keep_mask_(~((uint32_t(1) << (24 - bits)) - 1)) {
  if (bits < 1 || bits > 24 || (bits < 24 && !toward_zero_))
    throw std::logic_error("Binary32Output narrows toward zero only, to 1..24 bits");
}

bool Binary32Output::round(int64_t s, int lsb, uint64_t& code) const {
  constexpr int64_t kExact = int64_t(1) << 53;
  if (s >= kExact || s <= -kExact) return false;
  code = round_exact(double(s) * FastBlock::power_of_two(lsb));
  return true;
}

bool Binary32Output::add_nearest_even(uint64_t c, uint64_t s, uint64_t& code) {
  const float x = float_of(c), y = float_of(s);
  if (!std::isfinite(x) || !std::isfinite(y)) return false;
  const float sum = float(double(x) + double(y));
  uint32_t bits;
  std::memcpy(&bits, &sum, sizeof bits);
  code = bits;
  return true;
}

} // namespace qmac::dot
