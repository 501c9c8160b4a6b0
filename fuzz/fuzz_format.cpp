// libFuzzer target: format names and accumulator names.
// Input: up to three lines "A\nB\nACC" -- element formats A and B (also tried
// as block formats) and an accumulator for their products. Bad names must give
// qmac::InputError; a parsed format must parse again from its own name to
// itself, and the accumulator must construct and print its register.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"

namespace {

std::string_view next_line(std::string_view& s) {
  size_t nl = s.find('\n');
  std::string_view line = s.substr(0, nl);
  s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  return line;
}

qmac::Format element(std::string_view name) {
  try {
    if (auto b = qmac::find_block_format(name)) return b->element;
    qmac::Format f = qmac::parse_format(name);
    if (!(qmac::parse_format(f.name) == f)) __builtin_trap(); // the name names the format
    if (f.bits < 1 || f.bits > 64) __builtin_trap();
    return f;
  } catch (const qmac::InputError&) {
    return qmac::integer_format(8, true);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view a = next_line(in), b = next_line(in), acc = next_line(in);
  qmac::Format fa = element(a), fb = element(b);
  try {
    qmac::AccumulatorSpec spec = qmac::parse_accumulator(acc, fa, fb, size & 1, size & 2);
    qmac::Accumulator r(spec);
    auto top = [](const qmac::Format& f) { return f.bits >= 64 ? ~0ull : (1ull << f.bits) - 1; };
    r.add(qmac::multiply(qmac::decode(fa, 1), qmac::decode(fb, 1)));
    r.add(qmac::multiply(qmac::decode(fa, top(fa) >> 1), qmac::decode(fb, top(fb) >> 1)));
    r.add(qmac::multiply(qmac::decode(fa, top(fa)), qmac::decode(fb, top(fb))));
    (void)r.code_hex();
    (void)r.value_decimal();
  } catch (const qmac::InputError&) {
  }
  return 0;
}
