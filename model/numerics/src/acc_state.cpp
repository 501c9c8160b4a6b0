#include "qmac/numerics/acc_state.h"

#include <iomanip>

#include "qmac/numerics/accumulator.h"

namespace qmac {
namespace {

uint64_t low_bits(uint64_t x, int bits) {
  return bits >= 64 ? x : bits <= 0 ? 0 : x & ((1ull << bits) - 1);
}

} // namespace

std::ostream& operator<<(std::ostream& os, const AccState& s) {
  const auto flags = os.flags();
  os << "0x" << std::hex;
  if (s.reg[1]) os << s.reg[1] << std::setw(16) << std::setfill('0');
  os << s.reg[0] << std::setfill(' ');
  if (s.flags) os << "/" << int(s.flags);
  os.flags(flags);
  return os;
}

AccState state_of(const Accumulator& acc) {
  AccState s;
  const AccumulatorSpec& spec = acc.spec();
  if (spec.kind == AccKind::Fixed) {
    const auto& limbs = acc.fixed().limbs();
    s.reg[0] = low_bits(limbs[0], spec.width);
    s.reg[1] = low_bits(limbs[1], spec.width - 64);
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

void Accumulator::load_state(const AccState& s) {
  const bool overflowed = s.flags & kOverflow;
  if (spec_.kind == AccKind::Fixed) {
    // Sign-extend the width-bit register to the two 64-bit words load_fixed takes.
    uint64_t lo = s.reg[0], hi = s.reg[1];
    const int w = spec_.width;
    if (w <= 64) {
      if (w < 64) {
        const uint64_t m = 1ull << (w - 1);
        lo = (lo ^ m) - m;
      }
      hi = int64_t(lo) < 0 ? ~0ull : 0;
    } else if (w < 128) {
      const uint64_t m = 1ull << (w - 65);
      hi = ((hi ^ m) - m);
    }
    load_fixed(lo, hi, overflowed);
  } else {
    load(s.reg[0], overflowed);
  }
  if (spec_.kind != AccKind::Float) {
    special_ = Value::zero();
    if (s.flags & kSpecialNan)
      special_ = Value::nan();
    else if (s.flags & kSpecialInf)
      special_ = Value::inf(s.flags & kSpecialNeg);
  }
}

} // namespace qmac
