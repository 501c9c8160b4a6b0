// qmac dot --a F --b F --acc A --unit UNIT [--promote P] [--acc-saturate] [--trace]
// qmac dot --list
#include <cstdio>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/codec.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac dot --a F --b F --acc A --unit UNIT [--promote P] [--acc-saturate] [--trace]
       qmac dot --list

A dot-product unit: each block of n pairs is multiplied exactly, aligned to
its largest exponent, truncated to `bits` bits, summed and rounded once; the
result is the next block's addend c. Reads lines `A_CODE B_CODE` from stdin;
a blank line (or the end of input) ends a dot product. A line `c CODE` before
the first pair gives the addend c as a code of the --acc format (default +0).
Prints one line `D_CODE VALUE` per dot product.
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

} // namespace

int cmd_dot(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"--a", "--b", "--acc", "--unit", "--promote"},
                              {"--acc-saturate", "--trace", "--list"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.flag("--list")) return list_presets();
  const Format fa = element_format(args.required("--a"), "qmac dot");
  const Format fb = element_format(args.required("--b"), "qmac dot");
  const AccumulatorSpec spec =
      parse_accumulator(args.required("--acc"), fa, fb, args.flag("--acc-saturate"));
  if (args.flag("--acc-saturate") && spec.kind != AccKind::Integer)
    throw InputError("--acc-saturate applies to intN outputs, not --acc " + spec.name);
  dot::DotEngine engine(fa, fb, spec, dot::resolve_unit(args.required("--unit"), fa, fb, spec));
  std::optional<dot::PromotedDot> promoted;
  if (args.get("--promote"))
    promoted.emplace(engine, int(args.integer("--promote", 0, 1, 1 << 30)));
  const bool trace = args.flag("--trace");
  const Format fp32 = parse_format("fp32");

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
    a.push_back(parse_code(fields[0], fa));
    b.push_back(parse_code(fields[1], fb));
    open = true;
  });
  finish();
  return 0;
}

} // namespace qmac::cli
