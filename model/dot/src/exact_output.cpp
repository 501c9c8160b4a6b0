#include "exact_output.h"

#include <cstring>

#include "qmac/numerics/codec.h"

namespace qmac::dot {

namespace {

uint64_t bits_of(double x) {
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

} // namespace

ExactOutput::ExactOutput(const Format& out, const Rounder& rounder) : out_(out), rounder_(rounder) {
  const RoundingOptions& o = rounder.options();
  if (!Binary32Output::rounds(o)) return; // RNE or RZ, no flushing or saturation
  if (Binary32Output::is_binary32(out)) {
    binary32_.emplace(o.mode);
  } else if (out.kind == Kind::Float && out.specials == Specials::Ieee && out.is_signed &&
             out.man_bits >= 1 && out.man_bits <= 51 && out.bias <= 1000 && out.emax() <= 1000) {
    bits_ = Bits{52 - out.man_bits, o.mode == Rounding::TowardZero,
                 out.emin(),        (uint64_t(1) << out.exp_bits) - 1,
                 out.bias - 1023,   (uint64_t(1) << out.man_bits) - 1,
                 out.sign_bit()};
  }
}

double ExactOutput::by_rounder(double x, uint64_t& code) const {
  const uint64_t u = bits_of(x);
  const int field = int(u >> 52) & 0x7ff;
  code = rounder_(Unrounded{(u >> 63) != 0, (u & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52),
                            field - 1075, false});
  return value(code);
}

double ExactOutput::value(uint64_t code) const {
  if (binary32_) return Binary32Output::value(code);
  return decode(out_, code).to_double();
}

} // namespace qmac::dot
