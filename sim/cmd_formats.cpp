// qmac formats [--json]: every named format, its range and its special values.
#include <cstdio>
#include <string>

#include "cli.h"
#include "commands.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/codec.h"

namespace qmac::cli {
namespace {

const char* kHelp = R"(usage: qmac formats [--json]

Lists every named element format (bits, exponent/mantissa bits, bias, largest
finite value, smallest normal and subnormal, Inf/NaN codes, number of distinct
values) and the block formats. Values in --json are exact decimal strings.
)";

struct Row {
  std::string name, kind, max_finite, max_short, min_normal, min_subnormal, inf, nan;
  int bits, e, m, bias;
  uint64_t distinct;
};

std::string power_of_two(int e) {
  return "2^" + std::to_string(e);
}

Row describe(const Format& f) {
  Row r{f.name,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        f.bits,
        f.exp_bits,
        f.man_bits,
        f.bias,
        f.distinct_values()};
  r.max_finite = to_decimal(decode(f, f.max_finite_code()));
  switch (f.kind) {
  case Kind::Integer:
    r.kind = "int";
    r.max_finite = std::to_string(f.max_integer());
    r.min_normal = r.min_subnormal = "1";
    break;
  case Kind::Flint:
    r.kind = "flint";
    r.min_normal = r.min_subnormal = "1";
    break;
  case Kind::Float:
    r.kind = "float";
    r.min_normal = power_of_two(f.emin());
    r.min_subnormal = f.specials == Specials::Fnu ? "-" : power_of_two(f.emin() - f.man_bits);
    break;
  }
  char shortened[32];
  std::snprintf(shortened, sizeof shortened, "%.7g", decode(f, f.max_finite_code()).to_double());
  r.max_short = r.max_finite.size() > 19 ? shortened : r.max_finite;
  r.inf = f.has_inf() ? format_code(f.inf_code(false), f.bits) : "-";
  r.nan = f.has_nan() ? format_code(f.nan_code(), f.bits) : "-";
  return r;
}

std::string json_string(const std::string& s) {
  return "\"" + s + "\"";
}

} // namespace

int cmd_formats(int argc, char** argv) {
  auto parsed = parse_command(argc, argv, {}, {"--json"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  Out out;
  const bool json = args.flag("--json");
  if (json)
    out.line("{\n  \"formats\": [");
  else
    out.line("format            bits kind   E  M  bias  max_finite          min_normal  "
             "min_subnormal  inf    nan    distinct");
  const auto& names = named_formats();
  for (size_t i = 0; i < names.size(); ++i) {
    Row r = describe(parse_format(names[i]));
    char buf[512];
    if (json) {
      std::snprintf(buf, sizeof buf,
                    "    {\"name\": \"%s\", \"bits\": %d, \"kind\": \"%s\", \"exponent_bits\": %d, "
                    "\"mantissa_bits\": %d, \"bias\": %d, \"max_finite\": %s, \"min_normal\": %s, "
                    "\"min_subnormal\": %s, \"inf_code\": %s, \"nan_code\": %s, "
                    "\"distinct_values\": %llu}%s",
                    r.name.c_str(), r.bits, r.kind.c_str(), r.e, r.m, r.bias,
                    json_string(r.max_finite).c_str(), json_string(r.min_normal).c_str(),
                    json_string(r.min_subnormal).c_str(),
                    r.inf == "-" ? "null" : json_string(r.inf).c_str(),
                    r.nan == "-" ? "null" : json_string(r.nan).c_str(),
                    (unsigned long long)r.distinct, i + 1 < names.size() ? "," : "");
    } else {
      std::snprintf(buf, sizeof buf, "%-17s %4d %-6s %2d %2d %5d  %-19s %-11s %-14s %-6s %-6s %llu",
                    r.name.c_str(), r.bits, r.kind.c_str(), r.e, r.m, r.bias, r.max_short.c_str(),
                    r.min_normal.c_str(), r.min_subnormal.c_str(), r.inf.c_str(), r.nan.c_str(),
                    (unsigned long long)r.distinct);
    }
    out.line(buf);
  }
  const auto& blocks = named_block_formats();
  if (json)
    out.line("  ],\n  \"block_formats\": [");
  else
    out.line("\nblock format  element          scale     block  bits/element  element_max");
  for (size_t i = 0; i < blocks.size(); ++i) {
    BlockFormat b = *find_block_format(blocks[i]);
    double bits_per = b.element.bits + double(b.scale.bits) / b.block_size;
    std::string emax = to_decimal(largest_magnitude(b.element));
    if (b.element.kind == Kind::Integer)
      emax = to_decimal(decode(b.element, b.element.max_finite_code()));
    char buf[512];
    if (json)
      std::snprintf(buf, sizeof buf,
                    "    {\"name\": \"%s\", \"element\": \"%s\", \"scale\": \"%s\", "
                    "\"block_size\": %d, \"bits_per_element\": %g, \"element_max\": \"%s\"}%s",
                    b.name.c_str(), b.element.name.c_str(), b.scale.name.c_str(), b.block_size,
                    bits_per, emax.c_str(), i + 1 < blocks.size() ? "," : "");
    else
      std::snprintf(buf, sizeof buf, "%-13s %-16s %-9s %5d  %12g  %s", b.name.c_str(),
                    b.element.name.c_str(), b.scale.name.c_str(), b.block_size, bits_per,
                    emax.c_str());
    out.line(buf);
  }
  if (json) out.line("  ]\n}");
  return 0;
}

} // namespace qmac::cli
