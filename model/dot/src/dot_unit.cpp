#include "qmac/dot/dot_unit.h"

#include <charconv>
#include <string>

#include "qmac/numerics/format.h"

namespace qmac::dot {
namespace {

constexpr int kMaxN = 4096;
constexpr int kMaxBits = 48;

std::string quoted(std::string_view item) {
  return "'" + std::string(item) + "'";
}

long parse_int(std::string_view key, std::string_view text, long lo, long hi) {
  long v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data() + (text.size() > 1 && text[0] == '+'), end, v);
  if (text.empty() || ec != std::errc() || p != end || v < lo || v > hi)
    throw InputError("unit key " + std::string(key) + "=" + std::string(text) +
                     ": expected an integer from " + std::to_string(lo) + " to " +
                     std::to_string(hi));
  return v;
}

bool parse_bool(std::string_view key, std::string_view text) {
  if (text == "yes" || text == "on" || text == "1" || text == "true") return true;
  if (text == "no" || text == "off" || text == "0" || text == "false") return false;
  throw InputError("unit key " + std::string(key) + "=" + std::string(text) +
                   ": expected yes or no");
}

const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

} // namespace

bool DotUnit::operator==(const DotUnit& o) const {
  return n == o.n && bits == o.bits && round == o.round && sticky == o.sticky &&
         late_c == o.late_c && odd_even == o.odd_even && min_exp == o.min_exp &&
         ftz_in == o.ftz_in && ftz_out == o.ftz_out && narrow == o.narrow && seed == o.seed;
}

Rounding parse_dot_rounding(std::string_view name) {
  if (name == "rz") return Rounding::TowardZero;
  return parse_rounding(name);
}

const char* dot_rounding_name(Rounding r) {
  return r == Rounding::TowardZero ? "rz" : rounding_name(r);
}

void apply_keys(DotUnit& unit, std::string_view keys) {
  size_t start = 0;
  while (start <= keys.size()) {
    size_t comma = keys.find(',', start);
    std::string_view item = keys.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? keys.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw InputError("unit item " + quoted(item) + " is not key=value");
    std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    try {
      if (key == "n") {
        unit.n = value == "all" ? DotUnit::kWhole : int(parse_int(key, value, 1, kMaxN));
      } else if (key == "bits") {
        unit.bits = value == "exact" ? DotUnit::kExact : int(parse_int(key, value, 1, kMaxBits));
      } else if (key == "round") {
        unit.round = parse_dot_rounding(value);
      } else if (key == "sticky") {
        unit.sticky = parse_bool(key, value);
      } else if (key == "late-c") {
        if (value == "no" || value == "off")
          unit.late_c.reset();
        else
          unit.late_c = parse_dot_rounding(value);
      } else if (key == "odd-even") {
        unit.odd_even = parse_bool(key, value);
      } else if (key == "min-exp") {
        if (value == "none")
          unit.min_exp.reset();
        else
          unit.min_exp = int(parse_int(key, value, -100000, 100000));
      } else if (key == "ftz-in") {
        unit.ftz_in = parse_bool(key, value);
      } else if (key == "ftz-out") {
        unit.ftz_out = parse_bool(key, value);
      } else if (key == "narrow") {
        unit.narrow = parse_bool(key, value);
      } else if (key == "seed") {
        unit.seed = uint64_t(parse_int(key, value, 0, 0x7fffffffffffffffL));
      } else {
        throw InputError("unknown unit key " + quoted(key) +
                         " (keys: n, bits, round, sticky, late-c, odd-even, min-exp, ftz-in, "
                         "ftz-out, narrow, seed)");
      }
    } catch (const InputError& e) {
      const std::string what = e.what();
      // parse_rounding names the mode, not the key: say which key it was.
      if (what.rfind("unknown rounding mode", 0) == 0)
        throw InputError("unit key " + std::string(item) + ": expected rz, rne, rna or stochastic" +
                         (key == "late-c" ? " (or no)" : ""));
      throw;
    }
  }
}

std::string describe(const DotUnit& u) {
  std::string s = "n=" + (u.whole() ? std::string("all") : std::to_string(u.n));
  s += ",bits=" + (u.exact() ? std::string("exact") : std::to_string(u.bits));
  s += ",round=" + std::string(dot_rounding_name(u.round));
  s += ",sticky=" + std::string(yes_no(u.sticky));
  s += ",late-c=" + std::string(u.late_c ? dot_rounding_name(*u.late_c) : "no");
  s += ",odd-even=" + std::string(yes_no(u.odd_even));
  s += ",min-exp=" + (u.min_exp ? std::to_string(*u.min_exp) : std::string("none"));
  s += ",ftz-in=" + std::string(yes_no(u.ftz_in));
  s += ",ftz-out=" + std::string(yes_no(u.ftz_out));
  s += ",narrow=" + std::string(yes_no(u.narrow));
  if (u.round == Rounding::Stochastic || u.late_c == Rounding::Stochastic)
    s += ",seed=" + std::to_string(u.seed);
  return s;
}

} // namespace qmac::dot
