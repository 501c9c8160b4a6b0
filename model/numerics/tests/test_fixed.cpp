// Acceptance 7: the exact fixed-point accumulator fx+G and the intN registers
// against Boost.Multiprecision cpp_int. The register is compared limb for limb,
// in hex and in decimal after every product, including the wrap modulo 2^width
// beyond the guard bits and the sticky overflowed() flag; NaN/Inf products set
// the special-value flag; intN (counting units of the smallest product quantum,
// for products of any formats) wraps or saturates, with the same two flags.
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
      check_fx_sequences(c, 0, scaled(3000), 12);
      check_fx_sequences(c, 2, scaled(3000), 24);
      check_fx_sequences(c, 12, scaled(1000), 40);
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
// The intN register counts units of the smallest product quantum 2^lsb, lsb the
// finest quantum of a plus that of b, both from the tests' own value tables (0 for
// int and flint inputs). Products of any formats: the reference adds each exact
// product's count in cpp_int, wraps or clamps it to N bits, keeps the sticky
// overflow flag (set on every wrap or clamp) and the NaN/Inf flag as for fx+G.

namespace {

// An operand by name, for the reference and the library; "int8*2^-6" is the
// MXINT8 element, which has no name of its own.
struct Operand {
  RefFormat ref;
  qmac::Format lib;
};

Operand operand(const std::string& name) {
  if (name == "int8*2^-6") {
    RefFormat r = ref_format("int8");
    r.name = name;
    r.lsb = -6;
    return {r, qmac::integer_format(8, true, -6)};
  }
  return {ref_format(name), qmac::parse_format(name)};
}

// The reference intN register: cpp_int count, overflow flag, special-value flag.
struct IntRef {
  int bits = 32;
  bool saturate = false;
  int lsb = 0;
  cpp_int r = 0;
  bool overflowed = false; // sticky
  bool step_overflow = false;
  RefVal special; // Finite: none

