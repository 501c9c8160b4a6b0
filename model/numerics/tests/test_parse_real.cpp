// Acceptance 4: parse_real + quantize rounds decimal and hex-float text
// correctly, directly (not by way of a double, which would round twice), against
// MPFR's mpfr_strtofr at the format's precision (recipe A in support/mpfr_ref.h).
#include "mpfr_ref.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/real.h"
#include "ref_big.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

uint64_t lib_quantize_text(const qmac::Format& f, const std::string& text,
                           const qmac::RoundingOptions& o) {
  try {
    return qmac::quantize(f, qmac::parse_real(text), o);
  } catch (const qmac::InputError&) {
    return RefTable::kThrows;
  }
}

// An unsigned exact decimal "123.0625" as digits and the count of fraction digits.
void split_decimal(const std::string& dec, cpp_int& digits, int& frac) {
  std::string d;
  frac = 0;
  bool point = false;
  for (char c : dec) {
    if (c == '.') {
      point = true;
      continue;
    }
    d += c;
    if (point) ++frac;
  }
  // Boost reads a leading 0 as an octal prefix.
  size_t nz = d.find_first_not_of('0');
  digits = nz == std::string::npos ? cpp_int(0) : cpp_int(d.substr(nz));
}

// dec + delta * 10^-(frac + extra), exactly, as a decimal text.
std::string nudge(const std::string& dec, int extra, int delta) {
  cpp_int digits;
  int frac;
  split_decimal(dec, digits, frac);
  for (int i = 0; i < extra; ++i)
    digits *= 10;
  digits += delta;
  std::string s = digits.str();
  int k = frac + extra;
  if (int(s.size()) <= k) s.insert(0, size_t(k + 1) - s.size(), '0');
  s.insert(s.size() - size_t(k), ".");
  return s;
}

// The same number written differently: scientific notation, padding, plus sign.
std::string respell(const std::string& dec, std::mt19937_64& rng) {
  cpp_int digits;
  int frac;
  split_decimal(dec, digits, frac);
  switch (rng() % 4) {
  case 0: // integer digits with a negative exponent
    return digits.str() + "e-" + std::to_string(frac);
  case 1: { // 0.DIGITS E point
    std::string s = digits.str();
    return "0." + s + "E" + std::to_string(int(s.size()) - frac);
  }
  case 2: // padded with zeros
    return "000" + dec + (dec.find('.') == std::string::npos ? ".000" : "000");
  default:
    return "+" + dec;
  }
}

std::string hex_of_u64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
  return buf;
}

// Strings around the rounding points of f: exact midpoints, a hair above or below,
// values themselves, respellings, hex floats, random decimals.
std::vector<std::string> texts_for(const RefTable& t, std::mt19937_64& rng, long n) {
  std::vector<long double> grid;
  const RefFormat& f = t.format();
  for (const auto& [v, c] : t.side(false))
    grid.push_back(v);
  grid.push_back(grid.back() + std::ldexp(1.0L, std::max(std::ilogb(grid.back()), f.emin()) - f.M));
  std::vector<std::string> out;
  for (long i = 0; i < n; ++i) {
    size_t j = size_t(rng() % (grid.size() - 1));
    long double mid = (grid[j] + grid[j + 1]) / 2;
    std::string sign = (rng() & 1) ? "-" : "";
    std::string dec = ref_decimal(mid);
    int extra = 1 + int(rng() % 30);
    switch (i % 8) {
    case 0:
      out.push_back(sign + dec);
      break;
    case 1:
      out.push_back(sign + nudge(dec, extra, +1));
      break;
    case 2:
      out.push_back(sign + nudge(dec, extra, -1));
      break;
    case 3: {
      std::string r = respell(dec, rng);
      out.push_back(r[0] == '+' && !sign.empty() ? sign + r.substr(1) : sign + r);
      break;
    }
    case 4:
      out.push_back(sign + ref_decimal(grid[j]));
      break;
    case 5: { // hex float: the midpoint k * 2^e, or a hair above / below it
      int e;
      long double m = std::frexp(mid, &e);
      uint64_t k = uint64_t(std::ldexp(m, 64));
      e -= 64;
      while ((k & 1) == 0) {
        k >>= 1;
        ++e;
      }
      int zeros = int(rng() % 24);
      std::string s;
      switch (rng() % 3) {
      case 0:
        s = "0x" + hex_of_u64(k) + "p" + std::to_string(e);
        break;
      case 1:
        s = "0x" + hex_of_u64(k) + "." + std::string(size_t(zeros), '0') + "1p" + std::to_string(e);
        break;
      default:
        s = "0x" + hex_of_u64(k - 1) + "." + std::string(size_t(zeros + 1), 'f') + "P" +
            std::to_string(e);
        break;
      }
      out.push_back(sign + s);
      break;
    }
    case 6: { // a random decimal of 1..40 digits anywhere near the range
      std::string d;
      int digits = 1 + int(rng() % 40);
      for (int q = 0; q < digits; ++q)
        d += char('0' + rng() % 10);
      int e10 = int(rng() % 24) - 12 - digits / 2;
      out.push_back(sign + d + "e" + std::to_string(e10));
      break;
    }
    default: // the midpoint with many more digits, as 17-significant-digit printing would lose
      out.push_back(sign + nudge(dec, 20 + extra, (rng() & 1) ? 3 : -7));
      break;
    }
  }
  return out;
}

