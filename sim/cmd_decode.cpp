// qmac decode --format F: the exact value of each code.
#include <cstdio>

#include "cli.h"
#include "commands.h"
#include "operand.h"

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac decode --format F

Reads one code per line from stdin (hex with 0x, e.g. 0x7e; block formats
SCALE:ELEMENT, e.g. 0x7f:0x3c) and prints its exact value: the decimal
expansion of the dyadic rational, or inf, -inf, nan.
)";

} // namespace

int cmd_decode(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {"--format"}, {}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  OperandFormat f = parse_operand_format(args.required("--format"));
  Out out;
  for_each_line([&](std::string_view t) {
    if (t.empty()) throw InputError("empty line, expected a code");
    out.line(to_decimal(f.value_of(t)));
  });
  return 0;
}

} // namespace qmac::cli
