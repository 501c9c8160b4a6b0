#include "qmac/numerics/codec.h"

#include <cmath>
#include <cstring>

namespace qmac {
namespace {

Value decode_integer(const Format& f, uint64_t code) {
  bool neg = f.is_signed && (code & f.sign_bit());
  uint64_t magnitude = neg ? (f.sign_bit() << 1) - code : code; // two's complement
  return Value::finite(neg, magnitude, f.lsb_exp);
}

Value decode_float(const Format& f, uint64_t code) {
  const int m = f.man_bits;
  const uint64_t mag_mask = (1ull << f.magnitude_bits()) - 1;
  bool neg = f.is_signed && (code & f.sign_bit());
  uint64_t mag = code & mag_mask;
  uint64_t field = mag >> m;
  uint64_t frac = mag & ((1ull << m) - 1);
  const uint64_t top_field = (1ull << f.exp_bits) - 1;
  switch (f.specials) {
  case Specials::Ieee:
    if (field == top_field) return frac == 0 ? Value::inf(neg) : Value::nan();
    break;
  case Specials::Fn:
    if (mag == mag_mask) return Value::nan();
    break;
  case Specials::Fnuz:
    if (neg && mag == 0) return Value::nan();
    break;
  case Specials::Fnu:
    if (mag == mag_mask) return Value::nan();
    return Value::finite(false, (1ull << m) | frac, int(field) - f.bias - m);
  case Specials::Fin:
    break;
  }
  if (field == 0) return Value::finite(neg, frac, f.emin() - m);
  return Value::finite(neg, (1ull << m) | frac, int(field) - f.bias - m);
}

// ANT flint: below the middle a code is its own integer; above it, the count k
// of ones after the leading one sets the shift (2k+1) and leaves n-2-k mantissa bits.
Value decode_flint(const Format& f, uint64_t code) {
  const int n = f.magnitude_bits();
  bool neg = f.is_signed && (code & f.sign_bit());
  uint64_t c = code & ((1ull << n) - 1);
  if (c < (1ull << (n - 1))) return Value::finite(neg, c, 0);
  int k = 0;
  while (k < n - 1 && (c >> (n - 2 - k)) & 1)
    ++k;
  if (k == n - 1) return Value::finite(neg, 1, 2 * (n - 1));
  int r = n - 2 - k;
  return Value::finite(neg, (1ull << r) | (c & ((1ull << r) - 1)), 2 * k + 1);
}

} // namespace

Value decode(const Format& f, uint64_t code) {
  code &= f.code_mask();
  switch (f.kind) {
  case Kind::Integer:
    return decode_integer(f, code);
  case Kind::Float:
    return decode_float(f, code);
  case Kind::Flint:
    return decode_flint(f, code);
  }
  return Value::nan();
}

uint64_t encode(const Format& f, const Value& v, const RoundingOptions& opts) {
  if (v.is_nan()) {
    if (!f.has_nan()) throw InputError("nan has no code in " + f.name + " (the format has no NaN)");
    return f.nan_code();
  }
  if (v.is_inf()) {
    if (f.has_inf() && !opts.saturate) return f.inf_code(v.negative);
    if (f.has_nan() && !opts.saturate) return f.nan_code();
    // Otherwise clamp: an overflowing magnitude takes the format's saturation path.
    RoundingOptions clamp = opts;
    clamp.saturate = true;
    return round_to_code(Unrounded{v.negative, 1, 1 << 20, false}, f, clamp);
  }
  return round_to_code(Unrounded{v.negative, v.significand, v.exponent, false}, f, opts);
}

uint64_t quantize(const Format& f, double x, const RoundingOptions& opts) {
  if (std::isnan(x)) return encode(f, Value::nan(), opts);
  if (std::isinf(x)) return encode(f, Value::inf(x < 0), opts);
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bool neg = bits >> 63;
  int field = int((bits >> 52) & 0x7ff);
  uint64_t frac = bits & ((1ull << 52) - 1);
  Value v = field == 0 ? Value::finite(neg, frac, -1074)
                       : Value::finite(neg, frac | (1ull << 52), field - 1075);
  return encode(f, v, opts);
}

int smallest_quantum_exponent(const Format& f) {
  switch (f.kind) {
  case Kind::Integer:
    return f.lsb_exp;
  case Kind::Float:
    return f.emin() - f.man_bits;
  case Kind::Flint:
    return 0;
  }
  return 0;
}

Value largest_magnitude(const Format& f) {
  Value v = decode(f, f.kind == Kind::Integer && f.is_signed ? f.sign_bit() : f.max_finite_code());
  v.negative = false;
  return v;
}

DecodeTable::DecodeTable(const Format& f) {
  if (f.bits > 16)
    throw InputError("decode tables are for formats of at most 16 bits, not " + f.name);
  values_.reserve(size_t(1) << f.bits);
  for (uint64_t c = 0; c < (1ull << f.bits); ++c)
    values_.push_back(decode(f, c));
}

uint64_t parse_code(std::string_view text, const Format& f) {
  auto bad = [&](const std::string& why) {
    return InputError("bad code '" + std::string(text) + "' for " + f.name + ": " + why);
  };
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    throw bad("codes are hexadecimal with 0x, like 0x7e");
  uint64_t code = 0;
  for (char ch : text.substr(2)) {
    int d;
    if (ch >= '0' && ch <= '9')
      d = ch - '0';
    else if (ch >= 'a' && ch <= 'f')
      d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F')
      d = ch - 'A' + 10;
    else
      throw bad("'" + std::string(1, ch) + "' is not a hex digit");
    if (code >> 60) throw bad("wider than the format's " + std::to_string(f.bits) + " bits");
    code = code << 4 | uint64_t(d);
  }
  if (code & ~f.code_mask())
    throw bad("wider than the format's " + std::to_string(f.bits) + " bits");
  return code;
}

std::string format_code(uint64_t code, int bits) {
  static const char* kHex = "0123456789abcdef";
  int digits = (bits + 3) / 4;
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i)
    s += kHex[(code >> (4 * i)) & 0xf];
  return s;
}

} // namespace qmac
