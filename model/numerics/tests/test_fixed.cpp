// Acceptance 7: the exact fixed-point accumulator fx+G and the intN registers
// against Boost.Multiprecision cpp_int. The register is compared limb for limb,
// in hex and in decimal after every product, including the wrap modulo 2^width
// beyond the guard bits and the sticky overflowed() flag; NaN/Inf products set
// the special-value flag; intN wraps or saturates.
#include <set>

#include "mpfr_ref.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/mac.h"
#include "ref_big.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

// A reference value as an integer count of 2^lsb (must be exact).
cpp_int count_of(const RefVal& v, int lsb) {
  cpp_rational r = rational_of(v.value()) / pow2(lsb);
  if (denominator(r) != 1) throw std::logic_error("count_of: not a multiple of the LSB");
  return numerator(r);
}

// The finest quantum of a format: the exponent of its smallest nonzero magnitude.
int finest_exponent(const RefTable& t) {
  long double m = 0;
  for (uint64_t c = 0; c < t.size(); ++c)
    if (t[c].cls == RefVal::Finite && t[c].mag != 0 && (m == 0 || t[c].mag < m)) m = t[c].mag;
  return std::ilogb(m);
}

struct FxCase {
  const char* a;
  const char* b;
};

// The width rule, from the value sets: every product of two codes counted in
// units of the LSB (finest quantum of a times that of b); the bits of the largest
// magnitude, a sign bit, and G guard bits.
void check_width(const FxCase& c, int guard) {
  RefTable ta(ref_format(c.a)), tb(ref_format(c.b));
  int lsb = finest_exponent(ta) + finest_exponent(tb);
  // The extreme products are products of extreme values (corners of the box).
  auto extreme_values = [](const RefTable& t) {
    long double lo = 0, hi = 0;
    for (uint64_t c : t.finite_codes()) {
      lo = std::min(lo, t[c].value());
      hi = std::max(hi, t[c].value());
    }
    return std::vector<long double>{lo, hi};
  };
  cpp_int lo = 0, hi = 0;
  for (long double x : extreme_values(ta))
    for (long double y : extreme_values(tb)) {
      RefVal p;
      p.neg = (x < 0) != (y < 0);
      p.mag = std::fabs(x) * std::fabs(y);
      cpp_int n = count_of(p, lsb);
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
  auto fits = [&](int w) { return lo >= -(cpp_int(1) << (w - 1)) && hi < (cpp_int(1) << (w - 1)); };
  // The magnitude bits of the largest product, plus a sign bit.
  cpp_int largest = std::max(cpp_int(-lo), hi);
  int w = 1;
  while ((cpp_int(1) << (w - 1)) <= largest)
    ++w;
  CHECK(fits(w));
  qmac::AccumulatorSpec s = qmac::parse_accumulator(
      "fx+" + std::to_string(guard), qmac::parse_format(c.a), qmac::parse_format(c.b));
  INFO(c.a << " x " << c.b << " fx+" << guard);
  CHECK(s.kind == qmac::AccKind::Fixed);
  CHECK(s.lsb_exp == lsb);
  CHECK(s.width == w + guard);
  CHECK(s.guard_bits == guard);
  CHECK(s.register_bits() == w + guard);
}

// Compares a FixedRegister with the reference register value r (already wrapped).
bool same_register(const qmac::FixedRegister& reg, const cpp_int& r, bool overflowed,
                   std::string& why) {
  const int w = reg.width();
  std::string want_hex = hex_of(r, w);
  std::string want_dec = decimal_of(r, reg.lsb_exp());
  if (reg.hex() != want_hex)
    why = "hex " + reg.hex() + " want " + want_hex;
  else if (reg.decimal() != want_dec)
    why = "decimal " + reg.decimal() + " want " + want_dec;
  else if (reg.overflowed() != overflowed)
    why = "overflowed " + std::to_string(reg.overflowed());
  else if (reg.negative() != (r < 0))
    why = "negative()";
  else if (reg.limbs().size() != size_t(w / 64 + 2))
    why = "limb count";
  else if (reg.limbs() != limbs_of(r, reg.limbs().size()))
    why = "limbs";
  else {
    cpp_int mag = r < 0 ? cpp_int(-r) : r;
    if (reg.magnitude() != limbs_of(mag, reg.magnitude().size())) why = "magnitude()";
  }
  return why.empty();
}

// Product codes: mostly uniform, sometimes the extremes (to reach the wrap quickly).
std::pair<uint64_t, uint64_t> pick(std::mt19937_64& rng, const std::vector<uint64_t>& fa,
                                   const std::vector<uint64_t>& fb, const std::vector<uint64_t>& xa,
                                   const std::vector<uint64_t>& xb, uint64_t na, uint64_t nb) {
  switch (rng() % 8) {
  case 0:
  case 1:
    return {xa[rng() % xa.size()], xb[rng() % xb.size()]};
  case 2:
    if (na && rng() % 2 == 0) return {rng() % na, rng() % nb}; // any code: NaN, Inf too
    [[fallthrough]];
  default:
    return {fa[rng() % fa.size()], fb[rng() % fb.size()]};
  }
}

// The codes of the largest magnitudes (both signs) of a format.
std::vector<uint64_t> extremes(const RefTable& t) {
  std::vector<std::pair<long double, uint64_t>> v;
  for (uint64_t c : t.finite_codes())
    v.push_back({t[c].mag, c});
  std::sort(v.rbegin(), v.rend());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < std::min<size_t>(4, v.size()); ++i)
    out.push_back(v[i].second);
  return out;
}

