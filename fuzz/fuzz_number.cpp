// libFuzzer target: the parsers of `qmac quantize` and `qmac decode` -- reals
// (parse_real: decimal, hex-float, inf, nan) and codes (parse_code, and the
// SCALE:ELEMENT tokens of block formats, OperandFormat::value_of).
// Input: byte 0 picks the format, byte 1 the rounding; the rest is lines, each
// tried as a real and as a code. Bad text must give qmac::InputError. Oracles:
// a quantized code fits the format, and every non-NaN code's exact decimal
// value parses and quantizes back to the same code.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "operand.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/real.h"

namespace {

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = qmac::named_formats();
    for (const std::string& b : qmac::named_block_formats())
      v.push_back(b);
    for (const char* g : {"int2", "uint16", "e3m2fnuz_b5", "e4m3fin", "e1m0", "e8m23", "e2m0fn",
                          "uflint4", "flint8", "flint16", "e5m10", "e8m7fnuz", "int16"})
      v.push_back(g);
    return v;
  }();
  return names;
}

uint64_t counter_random(void* state) {
  uint64_t& s = *static_cast<uint64_t*>(state);
  s = s * 6364136223846793005ull + 1442695040888963407ull;
  return s;
}

void check_code(const qmac::Format& f, uint64_t code) {
  if (f.bits < 64 && code >> f.bits) __builtin_trap(); // the code fits the format
  qmac::Value v = qmac::decode(f, code);
  std::string text = qmac::to_decimal(v);
  if (v.is_nan()) return;
  // The exact value reads back, and rounds to its own code.
  if (qmac::quantize(f, qmac::parse_real(text)) != code) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string& name = format_names()[data[0] % format_names().size()];
  const qmac::cli::OperandFormat f = qmac::cli::parse_operand_format(name);
  qmac::RoundingOptions opts;
  opts.mode = qmac::Rounding(data[1] % 4);
  opts.saturate = data[1] & 4;
  uint64_t state = data[1];
  opts.random64 = counter_random;
  opts.random_state = &state;
  std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
  std::vector<qmac::Value> block;
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    try {
      qmac::Real r = qmac::parse_real(line);
      if (f.block) {
        block.push_back(r.nearest);
        if (block.size() == size_t(f.block->block_size)) {
          qmac::Block b = qmac::quantize_block(*f.block, block);
          for (uint64_t e : b.elements)
            (void)qmac::to_decimal(qmac::block_element_value(*f.block, b.scale, e));
          block.clear();
        }
      } else {
        check_code(f.element, qmac::quantize(f.element, r, opts));
      }
    } catch (const qmac::InputError&) {
    }
    try {
      qmac::Value v = f.value_of(line);
      (void)qmac::to_decimal(v);
      if (!f.block) check_code(f.element, qmac::parse_code(line, f.element));
    } catch (const qmac::InputError&) {
    }
  }
  if (!block.empty()) (void)qmac::quantize_block(*f.block, block);
  return 0;
}
