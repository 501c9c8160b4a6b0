// qmac dot --a F --b F --acc A --unit UNIT [--promote P] [--tensor-scale S]
//          [--acc-saturate] [--trace]
// qmac dot --list
#include <cstdio>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "operand.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/real.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac dot --a F --b F --acc A --unit UNIT [--promote P] [--tensor-scale S]
                [--acc-saturate] [--trace]
       qmac dot --list

A dot-product unit: each block of n pairs is multiplied exactly, aligned to
its largest exponent, truncated to `bits` bits, summed and rounded once; the
result is the next block's addend c. Reads lines `A_CODE B_CODE` from stdin;
a blank line (or the end of input) ends a dot product. A line `c CODE` before
the first pair gives the addend c as a code of the --acc format (default +0).
Prints one line `D_CODE VALUE` per dot product.
Block formats (mxfp8_e4m3, ..., mxint8, nvfp4) take codes SCALE:ELEMENT: each
run of the format's block size (32; NVFP4 16) from the start of a dot product
shares one scale, which multiplies every product of the run exactly (an
exponent add for E8M0, a multiply for NVFP4's E4M3); the unit's n is its own
(`--unit mx`: one format block per unit block; mx,n=8: MXDOTP's width).
  --unit UNIT      a preset (qmac dot --list), optionally with overrides
                   (h100,sticky=yes), or keys: n=32,bits=14,round=rz; keys are
                   n (or all), bits (or exact), round (rz, rne, rna,
                   stochastic), sticky, late-c (no or a rounding), odd-even,
                   min-exp (or none), ftz-in, ftz-out, narrow, seed
  --acc A          output: a float format (fp32, fp16, bf16, ...) or, for an
                   exact integer adder tree, intN or fx+G
  --promote P      every P elements (a multiple of n) the unit's partial sum,
                   started from +0, is added with RNE into an FP32
                   accumulator that starts at c; at the end the FP32 value is
                   rounded (RNE) into --acc
  --tensor-scale S each result times S (a real, rounded to fp32 first) with
                   one RNE rounding: NVFP4's per-tensor FP32 scales (their
                   product), or FP8's per-tensor scales
  --acc-saturate   intN outputs clamp instead of wrapping
  --trace          print each block's result first, as `block D_CODE VALUE`
                   (and with --promote each FP32 sum as `promote CODE VALUE`)
  --list           the presets, with their parameters per input format and source
)";

int list_presets() {
  Out out;
  for (const dot::Preset& p : dot::presets()) {
    out.line(p.name + "  " + p.part);
    for (const dot::PresetMode& m : p.modes) {
      std::string in, to;
      for (const auto& f : m.inputs)
        in += (in.empty() ? "" : ",") + f;
      for (const auto& f : m.outputs)
        to += (to.empty() ? "" : ",") + f;
      dot::DotUnit u;
      dot::apply_keys(u, m.keys);
      out.line("  " + (in.empty() ? std::string("any") : in) + " -> " +
               (to.empty() ? std::string("any") : to) + ": " + dot::describe(u));
    }
    out.line("  source: " + p.source);
  }
  return 0;
}

// One operand's codes as a dot unit takes them: an element code, or a block
// format's SCALE:ELEMENT packed (dot_input.h), its scale checked against the
// rest of its block.
class OperandReader {
public:
  OperandReader(const dot::DotInput& in, const std::string& name)
      : in_(in), format_(parse_operand_format(name)) {}

  // The code of the index-th element of a dot product.
  uint64_t read(std::string_view token, size_t index) {
    if (!in_.block) return parse_code(token, in_.element);
    const BlockFormat& bf = *in_.block;
    const auto [scale, element] = format_.block_codes(token);
    const std::string scale_text(token.substr(0, token.find(':')));
    if (!bf.power_of_two_scale && (scale & bf.scale.sign_bit()))
      throw InputError("scale " + scale_text + " of " + bf.name +
                       " is negative: block scales are unsigned");
    if (index % size_t(bf.block_size) == 0) {
      block_scale_ = scale;
    } else if (scale != block_scale_) {
      throw InputError("scale " + scale_text + " of " + bf.name + " element " +
                       std::to_string(index) + " differs from its block's " +
                       format_code(block_scale_, bf.scale.bits) + " (one scale per " +
                       std::to_string(bf.block_size) + " elements)");
    }
    return in_.pack(scale, element);
  }

private:
  const dot::DotInput& in_;
  OperandFormat format_;
  uint64_t block_scale_ = 0;
};

} // namespace

