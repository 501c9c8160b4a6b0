#include "qmac/numerics/format.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace qmac {
namespace {

int default_bias(int exp_bits, Specials s) {
  // IEEE-like and fn: 2^(E-1)-1; fnuz and fin: 2^(E-1) (ml_dtypes, the hardware paper).
  int half = 1 << (exp_bits - 1);
  return s == Specials::Fnuz || s == Specials::Fin ? half : half - 1;
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 6) return std::nullopt;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  auto [p, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || p != last) return std::nullopt;
  return v;
}

std::string_view strip_prefix(std::string_view name) {
  for (std::string_view p : {"float8_", "float6_", "float4_"})
    if (name.substr(0, p.size()) == p) return name.substr(p.size());
  return name;
}

[[noreturn]] void unknown(std::string_view name, const std::string& why) {
  throw InputError("unknown format '" + std::string(name) + "'" + (why.empty() ? "" : ": " + why));
}

// eXmY[fn|fnuz|fin][_bBIAS]
std::optional<Format> parse_generic_float(std::string_view full, std::string_view s) {
  if (s.size() < 4 || s[0] != 'e') return std::nullopt;
  size_t m = s.find('m');
  if (m == std::string_view::npos) return std::nullopt;
  auto e_bits = parse_int(s.substr(1, m - 1));
  size_t end = m + 1;
  while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])))
    ++end;
  auto m_bits = parse_int(s.substr(m + 1, end - m - 1));
  if (!e_bits || !m_bits) return std::nullopt;
  std::string_view rest = s.substr(end);
  std::string_view bias_text;
  if (size_t b = rest.find("_b"); b != std::string_view::npos) {
    bias_text = rest.substr(b + 2);
    rest = rest.substr(0, b);
  }
  Specials sp;
  if (rest.empty())
    sp = Specials::Ieee;
  else if (rest == "fn")
    sp = Specials::Fn;
  else if (rest == "fnuz")
    sp = Specials::Fnuz;
  else if (rest == "fin")
    sp = Specials::Fin;
  else
    unknown(full, "suffix '" + std::string(rest) + "' is not fn, fnuz or fin");
  if (*e_bits < 1 || *e_bits > 8)
    unknown(full, "exponent bits must be 1..8, got " + std::to_string(*e_bits));
  if (*m_bits < 0 || *m_bits > 23)
    unknown(full, "mantissa bits must be 0..23, got " + std::to_string(*m_bits));
  int bias = default_bias(*e_bits, sp);
  if (!bias_text.empty()) {
    bool neg = bias_text[0] == '-';
    auto b = parse_int(neg ? bias_text.substr(1) : bias_text);
    if (!b) unknown(full, "bias '" + std::string(bias_text) + "' is not an integer");
    bias = neg ? -*b : *b;
  }
  Format f = float_format(*e_bits, *m_bits, bias, sp, std::string(full));
  // Every value must be an ordinary double, so exact values print and compare simply.
  if (f.emin() - f.man_bits < -1022 || f.emax() > 1023)
    unknown(full, "bias " + std::to_string(bias) + " puts values outside the double range");
  return f;
}

std::optional<Format> parse_integer(std::string_view s) {
  const std::string name(s);
  bool is_signed = true;
  if (s.substr(0, 4) == "uint") {
    is_signed = false;
    s = s.substr(4);
  } else if (s.substr(0, 3) == "int") {
    s = s.substr(3);
  } else {
    return std::nullopt;
  }
  auto n = parse_int(s);
  if (!n) return std::nullopt;
  if (*n < 2 || *n > 16)
    throw InputError("format '" + name + "': integer width must be 2..16, got " + std::string(s));
  return integer_format(*n, is_signed);
}

std::optional<Format> parse_flint(std::string_view s) {
  bool is_signed = true;
  if (s.substr(0, 6) == "uflint") {
    is_signed = false;
    s = s.substr(6);
  } else if (s.substr(0, 5) == "flint") {
    s = s.substr(5);
  } else {
    return std::nullopt;
  }
  auto n = parse_int(s);
  if (!n) return std::nullopt;
  int min_bits = is_signed ? 3 : 2;
  if (*n < min_bits || *n > 16)
    throw InputError("flint width must be " + std::to_string(min_bits) + "..16, got " +
                     std::string(s));
  return flint_format(*n, is_signed);
}

struct Named {
  const char* name;
  int e, m;
  Specials sp;
  int bias; // -1000: default
};

// The fixed names of docs/cli.md that the generic rule would read differently
// (the MX element types are all-finite although spelled "fn") or not at all.
const Named kNamed[] = {
    {"e5m2", 5, 2, Specials::Ieee, -1000},     {"e4m3", 4, 3, Specials::Ieee, -1000},
    {"e4m3fn", 4, 3, Specials::Fn, -1000},     {"e4m3fnuz", 4, 3, Specials::Fnuz, -1000},
    {"e5m2fnuz", 5, 2, Specials::Fnuz, -1000}, {"e3m4", 3, 4, Specials::Ieee, -1000},
    {"e2m5", 2, 5, Specials::Ieee, -1000},     {"e4m3b11fnuz", 4, 3, Specials::Fnuz, 11},
    {"e8m0fnu", 8, 0, Specials::Fnu, 127},     {"float6_e2m3fn", 2, 3, Specials::Fin, 1},
    {"float6_e3m2fn", 3, 2, Specials::Fin, 3}, {"float4_e2m1fn", 2, 1, Specials::Fin, 1},
    {"fp16", 5, 10, Specials::Ieee, 15},       {"bf16", 8, 7, Specials::Ieee, 127},
    {"fp32", 8, 23, Specials::Ieee, 127},
};