void check_fx_sequences(const FxCase& c, int guard, long sequences, int max_len) {
  RefTable ta(ref_format(c.a)), tb(ref_format(c.b));
  qmac::Format fa = qmac::parse_format(c.a), fb = qmac::parse_format(c.b);
  qmac::AccumulatorSpec spec = qmac::parse_accumulator("fx+" + std::to_string(guard), fa, fb);
  qmac::Multiplier mul(fa, fb);
  qmac::Accumulator acc(spec);
  const int w = spec.width, lsb = finest_exponent(ta) + finest_exponent(tb);
  const auto finite_a = ta.finite_codes(), finite_b = tb.finite_codes();
  const auto ext_a = extremes(ta), ext_b = extremes(tb);
  std::mt19937_64 rng(std::hash<std::string>()(std::string(c.a) + c.b) + uint64_t(guard));
  Failures fails;
  long steps = 0, wrapped = 0, specials = 0;
  for (long s = 0; s < sequences; ++s) {
    acc.clear();
    cpp_int r = 0;
    bool overflowed = false;
    RefVal special; // Finite: none
    int len = 1 + int(rng() % uint64_t(max_len));
    const bool pump = rng() % 4 == 0; // extremes only: reaches the wrap
    std::string trace;
    for (int k = 0; k < len; ++k) {
      auto [x, y] = pump ? std::make_pair(ext_a[rng() % 2], ext_b[rng() % 2])
                         : pick(rng, finite_a, finite_b, ext_a, ext_b, ta.size(), tb.size());
      trace += " " + hex(x) + "*" + hex(y);
      const RefVal &va = ta[x], &vb = tb[y];
      acc.add(mul(x, y));
      ++steps;
      // Reference: specials beside the register, finite products into it.
      bool nan = va.cls == RefVal::NaN || vb.cls == RefVal::NaN ||
                 (va.cls == RefVal::Inf && vb.is_zero()) || (vb.cls == RefVal::Inf && va.is_zero());
      bool inf = !nan && (va.cls == RefVal::Inf || vb.cls == RefVal::Inf);
      bool neg = va.neg != vb.neg;
      if (nan || (inf && special.cls == RefVal::Inf && special.neg != neg)) {
        special.cls = RefVal::NaN;
      } else if (inf && special.cls != RefVal::NaN) {
        special.cls = RefVal::Inf;
        special.neg = neg;
      } else if (!inf) {
        RefVal p;
        p.neg = neg;
        p.mag = va.mag * vb.mag;
        r += count_of(p, lsb);
        if (r < -(cpp_int(1) << (w - 1)) || r >= (cpp_int(1) << (w - 1))) {
          overflowed = true;
          r = wrap_signed(r, w);
        }
      }
      std::string why;
      if (!same_register(acc.fixed(), r, overflowed, why)) {
        fails.add(std::string(c.a) + " x " + c.b + " fx+" + std::to_string(guard) + ":" + trace +
                  ": " + why);
        break;
      }
      std::string want_value = special.cls == RefVal::Finite ? decimal_of(r, lsb) : show(special);
      if (acc.value_decimal() != want_value) {
        fails.add(std::string(c.a) + ":" + trace + ": value " + acc.value_decimal() + " want " +
                  want_value);
        break;
      }
      if (acc.code_hex() != hex_of(r, w)) {
        fails.add(std::string(c.a) + ":" + trace + ": code_hex " + acc.code_hex());
        break;
      }
    }
    // The register as a double: the exact value correctly rounded (MPFR).
    if (special.cls == RefVal::Finite && fails.count() == 0) {
      Mp exact(2048), d(53);
      mpfr_set_str(exact, r.str().c_str(), 10, MPFR_RNDN); // exact
      mpfr_mul_2si(exact, exact, lsb, MPFR_RNDN);
      mpfr_set(d, exact, MPFR_RNDN);
      double want = mpfr_get_d(d, MPFR_RNDN);
      if (acc.to_double() != want)
        fails.add(std::string(c.a) + " to_double " + std::to_string(acc.to_double()) + " want " +
                  std::to_string(want));
    }
    wrapped += overflowed;
    specials += special.cls != RefVal::Finite;
  }
  fails.report(std::string(c.a) + " x " + c.b + " into fx+" + std::to_string(guard), steps);
  // The vectors reached what they are meant to reach.
  if (guard <= 2) CHECK(wrapped > 0);
  if (ta.has_nan() || ta.has_inf()) CHECK(specials > 0);
}