void check_texts(const std::string& name, long n) {
  RefFormat r = ref_format(name);
  qmac::Format f = qmac::parse_format(name);
  MpfrQuantizer q(r);
  std::mt19937_64 rng(std::hash<std::string>()(name) ^ 0xdec);
  Failures fails;
  long checked = 0;
  for (const std::string& text : texts_for(q.table(), rng, n)) {
    uint64_t want[3][2];
    INFO(text);
    REQUIRE(q.quantize_string(text.c_str(), want));
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s) {
        uint64_t got = lib_quantize_text(f, text, options(Mode(m), s == 1));
        ++checked;
        if (got != want[m][s])
          fails.add("\"" + text + "\" " + mode_name(Mode(m)) + (s ? " saturate" : "") + ": got " +
                    hex(got) + " want " + hex(want[m][s]));
      }
  }
  fails.report("parse_real + quantize " + name, checked);
}

} // namespace

TEST_CASE("parse_real: the near-tie decimals of the issue - in e4m3fn") {
  qmac::Format f = qmac::parse_format("e4m3fn");
  auto q = [&](const char* s) { return qmac::quantize(f, qmac::parse_real(s)); };
  // 1.0625 is the midpoint of 1.0 (0x38) and 1.125 (0x39); 1.0 has the even code.
  CHECK(q("1.0625") == 0x38);
  CHECK(q("1.0625000000000000000000000001") == 0x39);
  CHECK(q("1.0624999999999999999999999999") == 0x38);
  CHECK(q("-1.0625000000000000000000000001") == 0xb9);
  CHECK(q("1.1875") == 0x3a); // midpoint of 1.125 (odd) and 1.25 (even)
  CHECK(q("1.18749999999999999999999999999999") == 0x39);
  CHECK(q("106250000000000000000000000001e-29") == 0x39);
  CHECK(q("0x1.1p0") == 0x38);
  CHECK(q("0x1.10000000000000000000001p0") == 0x39);
  CHECK(q("0x1.0fffffffffffffffffffffffp0") == 0x38);
  CHECK(q("464") == 0x7e);                         // tie of 448 and (480): to the even 448
  CHECK(q("464.00000000000000000000001") == 0x7f); // overflow without saturation: NaN
  qmac::RoundingOptions sat;
  sat.saturate = true;
  CHECK(qmac::quantize(f, qmac::parse_real("464.00000000000000000000001"), sat) == 0x7e);
  // The smallest subnormal is 2^-9 = 0.001953125; half of it ties to +0.
  CHECK(q("0.0009765625") == 0x00);
  CHECK(q("0.00097656250000000000000000001") == 0x01);
  CHECK(q("-0.0009765625") == 0x80);
  // Via a double these would round twice (the double is exactly the midpoint).
  CHECK(qmac::quantize(f, 1.0625000000000000000000000001) == 0x38);
}