const Named* find_named(std::string_view s) {
  // ml_dtypes spell the same formats with a float8_/float6_/float4_ prefix.
  s = strip_prefix(s);
  static const std::pair<const char*, const char*> kAliases[] = {
      {"float16", "fp16"},         {"half", "fp16"},
      {"bfloat16", "bf16"},        {"float32", "fp32"},
      {"e2m3fn", "float6_e2m3fn"}, {"e3m2fn", "float6_e3m2fn"},
      {"e2m1fn", "float4_e2m1fn"},
  };
  for (auto& [alias, target] : kAliases)
    if (s == alias) s = target;
  for (const Named& n : kNamed)
    if (s == n.name || strip_prefix(n.name) == s) return &n;
  return nullptr;
}

} // namespace

int Format::emax() const {
  if (kind != Kind::Float) return 0;
  int top_field = (1 << exp_bits) - 1;
  bool top_binade_finite = specials == Specials::Fnuz || specials == Specials::Fin ||
                           (specials == Specials::Fn && man_bits > 0);
  return (top_binade_finite ? top_field : top_field - 1) - bias;
}

bool Format::has_nan() const {
  if (kind != Kind::Float) return false;
  switch (specials) {
  case Specials::Ieee:
    return man_bits > 0;
  case Specials::Fin:
    return false;
  default:
    return true;
  }
}

bool Format::has_negative_zero() const {
  if (!is_signed) return false;
  if (kind == Kind::Float) return specials != Specials::Fnuz;
  return kind == Kind::Flint;
}

uint64_t Format::max_finite_code() const {
  if (kind == Kind::Integer) return uint64_t(max_integer());
  uint64_t all = (1ull << magnitude_bits()) - 1;
  if (kind == Kind::Flint) return all;
  switch (specials) {
  case Specials::Ieee:
    return (uint64_t((1 << exp_bits) - 1) << man_bits) - 1;
  case Specials::Fn:
  case Specials::Fnu:
    return all - 1;
  default:
    return all;
  }
}

uint64_t Format::nan_code() const {
  switch (specials) {
  case Specials::Ieee:
    return (uint64_t((1 << exp_bits) - 1) << man_bits) | (1ull << (man_bits - 1));
  case Specials::Fnuz:
    return sign_bit();
  default:
    return (1ull << magnitude_bits()) - 1; // Fn, Fnu: all ones, sign clear
  }
}

uint64_t Format::inf_code(bool negative) const {
  uint64_t c = uint64_t((1 << exp_bits) - 1) << man_bits;
  return negative ? c | sign_bit() : c;
}

uint64_t Format::distinct_values() const {
  uint64_t codes = 1ull << bits;
  if (kind == Kind::Integer) return codes;
  if (kind == Kind::Flint) return is_signed ? codes - 1 : codes;
  // Magnitudes 0..max on each side; zero counts once (fnuz has no -0, the others two).
  uint64_t magnitudes = max_finite_code() + 1;
  return is_signed ? 2 * magnitudes - 1 : magnitudes;
}

Format integer_format(int bits, bool is_signed, int lsb_exp) {
  Format f;
  f.kind = Kind::Integer;
  f.bits = bits;
  f.is_signed = is_signed;
  f.lsb_exp = lsb_exp;
  f.name = (is_signed ? "int" : "uint") + std::to_string(bits);
  return f;
}

Format float_format(int exp_bits, int man_bits, int bias, Specials specials, std::string name) {
  Format f;
  f.kind = Kind::Float;
  f.exp_bits = exp_bits;
  f.man_bits = man_bits;
  f.bias = bias;
  f.specials = specials;
  f.is_signed = specials != Specials::Fnu;
  f.bits = exp_bits + man_bits + (f.is_signed ? 1 : 0);
  if (name.empty()) {
    static const char* kSuffix[] = {"", "fn", "fnuz", "fin", "fnu"};
    name = "e" + std::to_string(exp_bits) + "m" + std::to_string(man_bits) + kSuffix[int(specials)];
    if (bias != default_bias(exp_bits, specials)) name += "_b" + std::to_string(bias);
  }
  f.name = std::move(name);
  return f;
}

Format flint_format(int bits, bool is_signed) {
  Format f;
  f.kind = Kind::Flint;
  f.bits = bits;
  f.is_signed = is_signed;
  f.name = (is_signed ? "flint" : "uflint") + std::to_string(bits);
  return f;
}

Format parse_format(std::string_view name) {
  if (name.empty()) throw InputError("empty format name");
  if (const Named* n = find_named(name)) {
    int bias = n->bias == -1000 ? default_bias(n->e, n->sp) : n->bias;
    return float_format(n->e, n->m, bias, n->sp, n->name);
  }
  std::string_view s = strip_prefix(name);
  if (auto f = parse_integer(s)) return *f;
  if (auto f = parse_flint(s)) return *f;
  if (auto f = parse_generic_float(name, s)) return *f;
  unknown(name, "see `qmac formats` for the names");
}

const std::vector<std::string>& named_formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {"int4", "uint4", "int8", "uint8", "int16", "uint16"};
    for (const Named& n : kNamed)
      v.push_back(n.name);
    for (const char* x : {"e3m4fin", "e2m5fin", "e4m3fin", "e5m2fin"})
      v.push_back(x);
    for (const char* x : {"uflint4", "flint4", "uflint8", "flint8"})
      v.push_back(x);
    return v;
  }();
  return names;
}

} // namespace qmac