const FxCase kFx[] = {{"int8", "int8"},     {"int4", "int4"},     {"uint8", "uint8"},
                      {"flint4", "flint4"}, {"flint8", "flint8"}, {"e4m3fn", "e4m3fn"},
                      {"e5m2", "e5m2"},     {"fp16", "fp16"},     {"int8", "uint8"},
                      {"e4m3fn", "e5m2"},   {"uflint4", "int4"},  {"e2m5", "e3m4"}};

} // namespace

TEST_CASE("fx+G: the width is the full product range plus a sign bit plus G") {
  qmac::Format i8 = qmac::parse_format("int8");
  qmac::AccumulatorSpec s = qmac::parse_accumulator("fx+12", i8, i8);
  // int8 x int8: (-128)^2 = 16384 needs 16 bits signed; + 12 guard bits.
  CHECK(s.width == 28);
  CHECK(s.lsb_exp == 0);
  for (const auto& c : kFx)
    for (int g : {0, 1, 3, 12, 64})
      check_width(c, g);
}

TEST_CASE("fx+G vs cpp_int: random product sequences - wrap and overflow flag") {
  for (const auto& c : kFx) {
    SECTION(std::string(c.a) + " x " + c.b) {
      check_fx_sequences(c, 0, 3000 * kScale, 12);
      check_fx_sequences(c, 2, 3000 * kScale, 24);
      check_fx_sequences(c, 12, 1000 * kScale, 40);
    }
  }
}