int cmd_dot(int argc, char** argv) {
  auto parsed =
      parse_command(argc, argv, {"--a", "--b", "--acc", "--unit", "--promote", "--tensor-scale"},
                    {"--acc-saturate", "--trace", "--list"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.flag("--list")) return list_presets();
  const dot::DotInput fa = dot::DotInput::parse(args.required("--a"));
  const dot::DotInput fb = dot::DotInput::parse(args.required("--b"));
  const AccumulatorSpec spec = parse_accumulator(args.required("--acc"), fa.element, fb.element,
                                                 args.flag("--acc-saturate"));
  if (args.flag("--acc-saturate") && spec.kind != AccKind::Integer)
    throw InputError("--acc-saturate applies to intN outputs, not --acc " + spec.name);
  dot::DotEngine engine(fa, fb, spec, dot::resolve_unit(args.required("--unit"), fa, fb, spec));
  std::optional<dot::PromotedDot> promoted;
  if (args.get("--promote"))
    promoted.emplace(engine, int(args.integer("--promote", 0, 1, 1 << 30)));
  const bool trace = args.flag("--trace");
  const Format fp32 = parse_format("fp32");
  std::optional<Value> tensor_scale;
  if (const auto text = args.get("--tensor-scale")) {
    if (spec.kind != AccKind::Float || spec.format.man_bits > 39) // the product fits 64 bits
      throw InputError("--tensor-scale applies to float outputs of at most 40 significant bits, "
                       "not --acc " +
                       spec.name);
    Value s;
    try {
      s = decode(fp32, quantize(fp32, parse_real(*text), RoundingOptions{}));
    } catch (const InputError& e) {
      throw InputError("--tensor-scale: " + std::string(e.what()));
    }
    if (!s.is_finite())
      throw InputError("--tensor-scale " + *text + " is not a finite fp32 number");
    tensor_scale = s;
  }
  OperandReader read_a(fa, args.required("--a")), read_b(fb, args.required("--b"));

  Out out;
  Accumulator acc(spec);
  std::vector<uint64_t> a, b;
  bool open = false; // a c line or a pair since the last dot product
  auto show = [&](const Accumulator& r) { return r.code_hex() + " " + r.value_decimal(); };
  auto on_block = [&](const Accumulator& r) {
    if (trace) out.line("block " + show(r));
  };
  auto on_promote = [&](uint64_t code) {
    if (trace) out.line("promote " + format_code(code, 32) + " " + to_decimal(decode(fp32, code)));
  };
  auto finish = [&] {
    if (!open) return;
    if (promoted)
      promoted->dot(acc, a.data(), b.data(), a.size(), on_block, on_promote);
    else
      engine.dot(acc, a.data(), b.data(), a.size(), on_block);
    if (tensor_scale) // one exact multiply, rounded once (RNE)
      acc.load(encode(spec.format, multiply(decode(spec.format, acc.code()), *tensor_scale)));
    out.line(show(acc));
    acc.clear();
    a.clear();
    b.clear();
    open = false;
  };
  for_each_line([&](std::string_view t) {
    auto fields = split(t);
    if (fields.empty()) { // a blank line ends the dot product
      finish();
      return;
    }
    if (fields[0] == "c") {
      if (fields.size() != 2) throw InputError("expected 'c CODE', got " + std::string(t));
      if (!a.empty())
        throw InputError("the addend line 'c CODE' must come before the first pair of a dot "
                         "product");
      if (spec.kind == AccKind::Fixed)
        throw InputError("an addend c is for float and intN outputs, not --acc " + spec.name);
      const Format cf =
          spec.kind == AccKind::Float ? spec.format : integer_format(spec.int_bits, true);
      acc.load(parse_code(fields[1], cf));
      open = true;
      return;
    }
    if (fields.size() != 2)
      throw InputError("expected two codes 'A_CODE B_CODE', got " + std::to_string(fields.size()) +
                       " fields");
    a.push_back(read_a.read(fields[0], a.size()));
    b.push_back(read_b.read(fields[1], b.size()));
    open = true;
  });
  finish();
  return 0;
}

} // namespace qmac::cli