  void add(const RefVal& va, const RefVal& vb) {
    step_overflow = false;
    bool nan = va.cls == RefVal::NaN || vb.cls == RefVal::NaN ||
               (va.cls == RefVal::Inf && vb.is_zero()) || (vb.cls == RefVal::Inf && va.is_zero());
    bool inf = !nan && (va.cls == RefVal::Inf || vb.cls == RefVal::Inf);
    bool neg = va.neg != vb.neg;
    if (nan || (inf && special.cls == RefVal::Inf && special.neg != neg)) {
      special.cls = RefVal::NaN;
    } else if (inf) {
      if (special.cls != RefVal::NaN) {
        special.cls = RefVal::Inf;
        special.neg = neg;
      }
    } else {
      RefVal p;
      p.neg = neg;
      p.mag = va.mag * vb.mag; // exact in long double
      r += count_of(p, lsb);
      const cpp_int hi = (cpp_int(1) << (bits - 1)) - 1, lo = -(cpp_int(1) << (bits - 1));
      if (r > hi || r < lo) {
        step_overflow = overflowed = true;
        r = saturate ? (r > hi ? hi : lo) : wrap_signed(r, bits);
      }
    }
  }
  std::string value() const {
    return special.cls == RefVal::Finite ? decimal_of(r, lsb) : show(special);
  }
};

bool same_special(const qmac::Value& got, const RefVal& want) {
  switch (want.cls) {
  case RefVal::Finite:
    return got.is_finite() && got.significand == 0 && !got.negative;
  case RefVal::Inf:
    return got.is_inf() && got.negative == want.neg;
  case RefVal::NaN:
    return got.is_nan();
  }
  return false;
}

// The exact register value count * 2^lsb correctly rounded to a double (MPFR).
double mpfr_double(const cpp_int& r, int lsb) {
  Mp exact(2048), d(53);
  mpfr_set_str(exact, r.str().c_str(), 10, MPFR_RNDN); // exact
  mpfr_mul_2si(exact, exact, lsb, MPFR_RNDN);
  mpfr_set(d, exact, MPFR_RNDN);
  return mpfr_get_d(d, MPFR_RNDN);
}

struct IntStats {
  long steps = 0, clipped = 0, specials = 0;
};

// Random sequences of products of a x b into intN, stepped by the Accumulator
// and by integer_accumulate, compared with IntRef after every step. A quarter of
// the sequences (when pump_len > 0) take only the largest magnitudes, up to
// pump_len of them, to reach the wrap or the clamp.
IntStats check_int_sequences(const std::string& na, const std::string& nb, int bits, bool saturate,
                             long sequences, int max_len, int pump_len) {
  Operand oa = operand(na), ob = operand(nb);
  RefTable ta(oa.ref), tb(ob.ref);
  const int lsb = finest_exponent(ta) + finest_exponent(tb);
  qmac::Multiplier mul(oa.lib, ob.lib);
  std::string name = "int" + std::to_string(bits);
  qmac::AccumulatorSpec spec = qmac::parse_accumulator(name, oa.lib, ob.lib, saturate);
  const std::string what = na + " x " + nb + " -> " + name + (saturate ? " saturating" : "");
  INFO(what);
  REQUIRE(spec.kind == qmac::AccKind::Integer);
  REQUIRE(spec.register_bits() == bits);
  REQUIRE(spec.lsb_exp == lsb);
  qmac::Accumulator acc(spec);
  const auto finite_a = ta.finite_codes(), finite_b = tb.finite_codes();
  const auto ext_a = extremes(ta), ext_b = extremes(tb);
  const bool specials = ta.has_nan() || ta.has_inf() || tb.has_nan() || tb.has_inf();
  auto special_codes = [](const RefTable& t) {
    std::vector<uint64_t> v;
    for (uint64_t c = 0; c < t.size(); ++c)
      if (t[c].cls != RefVal::Finite) v.push_back(c);
    return v;
  };
  const auto special_a = special_codes(ta), special_b = special_codes(tb);
  std::mt19937_64 rng(std::hash<std::string>()(what));
  Failures fails;
  IntStats st;
  for (long s = 0; s < sequences && fails.count() == 0; ++s) {
    acc.clear();
    IntRef ref;
    ref.bits = bits;
    ref.saturate = saturate;
    ref.lsb = lsb;
    int64_t direct = 0;
    const bool pump = pump_len > 0 && rng() % 4 == 0;
    const int len = 1 + int(rng() % uint64_t(pump ? pump_len : max_len));
    std::string trace;
    for (int k = 0; k < len; ++k) {
      auto [x, y] =
          pump ? std::make_pair(ext_a[rng() % 2], ext_b[rng() % 2])
               : pick(rng, finite_a, finite_b, ext_a, ext_b, specials ? ta.size() : 0, tb.size());
      if (!pump && specials && rng() % 32 == 0) { // a NaN or Inf operand on either side
        if (!special_a.empty() && (special_b.empty() || rng() % 2))
          x = special_a[rng() % special_a.size()];
        else
          y = special_b[rng() % special_b.size()];
      }
      trace += " " + hex(x) + "*" + hex(y);
      ref.add(ta[x], tb[y]);
      const qmac::Value pv = mul(x, y);
      acc.add(pv);
      bool step_overflow = true;
      const int64_t before = direct;
      direct = qmac::integer_accumulate(bits, saturate, direct, pv, lsb, &step_overflow);
      ++st.steps;
      std::string why;
      if (acc.code() != uint64_t(low_bits(ref.r, bits)))
        why = "code " + hex(acc.code());
      else if (acc.code_hex() != hex_of(ref.r, bits))
        why = "code_hex " + acc.code_hex();
      else if (acc.value_decimal() != ref.value())
        why = "value " + acc.value_decimal() + " want " + ref.value();
      else if (acc.overflowed() != ref.overflowed)
        why = "overflowed() " + std::to_string(acc.overflowed());
      else if (!same_special(acc.special(), ref.special))
        why = "special() " + qmac::to_decimal(acc.special());
      else if (cpp_int(direct) != ref.r)
        why = "integer_accumulate " + std::to_string(direct);
      else if (step_overflow != ref.step_overflow)
        why = "integer_accumulate overflow flag " + std::to_string(step_overflow);
      else if (!pv.is_finite() && direct != before)
        why = "integer_accumulate changed the register for a NaN/Inf product";
      if (!why.empty()) {
        fails.add(what + ":" + trace + ": " + why + " (want " + hex_of(ref.r, bits) + " = " +
                  ref.value() + ")");
        break;
      }
    }
    // The register as a double: the exact value correctly rounded.
    if (fails.count() == 0) {
      double got = acc.to_double();
      bool ok = ref.special.cls == RefVal::NaN   ? std::isnan(got)
                : ref.special.cls == RefVal::Inf ? got == (ref.special.neg ? -HUGE_VAL : HUGE_VAL)
                                                 : got == mpfr_double(ref.r, lsb);
      if (!ok) fails.add(what + ":" + trace + ": to_double " + std::to_string(got));
    }
    st.clipped += ref.overflowed;
    st.specials += ref.special.cls != RefVal::Finite;
  }
  fails.report(what, st.steps);
  // The vectors reached what they are meant to: the wrap or clamp wherever the
  // pumped products can leave the register, and the special flag.
  RefVal big;
  big.mag = ta[ext_a[0]].mag * tb[ext_b[0]].mag;
  // (pumped products of random signs walk about sqrt(pump_len) of them away).
  if (pump_len >= 64 && count_of(big, lsb) * 4 >= (cpp_int(1) << (bits - 1))) CHECK(st.clipped > 0);
  if (specials) CHECK(st.specials > 0);
  return st;
}

} // namespace