TEST_CASE("fx+G: 2^G products of the largest magnitude never overflow - one more may") {
  for (const auto& c : kFx) {
    RefTable ta(ref_format(c.a)), tb(ref_format(c.b));
    qmac::Format fa = qmac::parse_format(c.a), fb = qmac::parse_format(c.b);
    qmac::Multiplier mul(fa, fb);
    // The product of largest magnitude, and the most negative product: products of
    // the extreme values (corners of the box).
    auto corners = [](const RefTable& t) {
      uint64_t lo = 0, hi = 0;
      for (uint64_t c : t.finite_codes()) {
        if (t[c].value() < t[lo].value() || t[lo].cls != RefVal::Finite) lo = c;
        if (t[c].value() > t[hi].value() || t[hi].cls != RefVal::Finite) hi = c;
      }
      return std::vector<uint64_t>{lo, hi};
    };
    uint64_t bx = 0, by = 0, nx = 0, ny = 0;
    long double best = -1, most_neg = 1;
    for (uint64_t x : corners(ta))
      for (uint64_t y : corners(tb)) {
        long double p = ta[x].value() * tb[y].value();
        if (std::fabs(p) > best) best = std::fabs(p), bx = x, by = y;
        if (p < most_neg) most_neg = p, nx = x, ny = y;
      }
    for (int g : {0, 3, 8}) {
      INFO(c.a << " x " << c.b << " fx+" << g);
      qmac::Accumulator acc(qmac::parse_accumulator("fx+" + std::to_string(g), fa, fb));
      for (int k = 0; k < (1 << g); ++k)
        acc.add(mul(bx, by));
      CHECK(!acc.fixed().overflowed());
      acc.clear();
      for (int k = 0; k < (1 << g); ++k)
        acc.add(mul(nx, ny));
      CHECK(!acc.fixed().overflowed());
      // Twice the range of the guard bits overflows when the largest product is positive.
      acc.clear();
      for (int k = 0; k < (2 << g) + 1; ++k)
        acc.add(mul(bx, by));
      if (ta[bx].neg == tb[by].neg) CHECK(acc.fixed().overflowed());
    }
  }
}

TEST_CASE("FixedRegister vs cpp_int: wide registers and arbitrary values") {
  std::mt19937_64 rng(0xf1d);
  Failures fails;
  long steps = 0;
  for (int w : {1, 2, 7, 63, 64, 65, 127, 128, 129, 200, 300, 577}) {
    for (int lsb : {-300, -40, 0, 5}) {
      qmac::FixedRegister reg(w, lsb);
      cpp_int r = 0;
      bool overflowed = false;
      for (int k = 0; k < 400; ++k) {
        // A value k * 2^e with e >= lsb, anywhere in the register (and beyond it).
        int bits = 1 + int(rng() % 60);
        uint64_t sig = (rng() >> (64 - bits)) | 1;
        int shift = int(rng() % uint64_t(std::max(1, w - 1)));
        if (rng() % 4 == 0) shift = std::max(0, w - bits - int(rng() % 3));
        bool neg = rng() & 1;
        qmac::Value v = qmac::Value::finite(neg, sig, lsb + shift);
        if (shift >= w) continue;
        reg.add(v);
        ++steps;
        cpp_int p = cpp_int(sig) << shift;
        r += neg ? cpp_int(-p) : p;
        if (r < -(cpp_int(1) << (w - 1)) || r >= (cpp_int(1) << (w - 1))) {
          overflowed = true;
          r = wrap_signed(r, w);
        }
        std::string why;
        if (!same_register(reg, r, overflowed, why)) {
          fails.add("width " + std::to_string(w) + " lsb " + std::to_string(lsb) + " step " +
                    std::to_string(k) + ": " + why);
          break;
        }
      }
      reg.clear();
      CHECK(reg.hex() == hex_of(0, w));
      CHECK(!reg.overflowed());
    }
  }
  fails.report("FixedRegister", steps);
  qmac::FixedRegister reg(16, -4);
  CHECK_THROWS(reg.add(qmac::Value::finite(false, 1, -5))); // below the LSB
  CHECK_THROWS(reg.add(qmac::Value::finite(false, 3, -5))); // 3/32: not a multiple of 2^-4
  reg.add(qmac::Value::finite(true, 2, -5));                // -2^-4, not normalized
  CHECK(reg.hex() == "0xffff");
  CHECK(reg.decimal() == "-0.0625");
}

// ---- intN -------------------------------------------------------------------