TEST_CASE("parse_real: near-tie decimal and hex-float text vs mpfr_strtofr") {
  for (const char* name : {"e4m3fn", "e5m2", "e4m3fnuz", "float4_e2m1fn", "e3m4", "float6_e3m2fn",
                           "e2m5fin", "e5m0", "fp16", "bf16"}) {
    SECTION(name) {
      check_texts(name, scaled(20000));
    }
  }
}

TEST_CASE("parse_real: special and malformed text") {
  auto cls = [](const char* s) { return qmac::parse_real(s).cls; };
  using C = qmac::Value::Class;
  CHECK(cls("inf") == C::Inf);
  CHECK(cls("-Infinity") == C::Inf);
  CHECK(qmac::parse_real("-inf").magnitude.negative);
  CHECK(cls("NaN") == C::NaN);
  CHECK(cls("0") == C::Finite);
  qmac::Format e5m2 = qmac::parse_format("e5m2"), e4m3fn = qmac::parse_format("e4m3fn");
  CHECK(qmac::quantize(e5m2, qmac::parse_real("-inf")) == 0xfc);
  CHECK(qmac::quantize(e4m3fn, qmac::parse_real("inf")) == 0x7f);
  CHECK(qmac::quantize(e4m3fn, qmac::parse_real("-0")) == 0x80);
  CHECK(qmac::quantize(e4m3fn, qmac::parse_real("-0.0e5")) == 0x80);
  CHECK(qmac::quantize(qmac::parse_format("e4m3fnuz"), qmac::parse_real("-0")) == 0x00);
  CHECK(qmac::quantize(e4m3fn, qmac::parse_real("1e400")) == 0x7f);
  CHECK(qmac::quantize(e4m3fn, qmac::parse_real("-1e-400")) == 0x80);
  CHECK(qmac::quantize(e5m2, qmac::parse_real("1e99999999999")) == 0x7c);
  CHECK(qmac::quantize(e5m2, qmac::parse_real("0x1p-99999999999")) == 0x00);
  CHECK_THROWS_AS(qmac::quantize(qmac::parse_format("e4m3fin"), qmac::parse_real("nan")),
                  qmac::InputError);
  for (const char* bad : {"", "abc", "1.2.3", "0x", "1e", "--1", "0x1.8q", "1e+", ".", "+", "0x.p1",
                          "1,5", " 1", "1 ", "infx", "0x1p"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(qmac::parse_real(bad), qmac::InputError);
  }
}

TEST_CASE("parse_real: Real::nearest is the correctly rounded double") {
  // Decimal text: the nearest double (recipe A at double precision, subnormals included).
  RefFormat fp64 = ref_format("fp64");
  std::mt19937_64 rng(0xd0b1e);
  Mp d(53);
  Failures fails;
  const long n = scaled(20000);
  for (long i = 0; i < n; ++i) {
    std::string text;
    int digits = 1 + int(rng() % 30);
    for (int q = 0; q < digits; ++q)
      text += char('0' + rng() % 10);
    text += "e" + std::to_string(int(rng() % 660) - 340);
    if (rng() & 1) text = "-" + text;
    REQUIRE(mpfr_round_string(d, text.c_str(), fp64, MPFR_RNDN));
    double want = mpfr_get_d(d, MPFR_RNDN);
    qmac::Real r = qmac::parse_real(text);
    RefVal got = ref_of(r.nearest);
    bool huge = std::isinf(want) || std::fabs(want) > 1e308;
    bool tiny = want == 0;
    if (!huge && !tiny && !(got.cls == RefVal::Finite && got.value() == (long double)want))
      fails.add(text + ": nearest " + show(got) + " want " + std::to_string(want));
  }
  fails.report("Real::nearest", n);
  // Hex text of at most 60 bits is read exactly.
  qmac::Real h = qmac::parse_real("0xfedcba987654321p-70");
  CHECK(ref_of(h.nearest).value() == std::ldexp((long double)0xfedcba987654321ull, -70));
  CHECK(!h.magnitude.sticky);
}
