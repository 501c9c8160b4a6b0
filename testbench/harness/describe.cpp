#include "describe.h"

#include <algorithm>
#include <cstdio>

#include "qmac/numerics/block.h"
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

namespace {

Format result_format(const DotRtlUnit& u) {
  return u.out.kind == AccKind::Float ? u.out.format : integer_format(u.out.int_bits, true);
}

} // namespace

std::string describe(const DotRtlUnit& unit, const dot::DotBeat& beat) {
  // A code, or a block operand's SCALE:ELEMENT, with its exact value.
  auto code = [](const dot::DotInput& in, uint64_t c) {
    if (!in.block) return describe_code(in.element, uint16_t(c));
    const uint64_t s = in.scale_of(c) & in.block->scale.code_mask(), e = in.element_of(c);
    return format_code(s, in.block->scale.bits) + ":" + format_code(e, in.element.bits) + " (" +
           to_decimal(block_element_value(*in.block, s, e)) + ")";
  };
  auto list = [&](const dot::DotInput& in, const std::vector<uint64_t>& codes) {
    std::string s = "[";
    for (size_t i = 0; i < codes.size(); ++i)
      s += (i ? ", " : "") + code(in, codes[i]);
    return s + "]";
  };
  return "valid=" + std::to_string(beat.valid) + " start=" + std::to_string(beat.start) +
         " c=" + describe_result(unit, beat.c) + "\n    a=" + list(unit.input_a(), beat.a) +
         "\n    b=" + list(unit.input_b(), beat.b);
}

std::string describe_result(const DotRtlUnit& unit, uint64_t code) {
  const Format f = result_format(unit);
  const uint64_t c = code & f.code_mask();
  char hex[24];
  std::snprintf(hex, sizeof hex, "0x%0*llx", (f.bits + 3) / 4, (unsigned long long)c);
  return std::string(hex) + " (" + to_decimal(decode(f, c)) + ")";
}

} // namespace qmac::rtl