namespace {

void check_int_sequences(const char* in, int bits, bool saturate, long sequences) {
  RefTable t(ref_format(in));
  qmac::Format f = qmac::parse_format(in);
  qmac::Multiplier mul(f, f);
  std::string name = "int" + std::to_string(bits);
  qmac::AccumulatorSpec spec = qmac::parse_accumulator(name, f, f, saturate);
  REQUIRE(spec.kind == qmac::AccKind::Integer);
  REQUIRE(spec.register_bits() == bits);
  qmac::Accumulator acc(spec);
  const auto finite = t.finite_codes(), ext = extremes(t);
  std::mt19937_64 rng(std::hash<std::string>()(name + in) + saturate);
  const cpp_int hi = (cpp_int(1) << (bits - 1)) - 1, lo = -(cpp_int(1) << (bits - 1));
  Failures fails;
  long steps = 0, clipped = 0;
  for (long s = 0; s < sequences; ++s) {
    acc.clear();
    cpp_int r = 0;
    int64_t direct = 0;
    bool hit = false;
    int len = 1 + int(rng() % 40);
    std::string trace;
    for (int k = 0; k < len; ++k) {
      auto [x, y] = pick(rng, finite, finite, ext, ext, 0, 0);
      trace += " " + hex(x) + "*" + hex(y);
      RefVal p;
      p.neg = t[x].neg != t[y].neg;
      p.mag = t[x].mag * t[y].mag;
      cpp_int v = count_of(p, 0);
      r += v;
      if (r > hi || r < lo) {
        hit = true;
        r = saturate ? (r > hi ? hi : lo) : wrap_signed(r, bits);
      }
      qmac::Value pv = mul(x, y);
      acc.add(pv);
      direct = qmac::integer_accumulate(bits, saturate, direct, pv);
      ++steps;
      uint64_t want_code = uint64_t(cpp_int(low_bits(r, bits)));
      std::string want_dec = r.str();
      if (acc.code() != want_code || acc.value_decimal() != want_dec ||
          acc.code_hex() != hex_of(r, bits) || cpp_int(direct) != r ||
          (abs(r) < (cpp_int(1) << 53) && acc.to_double() != double(int64_t(r)))) {
        fails.add(name + (saturate ? " saturating" : "") + " " + in + ":" + trace + ": " +
                  acc.code_hex() + " = " + acc.value_decimal() + " want " + hex_of(r, bits) +
                  " = " + want_dec + " (integer_accumulate " + std::to_string(direct) + ")");
        break;
      }
    }
    clipped += hit;
  }
  fails.report(name + " " + in, steps);
  if (bits <= 8) CHECK(clipped > 0);
}

} // namespace

TEST_CASE("intN vs cpp_int: wrap and saturate") {
  for (const char* in : {"int8", "int4", "uint8", "flint4", "flint8", "uflint4"}) {
    SECTION(in) {
      for (int bits : {8, 16, 32, 64})
        for (bool sat : {false, true})
          check_int_sequences(in, bits, sat, 3000 * kScale);
    }
  }
  SECTION("int2 and int3 registers") {
    check_int_sequences("int4", 2, false, 2000);
    check_int_sequences("int4", 3, true, 2000);
  }
}

TEST_CASE("intN: integer products only") {
  qmac::Format e4m3 = qmac::parse_format("e4m3fn"), i8 = qmac::parse_format("int8");
  CHECK_THROWS_AS(qmac::parse_accumulator("int32", e4m3, i8), qmac::InputError);
  CHECK_THROWS_AS(qmac::parse_accumulator("int32", i8, qmac::integer_format(8, true, -6)),
                  qmac::InputError);
  CHECK_THROWS_AS(qmac::parse_accumulator("int65", i8, i8), qmac::InputError);
  CHECK_NOTHROW(qmac::parse_accumulator("int64", i8, qmac::parse_format("flint8")));
  // The two's complement register: int8 wraps 127 + 1 to -128, saturates at 127.
  CHECK(qmac::integer_accumulate(8, false, 127, qmac::Value::finite(false, 1, 0)) == -128);
  CHECK(qmac::integer_accumulate(8, true, 127, qmac::Value::finite(false, 1, 0)) == 127);
  CHECK(qmac::integer_accumulate(8, true, -128, qmac::Value::finite(true, 1, 0)) == -128);
  CHECK(qmac::integer_accumulate(64, false, INT64_MAX, qmac::Value::finite(false, 1, 0)) ==
        INT64_MIN);
  CHECK(qmac::integer_accumulate(64, true, INT64_MAX, qmac::Value::finite(false, 1, 0)) ==
        INT64_MAX);
}