TEST_CASE("intN vs cpp_int: integer inputs wrap and saturate as before (LSB 1)") {
  for (const char* in : {"int8", "int4", "uint8", "flint4", "flint8", "uflint4"}) {
    SECTION(in) {
      for (int bits : {8, 16, 32, 64})
        for (bool sat : {false, true}) {
          IntStats st = check_int_sequences(in, in, bits, sat, scaled(3000), 40, 0);
          if (bits <= 8) CHECK(st.clipped > 0);
        }
    }
  }
  SECTION("mixed integer inputs") {
    for (bool sat : {false, true}) {
      check_int_sequences("int8", "uint8", 16, sat, scaled(2000), 40, 64);
      check_int_sequences("flint8", "int8", 32, sat, scaled(2000), 40, 64);
    }
  }
  SECTION("int2 and int3 registers") {
    check_int_sequences("int4", "int4", 2, false, 2000, 40, 0);
    check_int_sequences("int4", "int4", 3, true, 2000, 40, 0);
  }
}

TEST_CASE("intN vs cpp_int: float x float products count units of the smallest quantum") {
  long steps = 0;
  for (const char* in : {"e5m2", "e4m3fn", "e4m3fnuz", "float4_e2m1fn", "e2m1", "e3m4", "e2m5"}) {
    SECTION(in) {
      for (int bits : {16, 32, 64})
        for (bool sat : {false, true})
          steps += check_int_sequences(in, in, bits, sat, scaled(1000), 40, 256).steps;
      if (std::string(in).find("e2m1") != std::string::npos) // 8-bit registers: counts up to 144
        for (bool sat : {false, true})
          steps += check_int_sequences(in, in, 8, sat, scaled(1000), 40, 64).steps;
      CHECK(steps >= scaled(100000)); // the vectors the sequences above must reach
    }
  }
}

TEST_CASE("intN vs cpp_int: mixed and wide products (counts beyond 64 bits)") {
  const std::pair<const char*, const char*> pairs[] = {{"e4m3fn", "int8"},
                                                       {"int8", "e4m3fn"},
                                                       {"e5m2", "e4m3fn"},
                                                       {"int8*2^-6", "e4m3fn"},
                                                       {"uint8", "e5m2"},
                                                       {"fp16", "fp16"},
                                                       {"bf16", "bf16"},
                                                       {"e8m0fnu", "e4m3fn"},
                                                       {"flint8", "e2m1"},
                                                       {"e4m3fnuz", "int4"},
                                                       {"float4_e2m1fn", "int8*2^-6"}};
  for (const auto& [a, b] : pairs) {
    SECTION(std::string(a) + " x " + b) {
      long steps = 0;
      for (int bits : {16, 32, 64})
        for (bool sat : {false, true})
          steps += check_int_sequences(a, b, bits, sat, scaled(600), 40, 128).steps;
      CHECK(steps >= scaled(100000));
    }
  }
}

