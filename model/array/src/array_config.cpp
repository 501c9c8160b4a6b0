#include "qmac/array/array_config.h"

#include <charconv>

namespace qmac::array {
namespace {

uint64_t parse_count(std::string_view text, std::string_view what, std::string_view whole) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end)
    throw InputError("bad " + std::string(what) + " '" + std::string(whole) + "'");
  return v;
}

} // namespace

const char* dataflow_name(Dataflow d) {
  return d == Dataflow::WeightStationary ? "ws" : "os";
}

Dataflow parse_dataflow(std::string_view text) {
  if (text == "ws") return Dataflow::WeightStationary;
  if (text == "os") return Dataflow::OutputStationary;
  throw InputError("unknown dataflow '" + std::string(text) + "' (known: ws, os)");
}

void parse_array_size(std::string_view text, uint32_t& rows, uint32_t& cols) {
  const size_t x = text.find('x');
  if (x == std::string_view::npos)
    throw InputError("bad array size '" + std::string(text) + "' (expected RxC, e.g. 16x16)");
  const uint64_t r = parse_count(text.substr(0, x), "array size", text);
  const uint64_t c = parse_count(text.substr(x + 1), "array size", text);
  if (r == 0 || c == 0 || r > kMaxArraySide || c > kMaxArraySide)
    throw InputError("array size '" + std::string(text) + "' out of range (1.." +
                     std::to_string(kMaxArraySide) + " per side)");
  rows = uint32_t(r);
  cols = uint32_t(c);
}

void validate(const ArrayConfig& config) {
  const std::string size = std::to_string(config.rows) + "x" + std::to_string(config.cols);
  if (config.rows == 0 || config.cols == 0 || config.rows > kMaxArraySide ||
      config.cols > kMaxArraySide || config.pes() > kMaxArrayPes)
    throw InputError("array size " + size + " out of range (1.." + std::to_string(kMaxArraySide) +
                     " per side)");
  if (config.pipeline < 0 || config.pipeline > 3)
    throw InputError("pipeline depth " + std::to_string(config.pipeline) + " out of range (0..3)");
  for (const Format* f : {&config.a, &config.b})
    if (f->bits > 16)
      throw InputError("operand format " + f->name +
                       " is wider than the arrays' 16-bit operand ports");
  if (config.acc.kind == AccKind::Fixed && config.acc.width > 128)
    throw InputError("accumulator " + config.acc.name + " is " + std::to_string(config.acc.width) +
                     " bits wide; the arrays carry partial sums of at most 128 bits");
}

void validate(const Gemm& g) {
  for (auto [v, name] : {std::pair{g.M, "M"}, {g.K, "K"}, {g.N, "N"}})
    if (v == 0 || v > kMaxGemmDim)
      throw InputError(std::string("GEMM dimension ") + name + " = " + std::to_string(v) +
                       " out of range (1.." + std::to_string(kMaxGemmDim) + ")");
  using u128 = unsigned __int128;
  if (u128(g.M) * g.K * g.N >= (u128(1) << 63))
    throw InputError("GEMM " + std::to_string(g.M) + "x" + std::to_string(g.K) + "x" +
                     std::to_string(g.N) + " has more than 2^63 MACs");
}

} // namespace qmac::array
