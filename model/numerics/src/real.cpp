#include "qmac/numerics/real.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bits.h"
#include "qmac/numerics/codec.h"

namespace qmac {
namespace {

// Far outside every format's range, yet safe from exponent arithmetic overflow.
constexpr int kHugeExponent = 1 << 20;

Real exactly(const Value& v) {
  return Real{v.cls, Unrounded{v.negative, v.significand, v.exponent, false}, v};
}

[[noreturn]] void bad_number(std::string_view text, const char* why) {
  throw InputError("malformed number '" + std::string(text) + "': " + why);
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

// Digits of a decimal number and where its point goes: value = 0.DIGITS * 10^point.
struct Decimal {
  std::string digits; // no leading or trailing zeros; empty for zero
  long point = 0;
};

Decimal normalize(std::string_view mantissa, long exponent) {
  Decimal d;
  long point = 0;
  bool seen_point = false;
  for (char c : mantissa) {
    if (c == '.') {
      seen_point = true;
      continue;
    }
    if (d.digits.empty() && c == '0') {
      if (seen_point) --point;
      continue;
    }
    d.digits += c;
    if (!seen_point) ++point;
  }
  while (!d.digits.empty() && d.digits.back() == '0')
    d.digits.pop_back();
  d.point = point + exponent;
  return d;
}

int compare_decimal(const Decimal& a, const Decimal& b) {
  if (a.digits.empty() || b.digits.empty()) return int(!a.digits.empty()) - int(!b.digits.empty());
  if (a.point != b.point) return a.point < b.point ? -1 : 1;
  int c = a.digits.compare(b.digits); // same point: plain digit order decides
  return (c > 0) - (c < 0);
}

// Reads the exponent text with saturation: what matters is only "huge".
long parse_exponent(std::string_view text, std::string_view all) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  if (i == text.size()) bad_number(all, "exponent has no digits");
  long e = 0;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) bad_number(all, "bad exponent digit");
    e = std::min(e * 10 + (text[i] - '0'), 1000000000L);
  }
  return neg ? -e : e;
}

Real parse_hex(std::string_view body, bool neg, std::string_view all) {
  size_t p = body.find_first_of("pP");
  std::string_view mant = body.substr(0, p);
  long exp2 = p == std::string_view::npos ? 0 : parse_exponent(body.substr(p + 1), all);
  uint64_t sig = 0;
  long shift = 0;
  bool sticky = false, seen_point = false, any = false;
  for (char c : mant) {
    if (c == '.') {
      if (seen_point) bad_number(all, "two points");
      seen_point = true;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(c))) bad_number(all, "bad hex digit");
    any = true;
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    if (sig >> 56) { // keep 60 bits exactly, the rest as a tail
      sticky |= d != 0;
      if (!seen_point) shift += 4;
    } else {
      sig = sig << 4 | uint64_t(d);
      if (seen_point) shift -= 4;
    }
  }
  if (!any) bad_number(all, "no digits");
  long e = std::clamp(exp2 + shift, -long(kHugeExponent), long(kHugeExponent));
  return Real{Value::Class::Finite, Unrounded{neg, sig, int32_t(e), sticky && sig != 0},
              Value::finite(neg, sig, int(e))};
}

Real parse_decimal(std::string_view body, bool neg, std::string_view all) {
  size_t e = body.find_first_of("eE");
  std::string_view mant = body.substr(0, e);
  long exp10 = e == std::string_view::npos ? 0 : parse_exponent(body.substr(e + 1), all);
  bool any = false, seen_point = false;
  for (char c : mant) {
    if (c == '.') {
      if (seen_point) bad_number(all, "two points");
      seen_point = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      any = true;
    } else {
      bad_number(all, "not a decimal or 0x hex-float number");
    }
  }
  if (!any) bad_number(all, "no digits");
  Decimal written = normalize(mant, exp10);
  if (written.digits.empty()) return exactly(Value::zero(neg));
  // Beyond every double: treat as "huge" or "tiny" directly.
  if (written.point > 400) return exactly(Value::finite(neg, 1, kHugeExponent));
  if (written.point < -400) return exactly(Value::finite(neg, 1, -kHugeExponent));

  std::string text(mant);
  text += "e" + std::to_string(exp10);
  double d = std::strtod(text.c_str(), nullptr); // correctly rounded (glibc)
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  int field = int((bits >> 52) & 0x7ff);
  if (field == 0x7ff) return exactly(Value::finite(neg, 1, kHugeExponent));
  uint64_t frac = bits & ((1ull << 52) - 1);
  uint64_t sig = field == 0 ? frac : frac | (1ull << 52);
  int exp2 = field == 0 ? -1074 : field - 1075;
  if (sig == 0) return exactly(Value::finite(neg, 1, -kHugeExponent));

  // Which side of the double does the written number lie on? The double's
  // exact decimal expansion answers it without any rounding.
  std::string exact = to_decimal(Value::finite(false, sig, exp2));
  int side = compare_decimal(written, normalize(exact, 0));
  Unrounded u{neg, sig, exp2, false};
  if (side > 0) u.sticky = true; // in (d, d + ulp/2]: strictly inside (sig, sig+1) * 2^exp2
  if (side < 0) u = Unrounded{neg, 2 * sig - 1, exp2 - 1, true}; // in [d - ulp/2, d)
  return Real{Value::Class::Finite, u, Value::finite(neg, sig, exp2)};
}

} // namespace

Real parse_real(std::string_view text) {
  if (text.empty()) bad_number(text, "empty");
  std::string_view body = text;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (equals_ignore_case(body, "inf") || equals_ignore_case(body, "infinity"))
    return exactly(Value::inf(neg));
  if (equals_ignore_case(body, "nan")) return exactly(Value::nan());
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
    return parse_hex(body.substr(2), neg, text);
  return parse_decimal(body, neg, text);
}

uint64_t quantize(const Format& f, const Real& x, const RoundingOptions& opts) {
  switch (x.cls) {
  case Value::Class::NaN:
    return encode(f, Value::nan(), opts);
  case Value::Class::Inf:
    return encode(f, Value::inf(x.magnitude.negative), opts);
  case Value::Class::Finite:
    break;
  }
  return round_to_code(x.magnitude, f, opts);
}

} // namespace qmac