TEST_CASE("intN: products of any formats, and the LSB is the smallest product quantum") {
  qmac::Format e4m3 = qmac::parse_format("e4m3fn"), i8 = qmac::parse_format("int8");
  // Integer and flint inputs: LSB 2^0, as before.
  CHECK(qmac::parse_accumulator("int32", i8, i8).lsb_exp == 0);
  CHECK(qmac::parse_accumulator("int64", i8, qmac::parse_format("flint8")).lsb_exp == 0);
  CHECK(qmac::parse_accumulator("int16", qmac::parse_format("uflint4"), qmac::parse_format("uint4"))
            .lsb_exp == 0);
  // e4m3fn: smallest subnormal 2^-9, so 2^-18 for the product; e5m2: 2^-16 each.
  CHECK(qmac::parse_accumulator("int32", e4m3, e4m3).lsb_exp == -18);
  CHECK(qmac::parse_accumulator("int32", e4m3, i8).lsb_exp == -9);
  CHECK(qmac::parse_accumulator("int32", i8, qmac::integer_format(8, true, -6)).lsb_exp == -6);
  auto e5m2 = qmac::parse_format("e5m2");
  CHECK(qmac::parse_accumulator("int16", e5m2, e5m2, true).lsb_exp == -32);
  CHECK(qmac::parse_accumulator("int16", e5m2, e5m2, true).saturate);
  // The same LSB as fx+G.
  for (const char* f : {"e4m3fn", "e4m3fnuz", "e5m2", "float4_e2m1fn", "bf16", "int8", "flint4"}) {
    qmac::Format x = qmac::parse_format(f);
    CHECK(qmac::parse_accumulator("int32", x, e4m3).lsb_exp ==
          qmac::parse_accumulator("fx+4", x, e4m3).lsb_exp);
  }
  CHECK_THROWS_AS(qmac::parse_accumulator("int65", i8, i8), qmac::InputError);
  CHECK_THROWS_AS(qmac::parse_accumulator("int1", e4m3, e4m3), qmac::InputError);
}

