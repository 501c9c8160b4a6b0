// qmac quantize --format F [--rounding M] [--seed N] [--saturate] [--scale-rounding R]
#include <cstdio>
#include <random>

#include "cli.h"
#include "commands.h"
#include "operand.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/real.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac quantize --format F [--rounding rne|rtz|rna|stochastic] [--seed N] [--saturate]
       qmac quantize --format BLOCK_FORMAT [--scale-rounding floor|ceil|even]

Reads one real per line from stdin (decimal like -1.5e-3, hex-float like 0x1.8p-3,
inf, -inf, nan) and prints `CODE VALUE`: the code it rounds to and that code's
exact value. Decimals are rounded exactly, not through a double.
  --rounding   rne (default, ties to even), rtz (toward zero), rna (ties away),
               stochastic (up with probability equal to the cut-off fraction)
  --seed N     seed of the stochastic rounding generator (default 1)
  --saturate   clamp overflow and Inf to the largest finite value
Overflow otherwise gives Inf where the format has it, else NaN, else saturates.
Block formats (mxfp8_e4m3, ..., nvfp4): lines are grouped into blocks of the
format's size (a blank line ends a block early); each element prints as
SCALE:ELEMENT VALUE. Block elements are always rounded to nearest even and saturated.
  --scale-rounding  how a block's scale follows its largest magnitude amax
               (M: the element format's largest value). MX (2^X): floor (the
               OCP rule and the default, X = floor(log2 amax) - floor(log2 M)),
               ceil (the smallest X with amax <= M 2^X: nothing saturates),
               even (log2(amax / M) rounded to the nearest integer). NVFP4
               (e4m3fn scale of amax / 6): even (to nearest even, the
               default), ceil (up), floor (toward zero).
)";

uint64_t next_random(void* state) {
  return (*static_cast<std::mt19937_64*>(state))();
}

void quantize_blocks(const OperandFormat& f, ScaleRounding rule, Out& out) {
  const BlockFormat& bf = *f.block;
  std::vector<Value> pending;
  auto emit = [&] {
    if (pending.empty()) return;
    Block b = quantize_block(bf, pending, rule);
    for (size_t i = 0; i < b.elements.size(); ++i)
      out.line(f.token(b.scale, b.elements[i]) + " " +
               to_decimal(block_element_value(bf, b.scale, b.elements[i])));
    pending.clear();
  };
  for_each_line([&](std::string_view t) {
    if (t.empty()) return emit();
    pending.push_back(parse_real(t).nearest);
    if (pending.size() == size_t(bf.block_size)) emit();
  });
  emit();
}

} // namespace

int cmd_quantize(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"--format", "--rounding", "--seed", "--scale-rounding"},
                              {"--saturate"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  OperandFormat f = parse_operand_format(args.required("--format"));
  RoundingOptions opts;
  opts.mode = parse_rounding(args.get("--rounding").value_or("rne"));
  opts.saturate = args.flag("--saturate");
  std::mt19937_64 rng(uint64_t(args.integer("--seed", 1, 0, INT64_MAX)));
  opts.random64 = next_random;
  opts.random_state = &rng;

  Out out;
  if (f.block) {
    if (opts.mode != Rounding::NearestEven || opts.saturate || args.get("--seed"))
      throw InputError("block formats round to nearest even and saturate by definition; drop "
                       "--rounding, --seed and --saturate");
    const auto rule = args.get("--scale-rounding");
    quantize_blocks(f, rule ? parse_scale_rounding(*rule) : standard_scale_rounding(*f.block), out);
    return 0;
  }
  if (args.get("--scale-rounding"))
    throw InputError("--scale-rounding applies to block formats (mxfp8_e4m3, ..., nvfp4), not " +
                     f.name);
  for_each_line([&](std::string_view t) {
    if (t.empty()) throw InputError("empty line, expected a number");
    uint64_t code = quantize(f.element, parse_real(t), opts);
    out.line(format_code(code, f.element.bits) + " " + to_decimal(decode(f.element, code)));
  });
  return 0;
}

} // namespace qmac::cli
