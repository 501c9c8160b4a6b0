#include "describe.h"

#include <algorithm>

#include "qmac/numerics/codec.h"

namespace qmac::rtl {

std::string describe(const Unit& unit, const PeState& s) {
  const int bits = unit.acc.register_bits();
  std::string text = format_code(s.reg[0], std::min(64, bits));
  if (bits > 64) text = format_code(s.reg[1], bits - 64) + "_" + text.substr(2);
  std::string flags;
  if (s.flags & kOverflow) flags += " overflow";
  if (s.flags & kSpecialNan) flags += " nan";
  if (s.flags & kSpecialInf) flags += (s.flags & kSpecialNeg) ? " -inf" : " +inf";
  if (!flags.empty()) text += " [" + flags.substr(1) + "]";
  return text;
}

std::string describe_code(const Format& f, uint16_t code) {
  return format_code(code, f.bits) + " (" + to_decimal(decode(f, code)) + ")";
}

std::string describe(const Unit& unit, const Beat& b) {
  return "valid=" + std::to_string(b.valid) + " clear=" + std::to_string(b.clear) +
         " a=" + describe_code(unit.a, b.a) + " b=" + describe_code(unit.b, b.b);
}

} // namespace qmac::rtl