TEST_CASE("intN: integer_accumulate wraps, clamps and reports overflow") {
  using qmac::integer_accumulate;
  using qmac::Value;
  bool o = true;
  // The two's complement register: int8 wraps 127 + 1 to -128, saturates at 127.
  CHECK(integer_accumulate(8, false, 127, Value::finite(false, 1, 0)) == -128);
  CHECK(integer_accumulate(8, true, 127, Value::finite(false, 1, 0)) == 127);
  CHECK(integer_accumulate(8, true, -128, Value::finite(true, 1, 0)) == -128);
  CHECK(integer_accumulate(64, false, INT64_MAX, Value::finite(false, 1, 0)) == INT64_MIN);
  CHECK(integer_accumulate(64, true, INT64_MAX, Value::finite(false, 1, 0)) == INT64_MAX);
  CHECK(integer_accumulate(8, false, 126, Value::finite(false, 1, 0), 0, &o) == 127);
  CHECK(!o);
  CHECK(integer_accumulate(8, false, 127, Value::finite(false, 1, 0), 0, &o) == -128);
  CHECK(o);
  CHECK(integer_accumulate(8, true, -128, Value::finite(true, 1, 0), 0, &o) == -128);
  CHECK(o); // a clamp counts, even when the register does not move
  // Counts of 2^lsb: 0.75 = 3 * 2^-2 is 6 units of 2^-3; 4 * 2^-2 (not normalized) is 2 of 2^-1.
  CHECK(integer_accumulate(16, false, 1, Value::finite(false, 3, -2), -3) == 7);
  CHECK(integer_accumulate(16, false, 0, Value::finite(true, 4, -2), -1) == -2);
  CHECK_THROWS_AS(integer_accumulate(16, false, 0, Value::finite(false, 3, -4), -3),
                  std::logic_error);
  // Counts of 2^64 and more (e5m2 x e5m2 reaches 2^63.6, bf16 x bf16 2^522): only
  // their low bits survive the wrap; the clamp goes to the product's side.
  for (int shift : {40, 61, 62, 63, 64, 65, 100, 127, 128, 300, 600}) {
    for (bool neg : {false, true})
      for (int bits : {16, 63, 64}) {
        INFO("shift " << shift << " neg " << neg << " bits " << bits);
        const uint64_t sig = 0xb5; // 8 significant bits
        const int64_t acc = -12345;
        cpp_int count = cpp_int(sig) << shift;
        cpp_int exact = cpp_int(acc) + (neg ? cpp_int(-count) : count);
        const cpp_int hi = (cpp_int(1) << (bits - 1)) - 1, lo = -(cpp_int(1) << (bits - 1));
        const bool out = exact > hi || exact < lo;
        Value p = Value::finite(neg, sig, shift - 7);
        CHECK(cpp_int(integer_accumulate(bits, false, acc, p, -7, &o)) ==
              (out ? wrap_signed(exact, bits) : exact));
        CHECK(o == out);
        CHECK(cpp_int(integer_accumulate(bits, true, acc, p, -7, &o)) == (exact > hi   ? hi
                                                                          : exact < lo ? lo
                                                                                       : exact));
        CHECK(o == out);
      }
  }
  // NaN and Inf products leave the register alone (the Accumulator flags them).
  CHECK(integer_accumulate(16, false, 5, Value::nan(), 0, &o) == 5);
  CHECK(!o);
  CHECK(integer_accumulate(16, true, 5, Value::inf(true), -3, &o) == 5);
  CHECK(!o);
}

TEST_CASE("intN: the overflowed flag is sticky for wrap and saturate, clear() resets it") {
  qmac::Format i8 = qmac::parse_format("int8"), e4m3 = qmac::parse_format("e4m3fn");
  qmac::Multiplier mi(i8, i8), me(e4m3, e4m3);
  for (bool sat : {false, true}) {
    INFO("saturate " << sat);
    qmac::Accumulator acc(qmac::parse_accumulator("int16", i8, i8, sat));
    acc.add(mi(0x7f, 0x7f)); // 16129
    acc.add(mi(0x7f, 0x7f)); // 32258
    CHECK(!acc.overflowed());
    acc.add(mi(0x7f, 0x7f)); // 48387: wraps to -17149, or clamps to 32767
    CHECK(acc.overflowed());
    CHECK(acc.value_decimal() == (sat ? "32767" : "-17149"));
    acc.add(mi(0x81, 0x7f)); // back in range: the flag stays
    CHECK(acc.overflowed());
    acc.clear();
    CHECK(!acc.overflowed());
    CHECK(acc.code_hex() == "0x0000");
    // e4m3fn x e4m3fn into int16: 1.0 = 2^18 units of 2^-18 is out of range at once.
    qmac::Accumulator f(qmac::parse_accumulator("int16", e4m3, e4m3, sat));
    f.add(me(0x01, 0x01)); // 2^-18: one unit
    CHECK(f.code_hex() == "0x0001");
    CHECK(f.value_decimal() == "0.000003814697265625");
    CHECK(f.to_double() == std::ldexp(1.0, -18));
    CHECK(!f.overflowed());
    f.add(me(0x38, 0x38)); // + 1.0
    CHECK(f.overflowed());
    // Wrap: 1 + 2^18 = 1 (mod 2^16); clamp: 32767 units.
    CHECK(f.code_hex() == (sat ? "0x7fff" : "0x0001"));
    CHECK(f.value_decimal() == (sat ? "0.124996185302734375" : "0.000003814697265625"));
    f.add(me(0xb8, 0x38)); // - 1.0
    CHECK(f.overflowed());
    CHECK(f.code_hex() == (sat ? "0x8000" : "0x0001"));
    CHECK(f.value_decimal() == (sat ? "-0.125" : "0.000003814697265625"));
    CHECK(f.special().is_zero());
  }
  // Float accumulators never overflow in this sense.
  qmac::Accumulator fp(qmac::parse_accumulator("fp16", e4m3, e4m3));
  for (int k = 0; k < 1000; ++k)
    fp.add(me(0x7e, 0x7e));
  CHECK(!fp.overflowed());
  CHECK(fp.special().is_zero());
}

