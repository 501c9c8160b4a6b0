// qmac mac --a F --b F --acc A [--acc-saturate] [--ftz] [--trace]
#include <cstdio>

#include "cli.h"
#include "commands.h"
#include "operand.h"
#include "qmac/numerics/accumulator.h"

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac mac --a F --b F --acc A [--acc-saturate] [--ftz] [--trace]

Reads lines `A_CODE B_CODE` from stdin; a blank line (or the end of input) ends
a dot product. The accumulator starts at +0 and takes each exact product with
one rounding. Prints one line `ACC_CODE VALUE` per dot product, or one after
every step with --trace.
  --acc A          intN (two's complement, wraps; counts units of the smallest
                   product quantum, 1 for integer and flint inputs), a float
                   format such as fp32, fp16, bf16 (round to nearest even,
                   subnormals kept), or fx+G (exact fixed point: full product
                   range plus G guard bits); for intN and fx+G, ACC_CODE is the
                   two's complement register
  --acc-saturate   intN and float accumulators clamp instead of wrapping/overflowing
  --ftz            float accumulator flushes subnormal results to zero
)";

} // namespace

int cmd_mac(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"--a", "--b", "--acc"},
                              {"--acc-saturate", "--ftz", "--trace"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  OperandFormat fa = parse_operand_format(args.required("--a"));
  OperandFormat fb = parse_operand_format(args.required("--b"));
  std::string acc_name = args.required("--acc");
  if ((fa.block || fb.block) && (acc_name.substr(0, 2) == "fx" || acc_name.substr(0, 3) == "int"))
    throw InputError("block-format operands take a float accumulator, not " + acc_name);
  Accumulator acc(parse_accumulator(acc_name, fa.element, fb.element, args.flag("--acc-saturate"),
                                    args.flag("--ftz")));
  const bool trace = args.flag("--trace");
  Out out;
  bool open = false; // a dot product has taken at least one step
  auto result = [&] { return acc.code_hex() + " " + acc.value_decimal(); };
  for_each_line([&](std::string_view t) {
    auto fields = split(t);
    if (fields.empty()) { // a blank line ends the dot product
      if (open && !trace) out.line(result());
      acc.clear();
      open = false;
      return;
    }
    if (fields.size() != 2)
      throw InputError("expected two codes 'A_CODE B_CODE', got " + std::to_string(fields.size()) +
                       " fields");
    acc.add(multiply(fa.value_of(fields[0]), fb.value_of(fields[1])));
    open = true;
    if (trace) out.line(result());
  });
  if (open && !trace) out.line(result());
  return 0;
}

} // namespace qmac::cli
