#include "qmac/numerics/block.h"

#include <algorithm>

#include "bits.h"
#include "qmac/numerics/codec.h"

namespace qmac {
namespace {

// num / den, exact up to a sticky tail far below any rounding point (den has a
// significand of at most 8 bits, num at most 56).
Unrounded exact_quotient(const Value& num, const Value& den) {
  unsigned __int128 n = (unsigned __int128)num.significand << 64;
  unsigned __int128 q = n / den.significand;
  bool sticky = n % den.significand != 0;
  int e = num.exponent - 64 - den.exponent;
  int excess = bit_length(q) - 64;
  if (excess > 0) {
    sticky |= (q & (((unsigned __int128)1 << excess) - 1)) != 0;
    q >>= excess;
    e += excess;
  }
  return Unrounded{num.negative != den.negative, uint64_t(q), e, sticky};
}

Unrounded scaled(const Value& v, int shift) {
  return Unrounded{v.negative, v.significand, v.exponent + shift, false};
}

int top_exponent(const Value& v) { // floor(log2 |v|), v finite and nonzero
  return v.exponent + bit_length(v.significand) - 1;
}

// Compares x * 2^ex with y * 2^ey (x, y > 0).
int compare_scaled(unsigned __int128 x, int ex, unsigned __int128 y, int ey) {
  const int tx = ex + bit_length(x), ty = ey + bit_length(y);
  if (tx != ty) return tx < ty ? -1 : 1;
  // Same top bit: the one with the larger exponent shifts left by less than 128.
  if (ex > ey) x <<= ex - ey;
  if (ey > ex) y <<= ey - ex;
  return x < y ? -1 : (x > y ? 1 : 0);
}

// The MX scale exponent X of a block whose largest magnitude is amax (> 0)
// for an element format whose largest value is m_top (ScaleRounding).
int mx_scale_exponent(const Value& amax, const Value& m_top, ScaleRounding rule) {
  const int k = top_exponent(amax) - top_exponent(m_top); // the floor rule
  if (rule == ScaleRounding::Floor) return k;
  // amax / M lies in (2^(k-1), 2^(k+1)): the answer is k - 1, k or k + 1.
  // Significands stripped of trailing zeros square within 128 bits.
  auto odd = [](const Value& v, int& e) {
    const int tz = count_trailing_zeros(v.significand);
    e = v.exponent + tz;
    return (unsigned __int128)(v.significand >> tz);
  };
  int ea, em;
  const unsigned __int128 a = odd(amax, ea), m = odd(m_top, em);
  if (rule == ScaleRounding::Ceil) // smallest X with amax <= M * 2^X
    return compare_scaled(a, ea, m, em + k) <= 0 ? k : k + 1;
  // Even: the X with 2^(X - 1/2) <= amax / M < 2^(X + 1/2), i.e.
  // M^2 * 2^(2X - 1) <= amax^2 < M^2 * 2^(2X + 1), squared exactly.
  const unsigned __int128 a2 = a * a, m2 = m * m;
  if (compare_scaled(a2, 2 * ea, m2, 2 * em + 2 * k - 1) < 0) return k - 1;
  if (compare_scaled(a2, 2 * ea, m2, 2 * em + 2 * k + 1) < 0) return k;
  return k + 1;
}

// NVFP4's scale: amax / m_top in e4m3fn (saturating) by the rule.
uint64_t nvfp4_scale(const Format& scale, const Value& amax, const Value& m_top,
                     ScaleRounding rule) {
  RoundingOptions sat;
  sat.saturate = true;
  sat.mode = rule == ScaleRounding::Even ? Rounding::NearestEven : Rounding::TowardZero;
  const Unrounded q = exact_quotient(amax, m_top);
  const uint64_t code = round_to_code(q, scale, sat);
  if (rule != ScaleRounding::Ceil || code == scale.max_finite_code()) return code;
  // Up: one code higher unless the quotient was a code's value exactly
  // (positive codes of e4m3fn grow with their values).
  const Value v = decode(scale, code);
  const bool exact = !q.sticky && compare(v, Value::finite(false, q.significand, q.exponent)) == 0;
  return exact ? code : code + 1;
}

} // namespace

ScaleRounding parse_scale_rounding(std::string_view name) {
  if (name == "floor") return ScaleRounding::Floor;
  if (name == "ceil") return ScaleRounding::Ceil;
  if (name == "even") return ScaleRounding::Even;
  throw InputError("unknown scale rounding '" + std::string(name) + "' (floor, ceil or even)");
}

const char* scale_rounding_name(ScaleRounding r) {
  switch (r) {
  case ScaleRounding::Floor:
    return "floor";
  case ScaleRounding::Ceil:
    return "ceil";
  case ScaleRounding::Even:
    return "even";
  }
  return "?";
}

ScaleRounding standard_scale_rounding(const BlockFormat& f) {
  return f.power_of_two_scale ? ScaleRounding::Floor : ScaleRounding::Even;
}

uint64_t unit_scale_code(const BlockFormat& f) {
  return quantize(f.scale, 1.0);
}

std::optional<BlockFormat> find_block_format(std::string_view name) {
  auto mx = [&](const char* element) {
    return BlockFormat{std::string(name), parse_format(element), parse_format("e8m0fnu"), 32, true};
  };
  if (name == "mxfp8_e4m3") return mx("e4m3fn");
  if (name == "mxfp8_e5m2") return mx("e5m2");
  if (name == "mxfp6_e3m2") return mx("float6_e3m2fn");
  if (name == "mxfp6_e2m3") return mx("float6_e2m3fn");
  if (name == "mxfp4") return mx("float4_e2m1fn");
  if (name == "mxint8") {
    BlockFormat f = mx("int8");
    f.element = integer_format(8, true, -6); // two's complement with an implicit 2^-6
    f.element.name = "int8_s6";
    return f;
  }
  if (name == "nvfp4")
    return BlockFormat{"nvfp4", parse_format("float4_e2m1fn"), parse_format("e4m3fn"), 16, false};
  return std::nullopt;
}

const std::vector<std::string>& named_block_formats() {
  static const std::vector<std::string> names = {
      "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4", "mxint8", "nvfp4"};
  return names;
}

Block quantize_block(const BlockFormat& f, const std::vector<Value>& values) {
  return quantize_block(f, values, standard_scale_rounding(f));
}

Block quantize_block(const BlockFormat& f, const std::vector<Value>& values, ScaleRounding rule) {
  if (values.empty() || values.size() > size_t(f.block_size))
    throw InputError(f.name + " blocks hold 1.." + std::to_string(f.block_size) + " values, not " +
                     std::to_string(values.size()));
  Block b;
  b.elements.assign(values.size(), 0);
  RoundingOptions sat;
  sat.saturate = true;
  bool special =
      std::any_of(values.begin(), values.end(), [](const Value& v) { return !v.is_finite(); });
  if (special) {
    b.scale = f.scale.nan_code();
    return b;
  }
  Value amax = Value::zero();
  for (const Value& v : values) {
    Value m = v;
    m.negative = false;
    if (compare(m, amax) > 0) amax = m;
  }
  // The largest positive element (mxint8: 127/64, not |-2|).
  const Value m_top = decode(f.element, f.element.max_finite_code());
  if (f.power_of_two_scale) {
    const int x =
        amax.is_zero() ? -127 : std::clamp(mx_scale_exponent(amax, m_top, rule), -127, 127);
    b.scale = uint64_t(x + 127);
    for (size_t i = 0; i < values.size(); ++i)
      b.elements[i] = round_to_code(scaled(values[i], -x), f.element, sat);
    return b;
  }
  // NVFP4: scale = max|v| / 6 in e4m3, elements = v / scale.
  b.scale = nvfp4_scale(f.scale, amax, m_top, rule);
  Value s = decode(f.scale, b.scale);
  if (s.is_zero()) return b; // every element rounds to zero
  for (size_t i = 0; i < values.size(); ++i)
    b.elements[i] = round_to_code(exact_quotient(values[i], s), f.element, sat);
  return b;
}

Value block_element_value(const BlockFormat& f, uint64_t scale, uint64_t element) {
  return multiply(decode(f.scale, scale), decode(f.element, element));
}

std::vector<Value> decode_block(const BlockFormat& f, const Block& b) {
  std::vector<Value> out;
  for (uint64_t e : b.elements)
    out.push_back(block_element_value(f, b.scale, e));
  return out;
}

ExactDot block_dot(const BlockFormat& fa, const Block& a, const BlockFormat& fb, const Block& b) {
  if (a.elements.size() != b.elements.size())
    throw InputError("block dot product of blocks of different lengths");
  int lsb = smallest_quantum_exponent(fa.scale) + smallest_quantum_exponent(fa.element) +
            smallest_quantum_exponent(fb.scale) + smallest_quantum_exponent(fb.element);
  Value top = multiply(multiply(largest_magnitude(fa.scale), largest_magnitude(fa.element)),
                       multiply(largest_magnitude(fb.scale), largest_magnitude(fb.element)));
  int terms_bits = bit_length(uint64_t(a.elements.size()));
  int width = bit_length(top.significand) + top.exponent - lsb + terms_bits + 1;
  ExactDot d{FixedRegister(width, lsb), Value::zero()};
  for (size_t i = 0; i < a.elements.size(); ++i) {
    Value p = multiply(block_element_value(fa, a.scale, a.elements[i]),
                       block_element_value(fb, b.scale, b.elements[i]));
    if (p.is_nan() || (p.is_inf() && d.special.is_inf() && d.special.negative != p.negative))
      d.special = Value::nan();
    else if (p.is_inf() && !d.special.is_nan())
      d.special = p;
    else if (p.is_finite())
      d.sum.add(p);
  }
  return d;
}

uint64_t round_register(const FixedRegister& r, const Format& f, const RoundingOptions& opts) {
  std::vector<uint64_t> mag = r.magnitude();
  bool neg = r.negative();
  int top = -1;
  for (size_t i = mag.size(); i-- > 0;)
    if (mag[i]) {
      top = int(i) * 64 + bit_length(mag[i]) - 1;
      break;
    }
  if (top < 0) return round_to_code(Unrounded{false, 0, 0, false}, f, opts);
  // The 64 bits from the top down, and whether anything below them is nonzero.
  int low = std::max(0, top - 63);
  auto bit = [&](int i) { return (mag[size_t(i / 64)] >> (i % 64)) & 1; };
  uint64_t sig = 0;
  for (int i = top; i >= low; --i)
    sig = sig << 1 | bit(i);
  bool sticky = false;
  for (int i = low - 1; i >= 0 && !sticky; --i)
    sticky = bit(i);
  return round_to_code(Unrounded{neg, sig, r.lsb_exp() + low, sticky}, f, opts);
}

} // namespace qmac