TEST_CASE("intN: NaN and Inf products set the special flag beside the register") {
  qmac::Format e5m2 = qmac::parse_format("e5m2"), e4m3 = qmac::parse_format("e4m3fn");
  qmac::Multiplier m(e5m2, e5m2);
  // e5m2: 0x3c = 1, 0x7c = +Inf, 0xfc = -Inf, 0x7e = NaN, 0x00 = 0. LSB 2^-32.
  qmac::Accumulator acc(qmac::parse_accumulator("int64", e5m2, e5m2));
  auto state = [&] { return acc.code_hex() + " " + acc.value_decimal(); };
  acc.add(m(0x3c, 0x3c));
  CHECK(state() == "0x0000000100000000 1");
  CHECK(acc.special().is_zero());
  acc.add(m(0x7c, 0x3c)); // +Inf: the register keeps its bits
  CHECK(state() == "0x0000000100000000 inf");
  CHECK(acc.special().is_inf());
  CHECK(!acc.special().negative);
  CHECK(acc.to_double() == HUGE_VAL);
  acc.add(m(0x3c, 0x3c)); // finite products still go into the register
  CHECK(state() == "0x0000000200000000 inf");
  acc.add(m(0x7c, 0x7c)); // +Inf again
  CHECK(state() == "0x0000000200000000 inf");
  acc.add(m(0xfc, 0x3c)); // Inf + -Inf = NaN
  CHECK(state() == "0x0000000200000000 nan");
  CHECK(acc.special().is_nan());
  CHECK(std::isnan(acc.to_double()));
  acc.add(m(0x7c, 0x3c)); // NaN stays
  CHECK(acc.value_decimal() == "nan");
  CHECK(!acc.overflowed());
  acc.clear();
  CHECK(state() == "0x0000000000000000 0");
  CHECK(acc.special().is_zero());
  acc.add(m(0xfc, 0x3c)); // -Inf
  CHECK(acc.value_decimal() == "-inf");
  CHECK(acc.to_double() == -HUGE_VAL);
  acc.add(m(0xfc, 0xbc)); // +Inf: opposite
  CHECK(acc.value_decimal() == "nan");
  acc.clear();
  acc.add(m(0x7c, 0x00)); // Inf * 0 = NaN
  CHECK(acc.value_decimal() == "nan");
  acc.clear();
  acc.add(m(0x7e, 0x3c)); // NaN, then Inf: NaN
  acc.add(m(0x7c, 0x3c));
  CHECK(acc.value_decimal() == "nan");
  // e4m3fn has NaN only (0x7f): int32 with LSB 2^-18.
  qmac::Multiplier m4(e4m3, e4m3);
  qmac::Accumulator a4(qmac::parse_accumulator("int32", e4m3, e4m3));
  a4.add(m4(0x38, 0x30)); // 1 * 0.5
  CHECK(a4.code_hex() + " " + a4.value_decimal() == "0x00020000 0.5");
  a4.add(m4(0x7f, 0x38));
  CHECK(a4.code_hex() + " " + a4.value_decimal() == "0x00020000 nan");
  // load() (the fast kernels) sets the register and the flag, and clears the special value.
  a4.load(0xfffe0000, true);
  CHECK(a4.value_decimal() == "-0.5");
  CHECK(a4.overflowed());
  CHECK(a4.special().is_zero());
}
