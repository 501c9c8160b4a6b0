#include "ref_format.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "ref_big.h"

namespace qmac_test {

const char* mode_name(Mode m) {
  switch (m) {
  case Mode::RNE:
    return "rne";
  case Mode::RTZ:
    return "rtz";
  case Mode::RNA:
    return "rna";
  }
  return "?";
}

namespace {

RefFormat flt(const std::string& name, int e, int m, RStyle s, int bias) {
  RefFormat f;
  f.name = name;
  f.kind = RKind::Float;
  f.E = e;
  f.M = m;
  f.style = s;
  f.bias = bias;
  f.is_signed = s != RStyle::Fnu;
  f.bits = e + m + (f.is_signed ? 1 : 0);
  return f;
}

RefFormat integer(const std::string& name, int bits, bool is_signed) {
  RefFormat f;
  f.name = name;
  f.kind = RKind::Int;
  f.bits = bits;
  f.is_signed = is_signed;
  return f;
}

RefFormat flint(const std::string& name, int bits, bool is_signed) {
  RefFormat f;
  f.name = name;
  f.kind = RKind::Flint;
  f.bits = bits;
  f.is_signed = is_signed;
  return f;
}

// Written from the format definitions (IEEE 754, OCP OFP8, ml_dtypes): biases are the published
// ones (IEEE-like and fn: 2^(E-1)-1; fnuz and fin: 2^(E-1); explicit where named).
const std::map<std::string, RefFormat>& table() {
  static const std::map<std::string, RefFormat> t = [] {
    std::map<std::string, RefFormat> m;
    auto add = [&](RefFormat f) { m[f.name] = f; };
    add(integer("int4", 4, true));
    add(integer("uint4", 4, false));
    add(integer("int8", 8, true));
    add(integer("uint8", 8, false));
    add(integer("int16", 16, true));
    add(flt("e5m2", 5, 2, RStyle::Ieee, 15));
    add(flt("e4m3", 4, 3, RStyle::Ieee, 7));
    add(flt("e4m3fn", 4, 3, RStyle::Fn, 7));
    add(flt("e4m3fnuz", 4, 3, RStyle::Fnuz, 8));
    add(flt("e5m2fnuz", 5, 2, RStyle::Fnuz, 16));
    add(flt("e3m4", 3, 4, RStyle::Ieee, 3));
    add(flt("e2m5", 2, 5, RStyle::Ieee, 1));
    add(flt("e4m3b11fnuz", 4, 3, RStyle::Fnuz, 11));
    add(flt("e8m0fnu", 8, 0, RStyle::Fnu, 127));
    add(flt("float6_e2m3fn", 2, 3, RStyle::Fin, 1));
    add(flt("float6_e3m2fn", 3, 2, RStyle::Fin, 3));
    add(flt("float4_e2m1fn", 2, 1, RStyle::Fin, 1));
    add(flt("e3m4fin", 3, 4, RStyle::Fin, 4));
    add(flt("e2m5fin", 2, 5, RStyle::Fin, 2));
    add(flt("e4m3fin", 4, 3, RStyle::Fin, 8));
    add(flt("e5m2fin", 5, 2, RStyle::Fin, 16));
    // Generic eXmY[fn|fnuz|fin][_bBIAS] spellings.
    add(flt("e3m2_b5", 3, 2, RStyle::Ieee, 5));
    add(flt("e1m2", 1, 2, RStyle::Ieee, 0));
    add(flt("e5m0", 5, 0, RStyle::Ieee, 15));
    add(flt("e2m1", 2, 1, RStyle::Ieee, 1));
    add(flt("e3m3fnuz", 3, 3, RStyle::Fnuz, 4));
    add(flt("e4m2fn_b3", 4, 2, RStyle::Fn, 3));
    add(flt("e2m2fin", 2, 2, RStyle::Fin, 2));
    // Wide formats (accumulators, exhaustive 16-bit decode).
    add(flt("fp16", 5, 10, RStyle::Ieee, 15));
    add(flt("bf16", 8, 7, RStyle::Ieee, 127));
    add(flt("fp32", 8, 23, RStyle::Ieee, 127));
    add(flt("e5m10", 5, 10, RStyle::Ieee, 15));
    add(flt("e6m9", 6, 9, RStyle::Ieee, 31));
    add(flt("fp64", 11, 52, RStyle::Ieee, 1023));
    add(flint("uflint4", 4, false));
    add(flint("flint4", 4, true));
    add(flint("uflint8", 8, false));
    add(flint("flint8", 8, true));
    return m;
  }();
  return t;
}

} // namespace

RefFormat ref_format(const std::string& name) {
  return table().at(name);
}

const std::vector<std::string>& narrow_format_names() {
  static const std::vector<std::string> v = {
      "int4",    "uint4",         "int8",          "uint8",         "e5m2",     "e4m3",
      "e4m3fn",  "e4m3fnuz",      "e5m2fnuz",      "e3m4",          "e2m5",     "e4m3b11fnuz",
      "e8m0fnu", "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "e3m4fin",  "e2m5fin",
      "e4m3fin", "e5m2fin",       "uflint4",       "flint4",        "uflint8",  "flint8",
      "e3m2_b5", "e1m2",          "e5m0",          "e2m1",          "e3m3fnuz", "e4m2fn_b3",
      "e2m2fin"};
  return v;
}

std::vector<std::string> narrow_float_names() {
  std::vector<std::string> out;
  for (const auto& n : narrow_format_names()) {
    RefFormat f = ref_format(n);
    if (f.kind == RKind::Float && f.style != RStyle::Fnu) out.push_back(n);
  }
  return out;
}

std::vector<uint64_t> uflint_magnitudes(int n) {
  std::vector<uint64_t> v;
  for (uint64_t i = 0; i <= (1ull << (n - 1)); ++i)
    v.push_back(i);
  for (int j = 0; j <= n - 2; ++j) {
    uint64_t start = 1ull << (n - 1 + j), step = 1ull << (2 * j + 1);
    for (uint64_t i = 1; i <= (1ull << (n - 2 - j)); ++i)
      v.push_back(start + i * step);
  }
  return v;
}

RefVal ref_decode(const RefFormat& f, uint64_t code) {
  code &= f.bits >= 64 ? ~0ull : (1ull << f.bits) - 1;
  RefVal r;
  if (f.kind == RKind::Int) {
    int64_t v = int64_t(code);
    if (f.is_signed && (code >> (f.bits - 1)) & 1) v -= int64_t(1) << f.bits;
    r.neg = v < 0;
    r.mag = std::ldexp((long double)(v < 0 ? -v : v), f.lsb);
    return r;
  }
  bool neg = f.is_signed && (code & f.sign_bit());
  uint64_t mag = f.is_signed ? code & (f.sign_bit() - 1) : code;
  if (f.kind == RKind::Flint) {
    static std::map<int, std::vector<uint64_t>> cache;
    int n = f.is_signed ? f.bits - 1 : f.bits;
    auto it = cache.find(n);
    if (it == cache.end()) it = cache.emplace(n, uflint_magnitudes(n)).first;
    r.neg = neg;
    r.mag = (long double)it->second.at(mag);
    return r;
  }
  const uint64_t field = mag >> f.M, frac = mag & ((1ull << f.M) - 1);
  const uint64_t top = (1ull << f.E) - 1, all_frac = (1ull << f.M) - 1;
  RefVal nan;
  nan.cls = RefVal::NaN;
  switch (f.style) {
  case RStyle::Ieee:
    if (field == top) {
      if (frac != 0) return nan;
      r.cls = RefVal::Inf;
      r.neg = neg;
      return r;
    }
    break;
  case RStyle::Fn:
    if (field == top && frac == all_frac) return nan;
    break;
  case RStyle::Fnuz:
    if (neg && mag == 0) return nan;
    break;
  case RStyle::Fnu:
    if (field == top && frac == all_frac) return nan;
    // No subnormals, no zero: every field is a normal binade.
    r.mag = std::ldexp((long double)((1ull << f.M) + frac), int(field) - f.bias - f.M);
    return r;
  case RStyle::Fin:
    break;
  }
  r.neg = neg;
  if (field == 0)
    r.mag = std::ldexp((long double)frac, 1 - f.bias - f.M);
  else
    r.mag = std::ldexp((long double)((1ull << f.M) + frac), int(field) - f.bias - f.M);
  return r;
}

uint64_t ref_canonical_nan(const RefFormat& f) {
  uint64_t top = (1ull << f.E) - 1;
  switch (f.style) {
  case RStyle::Ieee:
    if (f.M == 0) throw std::logic_error(f.name + " has no NaN");
    return (top << f.M) | (1ull << (f.M - 1)); // quiet NaN, sign clear
  case RStyle::Fn:
  case RStyle::Fnu:
    return (top << f.M) | ((1ull << f.M) - 1);
  case RStyle::Fnuz:
    return f.sign_bit();
  case RStyle::Fin:
    break;
  }
  throw std::logic_error(f.name + " has no NaN");
}

uint64_t ref_encode_inf(const RefFormat& f, bool neg) {
  if (f.style != RStyle::Ieee) throw std::logic_error(f.name + " has no Inf");
  uint64_t c = ((1ull << f.E) - 1) << f.M;
  return neg ? c | f.sign_bit() : c;
}

uint64_t ref_encode_float(const RefFormat& f, long double value, bool neg_zero) {
  if (std::isnan(value)) throw std::logic_error("ref_encode_float: NaN");
  bool neg = value < 0 || (value == 0 && neg_zero);
  if (std::isinf(value)) return ref_encode_inf(f, neg);
  long double mag = std::fabs(value);
  uint64_t field = 0;
  long double frac;
  if (mag == 0) {
    if (f.style == RStyle::Fnu) throw std::logic_error("e8m0fnu has no zero");
    frac = 0;
  } else {
    int e = std::ilogb(mag);
    if (f.style != RStyle::Fnu && e < f.emin()) {
      frac = std::ldexp(mag, f.M - f.emin());
    } else {
      field = uint64_t(e + f.bias);
      frac = std::ldexp(mag, f.M - e) - std::ldexp(1.0L, f.M);
    }
  }
  if (frac != std::floor(frac) || frac < 0 || frac >= std::ldexp(1.0L, f.M) ||
      field >= (1ull << f.E))
    throw std::logic_error("ref_encode_float: value not representable in " + f.name);
  uint64_t code = (field << f.M) | uint64_t(frac);
  if (neg && f.is_signed && !(f.style == RStyle::Fnuz && mag == 0)) code |= f.sign_bit();
  if (neg && !f.is_signed) throw std::logic_error("negative value in unsigned format");
  return code;
}

long double ref_max_finite(const RefFormat& f) {
  uint64_t top = (1ull << f.E) - 1, all = (1ull << f.M) - 1;
  uint64_t field = top, frac = all;
  switch (f.style) {
  case RStyle::Ieee:
    field = top - 1;
    break;
  case RStyle::Fn:
  case RStyle::Fnu:
    if (f.M == 0)
      field = top - 1;
    else
      frac = all - 1;
    break;
  default:
    break;
  }
  RefVal v = ref_decode(f, (field << f.M) | frac);
  if (v.cls != RefVal::Finite) throw std::logic_error("ref_max_finite");
  return v.mag;
}

uint64_t ref_virtual_code(const RefFormat& f, long double mag) {
  if (mag == 0) return 0;
  int e = std::ilogb(mag);
  if (f.style == RStyle::Fnu)
    return (uint64_t(e - f.emin()) << f.M) + uint64_t(std::ldexp(mag, f.M - e)) - (1ull << f.M);
  if (e < f.emin()) return uint64_t(std::ldexp(mag, f.M - f.emin()));
  return (uint64_t(e - f.emin() + 1) << f.M) + uint64_t(std::ldexp(mag, f.M - e)) - (1ull << f.M);
}

// ---- RefTable ---------------------------------------------------------------

RefTable::RefTable(const RefFormat& f) : f_(f) {
  if (f.bits > 16) throw std::logic_error("RefTable: too wide");
  uint64_t n = 1ull << f.bits;
  uint64_t pos_zero = kNone;
  for (uint64_t c = 0; c < n; ++c) {
    RefVal v = ref_decode(f, c);
    by_code_.push_back(v);
    if (v.cls == RefVal::NaN) {
      has_nan_ = true;
      continue;
    }
    if (v.cls == RefVal::Inf) {
      has_inf_ = true;
      (v.neg ? ninf_code_ : pinf_code_) = c;
      continue;
    }
    if (v.mag == 0) {
      if (v.neg)
        neg_zero_code_ = c;
      else
        pos_zero = c;
    }
    (v.neg ? neg_ : pos_).push_back({v.mag, c});
  }
  if (has_nan_) nan_code_ = ref_canonical_nan(f);
  // One zero on each side: the -0 code, or +0 where there is no -0.
  if (f.is_signed && neg_zero_code_ == kNone && pos_zero != kNone) neg_.push_back({0.0L, pos_zero});
  for (auto* s : {&pos_, &neg_}) {
    std::sort(s->begin(), s->end());
    for (size_t i = 1; i < s->size(); ++i)
      if ((*s)[i].first == (*s)[i - 1].first)
        throw std::logic_error(f.name + ": two codes with one value on one side");
  }
}

uint64_t RefTable::code_of(long double value, bool neg_zero) const {
  bool neg = value < 0 || (value == 0 && neg_zero);
  const auto& s = side(neg);
  long double mag = std::fabs(value);
  auto it = std::lower_bound(s.begin(), s.end(), std::make_pair(mag, uint64_t(0)));
  if (it == s.end() || it->first != mag)
    throw std::logic_error(f_.name + ": value " + ref_decimal(value) + " has no code");
  return it->second;
}

bool RefTable::representable(long double value) const {
  const auto& s = side(value < 0);
  long double mag = std::fabs(value);
  auto it = std::lower_bound(s.begin(), s.end(), std::make_pair(mag, uint64_t(0)));
  return it != s.end() && it->first == mag;
}

std::vector<uint64_t> RefTable::finite_codes() const {
  std::vector<uint64_t> out;
  for (uint64_t c = 0; c < by_code_.size(); ++c)
    if (by_code_[c].cls == RefVal::Finite) out.push_back(c);
  return out;
}

uint64_t RefTable::overflow_code(bool neg, Mode mode, bool saturate) const {
  if (saturate || mode == Mode::RTZ || (!has_inf_ && !has_nan_)) return max_code(neg);
  return has_inf_ ? inf_code(neg) : nan_code_;
}

uint64_t RefTable::round(long double num, Mode mode, bool saturate, long double den) const {
  const bool fnu = f_.kind == RKind::Float && f_.style == RStyle::Fnu;
  if (std::isnan(num)) return has_nan_ ? nan_code_ : kThrows;
  bool neg = std::signbit(num);
  long double x = std::fabs(num);
  if (!f_.is_signed && neg && x != 0) return fnu ? nan_code_ : side(false)[0].second;
  if (fnu && x == 0) return nan_code_;
  if (!f_.is_signed) neg = false;
  if (std::isinf(x)) {
    if (!saturate && has_inf_) return inf_code(neg);
    if (!saturate && has_nan_) return nan_code_;
    return max_code(neg);
  }
  const auto& s = side(neg);
  if (fnu && x < den * s[0].first) return s[0].second; // no zero: the smallest value
  long double top = s.back().first;
  if (x > den * top) {
    if (f_.kind != RKind::Float) return s.back().second; // integers and flint saturate
    if (mode == Mode::RTZ) return overflow_code(neg, mode, saturate);
    // The next grid point above the largest finite value (unbounded exponent).
    long double next = top + std::ldexp(1.0L, std::max(std::ilogb(top), f_.emin()) - f_.M);
    long double mid = (top + next) / 2;
    uint64_t top_code = s.back().second & ~(f_.is_signed ? f_.sign_bit() : 0);
    if (x < den * mid) return s.back().second;
    if (x == den * mid && mode == Mode::RNE && (top_code & 1) == 0) return s.back().second;
    return overflow_code(neg, mode, saturate);
  }
  // Largest entry <= x.
  size_t lo = 0, hi = s.size() - 1;
  while (lo < hi) {
    size_t m = (lo + hi + 1) / 2;
    if (den * s[m].first <= x)
      lo = m;
    else
      hi = m - 1;
  }
  if (den * s[lo].first == x || mode == Mode::RTZ) return s[lo].second;
  const auto& a = s[lo];
  const auto& b = s[lo + 1];
  long double mid = (a.first + b.first) / 2;
  if (x < den * mid) return a.second;
  if (x > den * mid) return b.second;
  if (mode == Mode::RNA) return b.second;
  return (a.second & 1) == 0 ? a.second : b.second;
}

std::string ref_decimal(long double v, bool neg_zero) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (v == 0) return (neg_zero || std::signbit(v)) ? "-0" : "0";
  int e;
  long double m = std::frexp(std::fabs(v), &e);
  uint64_t sig = uint64_t(std::ldexp(m, 64));
  cpp_int n = sig;
  if (v < 0) n = -n;
  return decimal_of(n, e - 64);
}

long double ld_of(uint64_t significand, int exponent) {
  return std::ldexp((long double)significand, exponent);
}

} // namespace qmac_test
