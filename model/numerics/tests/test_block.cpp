// Acceptance 8: block formats. quantize_block for every MX format follows the
// OCP MX v1.0 rule (X = floor(log2(max|v|)) - emax_elem, clamped to [-127, 127];
// elements v / 2^X rounded to nearest even and saturated), NVFP4 takes the
// e4m3 scale RNE(amax / 6), both checked against the tests' own computation;
// block_dot equals the exact cpp_rational sum; round_register rounds it like MPFR.
#include "mpfr_ref.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/codec.h"
#include "ref_big.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

// The block formats as the OCP MX spec and NVIDIA publish them.
struct RefBlock {
  const char* name;
  RefFormat element;
  int emax_elem; // MX: floor(log2(largest element)); published table
  bool mx;       // e8m0 scale (else NVFP4: e4m3 scale, 16 elements)
  int size;
};

std::vector<RefBlock> ref_blocks() {
  RefFormat int8_s6 = ref_format("int8");
  int8_s6.lsb = -6;
  return {{"mxfp8_e4m3", ref_format("e4m3fn"), 8, true, 32},
          {"mxfp8_e5m2", ref_format("e5m2"), 15, true, 32},
          {"mxfp6_e3m2", ref_format("float6_e3m2fn"), 4, true, 32},
          {"mxfp6_e2m3", ref_format("float6_e2m3fn"), 2, true, 32},
          {"mxfp4", ref_format("float4_e2m1fn"), 2, true, 32},
          {"mxint8", int8_s6, 0, true, 32},
          {"nvfp4", ref_format("float4_e2m1fn"), 2, false, 16}};
}

// Random block contents: magnitudes spread over a few binades around a random
// exponent, zeros, powers of two, values just below a power of two (which round
// up past the element's maximum and must saturate), rarely NaN/Inf.
std::vector<long double> random_block(std::mt19937_64& rng, int size, bool specials) {
  std::uniform_real_distribution<double> u(1.0, 2.0);
  int n = rng() % 4 == 0 ? 1 + int(rng() % uint64_t(size)) : size;
  int base = int(rng() % 300) - 150;
  if (rng() % 8 == 0) base = int(rng() % 60) - 30;
  int spread = 1 + int(rng() % 24);
  std::vector<long double> v;
  for (int i = 0; i < n; ++i) {
    long double x;
    switch (rng() % 8) {
    case 0:
      x = 0;
      break;
    case 1:
      x = std::ldexp(1.0L, base - int(rng() % uint64_t(spread)));
      break;
    case 2: // (2 - 2^-k) * 2^base: rounds up to the next power of two
      x = std::ldexp(2.0L - std::ldexp(1.0L, -1 - int(rng() % 20)), base);
      break;
    default:
      x = std::ldexp((long double)u(rng), base - int(rng() % uint64_t(spread)));
      break;
    }
    v.push_back((rng() & 1) ? -x : x);
  }
  if (rng() % 16 == 0) std::fill(v.begin(), v.end(), 0.0L); // all zero
  if (specials && rng() % 16 == 0) {
    long double s[] = {HUGE_VALL, -HUGE_VALL, std::nanl("")};
    v[rng() % v.size()] = s[rng() % 3];
  }
  return v;
}

} // namespace

TEST_CASE("block: quantize_block follows the OCP MX and NVFP4 rules") {
  const RefTable e4m3fn(ref_format("e4m3fn"));
  std::mt19937_64 rng(0xb10c);
  for (const RefBlock& rb : ref_blocks()) {
    auto bf = qmac::find_block_format(rb.name);
    REQUIRE(bf.has_value());
    REQUIRE(bf->block_size == rb.size);
    const RefTable elem(rb.element);
    Failures fails;
    long blocks = scaled(20000), saturated = 0, clamped = 0;
    for (long b = 0; b < blocks; ++b) {
      std::vector<long double> v = random_block(rng, rb.size, true);
      std::vector<qmac::Value> values;
      for (long double x : v)
        values.push_back(value_of(x));
      qmac::Block got = qmac::quantize_block(*bf, values);
      std::vector<qmac::Value> decoded = qmac::decode_block(*bf, got);
      std::string what = std::string(rb.name) + " block " + std::to_string(b);
      if (got.elements.size() != v.size() || decoded.size() != v.size()) {
        fails.add(what + ": size");
        continue;
      }
      bool special = false;
      long double amax = 0;
      for (long double x : v) {
        special |= !std::isfinite(x);
        if (std::isfinite(x)) amax = std::max(amax, std::fabs(x));
      }
      if (special) { // NaN scale: every element reads NaN
        uint64_t nan_scale = rb.mx ? 0xff : e4m3fn.nan_code();
        bool all_nan = true;
        for (const auto& d : decoded)
          all_nan &= d.is_nan();
        if (got.scale != nan_scale || !all_nan)
          fails.add(what + ": NaN/Inf must make the scale NaN");
        continue;
      }
      long double scale;
      uint64_t want_scale;
      if (rb.mx) {
        int x = amax == 0 ? -127 : std::clamp(std::ilogb(amax) - rb.emax_elem, -127, 127);
        clamped += amax != 0 && (x == -127 || x == 127);
        want_scale = uint64_t(x + 127);
        scale = std::ldexp(1.0L, x);
      } else {
        want_scale = e4m3fn.round(amax, Mode::RNE, true, 6); // RNE(amax / 6), saturating
        scale = e4m3fn[want_scale].mag;
      }
      if (got.scale != want_scale) {
        fails.add(what + ": scale " + hex(got.scale) + " want " + hex(want_scale) + " (amax " +
                  ref_decimal(amax) + ")");
        continue;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        uint64_t want = scale == 0 ? 0 : elem.round(v[i], Mode::RNE, true, scale);
        if (scale != 0 && std::fabs(v[i]) > scale * elem.max_finite()) ++saturated;
        RefVal e = elem[want];
        long double want_value = scale * e.value();
        RefVal dv = ref_of(decoded[i]);
        if (got.elements[i] != want || !(dv.cls == RefVal::Finite && dv.value() == want_value))
          fails.add(what + " element " + std::to_string(i) + " " + ref_decimal(v[i]) + ": " +
                    hex(got.elements[i]) + " want " + hex(want) + " (scale " + hex(want_scale) +
                    ")");
      }
      // block_element_value agrees with decode_block.
      if (!v.empty()) {
        RefVal one = ref_of(qmac::block_element_value(*bf, got.scale, got.elements[0]));
        if (!identical(one, ref_of(decoded[0]))) fails.add(what + ": block_element_value");
      }
    }
    fails.report(std::string("quantize_block ") + rb.name, blocks);
    CHECK(saturated > 0); // the vectors exercise saturation
    if (rb.mx) CHECK(clamped > 0);
  }
}

TEST_CASE("block: MX scale examples from the rule") {
  auto mx = qmac::find_block_format("mxfp8_e4m3");
  // max |v| = 448 * 2^3 = 3584: X = floor(log2(3584)) - 8 = 11 - 8 = 3.
  qmac::Block b = qmac::quantize_block(*mx, {value_of(3584.0L), value_of(-1.0L), value_of(0.0L)});
  CHECK(b.scale == 127 + 3);
  CHECK(b.elements[0] == 0x7e);          // 448
  CHECK(b.elements[1] == (0x80 | 0x20)); // -1/8 = -2^-3: field 4
  CHECK(b.elements[2] == 0x00);
  // 3999 / 8 = 499.875 > 448: saturates instead of NaN.
  qmac::Block s = qmac::quantize_block(*mx, {value_of(3999.0L)});
  CHECK(s.scale == 127 + 3);
  CHECK(s.elements[0] == 0x7e);
  auto fp4 = qmac::find_block_format("mxfp4");
  // max 1: X = 0 - 2 = -2; 1 / 2^-2 = 4 (code 6); 0.3 * 4 = 1.2 -> 1.0 (code 2).
  qmac::Block f = qmac::quantize_block(*fp4, {value_of(1.0L), value_of(0.3L)});
  CHECK(f.scale == 125);
  CHECK(f.elements[0] == 6);
  CHECK(f.elements[1] == 2);
  qmac::Block z = qmac::quantize_block(*fp4, {value_of(0.0L), value_of(-0.0L, true)});
  CHECK(z.scale == 0); // all zero: X = -127
  CHECK_THROWS_AS(qmac::quantize_block(*fp4, {}), qmac::InputError);
  CHECK_THROWS_AS(qmac::quantize_block(*fp4, std::vector<qmac::Value>(33, value_of(1.0L))),
                  qmac::InputError);
  auto nv = qmac::find_block_format("nvfp4");
  // amax 6 -> scale 1 (0x38); amax 7 -> 7/6 = 1.1666 -> 1.125 (0x39).
  CHECK(qmac::quantize_block(*nv, {value_of(6.0L)}).scale == 0x38);
  CHECK(qmac::quantize_block(*nv, {value_of(7.0L)}).scale == 0x39);
  // 7 / 1.125 = 6.22 -> saturates to 6.
  CHECK(qmac::quantize_block(*nv, {value_of(7.0L)}).elements[0] == 0x7);
}

namespace {

// The scale exponent X of an MX block by its rule, from the definitions in
// exact rationals: the search runs over a range wide enough to hold the
// answer (around floor's), and the answer must be the one X that satisfies
// the rule's condition there.
int reference_mx_exponent(qmac::ScaleRounding rule, long double amax, const RefTable& elem) {
  const long double m = elem.max_finite();
  const int k = std::ilogb(amax) - std::ilogb(m);
  if (rule == qmac::ScaleRounding::Floor) return k;
  const cpp_rational a = rational_of(amax), mr = rational_of(m);
  int found = 0, x_found = 0;
  for (int x = k - 3; x <= k + 3; ++x) {
    bool holds;
    if (rule == qmac::ScaleRounding::Ceil) // amax <= M 2^x and not amax <= M 2^(x-1)
      holds = a <= mr * pow2(x) && !(a <= mr * pow2(x - 1));
    else // 2^(x - 1/2) <= amax / M < 2^(x + 1/2), squared
      holds = mr * mr * pow2(2 * x - 1) <= a * a && a * a < mr * mr * pow2(2 * x + 1);
    if (holds) {
      ++found;
      x_found = x;
    }
  }
  if (found != 1) throw std::logic_error("reference_mx_exponent: no unique answer");
  return x_found;
}

// NVFP4's e4m3fn scale amax / 6 by the rule: toward zero, to nearest even, or
// the smallest e4m3fn value at or above it (saturating).
uint64_t reference_nvfp4_scale(qmac::ScaleRounding rule, long double amax, const RefTable& e4m3fn) {
  if (rule == qmac::ScaleRounding::Floor) return e4m3fn.round(amax, Mode::RTZ, true, 6);
  if (rule == qmac::ScaleRounding::Even) return e4m3fn.round(amax, Mode::RNE, true, 6);
  for (const auto& [mag, code] : e4m3fn.side(false))
    if (rational_of(mag) * 6 >= rational_of(amax)) return code;
  return e4m3fn.max_code(false);
}

} // namespace

TEST_CASE("block: the scale rules floor, ceil and even follow their definitions") {
  using qmac::ScaleRounding;
  const RefTable e4m3fn(ref_format("e4m3fn"));
  std::mt19937_64 rng(0x5ca1e);
  for (const RefBlock& rb : ref_blocks()) {
    auto bf = qmac::find_block_format(rb.name);
    REQUIRE(bf.has_value());
    const RefTable elem(rb.element);
    for (ScaleRounding rule : {ScaleRounding::Floor, ScaleRounding::Ceil, ScaleRounding::Even}) {
      Failures fails;
      const long blocks = scaled(6000);
      long saturated = 0, differs = 0;
      for (long b = 0; b < blocks; ++b) {
        const std::vector<long double> v = random_block(rng, rb.size, false);
        std::vector<qmac::Value> values;
        long double amax = 0;
        for (long double x : v) {
          values.push_back(value_of(x));
          amax = std::max(amax, std::fabs(x));
        }
        const qmac::Block got = qmac::quantize_block(*bf, values, rule);
        const qmac::Block standard = qmac::quantize_block(*bf, values);
        differs += got.scale != standard.scale;
        uint64_t want_scale;
        long double scale;
        int x = 0;
        if (rb.mx) {
          x = amax == 0 ? -127 : std::clamp(reference_mx_exponent(rule, amax, elem), -127, 127);
          want_scale = uint64_t(x + 127);
          scale = std::ldexp(1.0L, x);
        } else {
          want_scale = reference_nvfp4_scale(rule, amax, e4m3fn);
          scale = e4m3fn[want_scale].mag;
        }
        const std::string what = std::string(rb.name) + " " + qmac::scale_rounding_name(rule) +
                                 " block " + std::to_string(b) + " (amax " + ref_decimal(amax) +
                                 ")";
        if (got.scale != want_scale) {
          fails.add(what + ": scale " + hex(got.scale) + " want " + hex(want_scale));
          continue;
        }
        for (size_t i = 0; i < v.size(); ++i) {
          const uint64_t want = scale == 0 ? 0 : elem.round(v[i], Mode::RNE, true, scale);
          const bool sat = scale != 0 && std::fabs(v[i]) > scale * elem.max_finite();
          saturated += sat;
          // Ceil never saturates unless the scale is at its largest.
          const bool at_top = rb.mx ? x == 127 : want_scale == e4m3fn.max_code(false);
          if (sat && rule == ScaleRounding::Ceil && !at_top)
            fails.add(what + ": element " + std::to_string(i) + " saturates under ceil");
          if (got.elements[i] != want)
            fails.add(what + " element " + std::to_string(i) + ": " + hex(got.elements[i]) +
                      " want " + hex(want));
        }
      }
      fails.report(std::string("scale rule ") + qmac::scale_rounding_name(rule) + " " + rb.name,
                   blocks);
      // The vectors tell the rules apart: floor saturates, and a rule other
      // than the format's standard one picks other scales.
      if (rule == ScaleRounding::Floor && rb.mx) CHECK(saturated > 0);
      if (rule != qmac::standard_scale_rounding(*bf)) CHECK(differs > 0);
    }
  }
}

TEST_CASE("block: scale rule examples") {
  using qmac::ScaleRounding;
  auto x_of = [](const char* fmt, long double amax, ScaleRounding r) {
    return int(qmac::quantize_block(*qmac::find_block_format(fmt), {value_of(amax)}, r).scale) -
           127;
  };
  // mxfp8_e4m3, M = 448: 3999 / 448 = 8.93 = 2^3.16.
  CHECK(x_of("mxfp8_e4m3", 3999, ScaleRounding::Floor) == 3); // saturates to 448
  CHECK(x_of("mxfp8_e4m3", 3999, ScaleRounding::Ceil) == 4);
  CHECK(x_of("mxfp8_e4m3", 3999, ScaleRounding::Even) == 3);
  CHECK(x_of("mxfp8_e4m3", 448 * 12, ScaleRounding::Even) == 4); // 2^3.58
  CHECK(x_of("mxfp8_e4m3", 448 * 8, ScaleRounding::Ceil) == 3);  // exactly M 2^3
  // mxfp4, M = 6: 0.5 / 6 = 2^-3.58: floor -3, ceil -3, even -4 (which saturates 0.5 * 16 to 6).
  CHECK(x_of("mxfp4", 0.5L, ScaleRounding::Floor) == -3);
  CHECK(x_of("mxfp4", 0.5L, ScaleRounding::Ceil) == -3);
  CHECK(x_of("mxfp4", 0.5L, ScaleRounding::Even) == -4);
  CHECK(
      qmac::quantize_block(*qmac::find_block_format("mxfp4"), {value_of(0.5L)}, ScaleRounding::Even)
          .elements[0] == 0x7);
  // mxint8, M = 127/64: 1.99 saturates under floor (X = 0), not under ceil (X = 1).
  CHECK(x_of("mxint8", 1.99L, ScaleRounding::Floor) == 0);
  CHECK(x_of("mxint8", 1.99L, ScaleRounding::Ceil) == 1);
  // nvfp4: 7 / 6 = 1.1667 -> 1.125 (0x39) toward zero and nearest, 1.25 (0x3a) up.
  auto nv = *qmac::find_block_format("nvfp4");
  CHECK(qmac::quantize_block(nv, {value_of(7.0L)}, ScaleRounding::Floor).scale == 0x39);
  CHECK(qmac::quantize_block(nv, {value_of(7.0L)}, ScaleRounding::Even).scale == 0x39);
  CHECK(qmac::quantize_block(nv, {value_of(7.0L)}, ScaleRounding::Ceil).scale == 0x3a);
  CHECK(qmac::quantize_block(nv, {value_of(6.0L)}, ScaleRounding::Ceil).scale == 0x38); // exact
  CHECK(qmac::parse_scale_rounding("ceil") == ScaleRounding::Ceil);
  CHECK_THROWS_AS(qmac::parse_scale_rounding("up"), qmac::InputError);
}

TEST_CASE("block: the unit scale code reads as 1") {
  // Written from the encodings: E8M0 2^(code - 127); e4m3fn 0 0111 000 = 1.0.
  CHECK(qmac::unit_scale_code(*qmac::find_block_format("mxfp4")) == 127);
  CHECK(qmac::unit_scale_code(*qmac::find_block_format("mxint8")) == 127);
  CHECK(qmac::unit_scale_code(*qmac::find_block_format("nvfp4")) == 0x38);
}

namespace {

// The exact dot product of two blocks by cpp_rational, or "nan"/"inf"/"-inf".
std::string exact_dot(const qmac::BlockFormat& fa, const qmac::Block& a,
                      const qmac::BlockFormat& fb, const qmac::Block& b, const RefFormat& ra,
                      const RefFormat& rb, const RefFormat& sa, const RefFormat& sb,
                      cpp_rational& sum) {
  sum = 0;
  bool nan = false, pinf = false, ninf = false;
  (void)fa;
  (void)fb;
  for (size_t i = 0; i < a.elements.size(); ++i) {
    RefVal xs = ref_decode(sa, a.scale), xe = ref_decode(ra, a.elements[i]);
    RefVal ys = ref_decode(sb, b.scale), ye = ref_decode(rb, b.elements[i]);
    RefVal f[4] = {xs, xe, ys, ye};
    bool any_nan = false, any_inf = false, any_zero = false, neg = false;
    for (const RefVal& r : f) {
      any_nan |= r.cls == RefVal::NaN;
      any_inf |= r.cls == RefVal::Inf;
      any_zero |= r.is_zero();
      neg ^= r.neg && r.cls != RefVal::NaN;
    }
    if (any_nan || (any_inf && any_zero)) {
      nan = true;
    } else if (any_inf) {
      (neg ? ninf : pinf) = true;
    } else {
      cpp_rational p = rational_of(xs.value()) * rational_of(xe.value()) * rational_of(ys.value()) *
                       rational_of(ye.value());
      sum += p;
    }
  }
  if (nan || (pinf && ninf)) return "nan";
  if (pinf) return "inf";
  if (ninf) return "-inf";
  return decimal_of(sum);
}

RefFormat element_ref(const std::string& name) {
  for (const RefBlock& b : ref_blocks())
    if (name == b.name) return b.element;
  throw std::logic_error("no block " + name);
}

} // namespace

TEST_CASE("block: block_dot equals the exact cpp_rational sum") {
  const std::pair<const char*, const char*> pairs[] = {
      {"mxfp8_e4m3", "mxfp8_e4m3"}, {"mxfp8_e5m2", "mxfp8_e5m2"}, {"mxfp6_e3m2", "mxfp6_e3m2"},
      {"mxfp6_e2m3", "mxfp6_e2m3"}, {"mxfp4", "mxfp4"},           {"mxint8", "mxint8"},
      {"nvfp4", "nvfp4"},           {"mxfp8_e4m3", "mxfp4"},      {"mxint8", "mxfp8_e5m2"}};
  const RefFormat fp32 = ref_format("fp32"), bf16 = ref_format("bf16");
  std::mt19937_64 rng(0xd07);
  for (auto [na, nb] : pairs) {
    auto fa = qmac::find_block_format(na), fb = qmac::find_block_format(nb);
    RefFormat ra = element_ref(na), rb = element_ref(nb);
    RefFormat sa = ref_format(fa->power_of_two_scale ? "e8m0fnu" : "e4m3fn");
    RefFormat sb = ref_format(fb->power_of_two_scale ? "e8m0fnu" : "e4m3fn");
    Failures fails;
    const long n = scaled(5000);
    for (long k = 0; k < n; ++k) {
      size_t len = 1 + rng() % size_t(std::min(fa->block_size, fb->block_size));
      qmac::Block a, b;
      auto scale = [&](const RefFormat& s) {
        if (rng() % 64 == 0) return uint64_t(rng() % 256); // anything, NaN too
        return s.style == RStyle::Fnu ? uint64_t(127 + int(rng() % 41) - 20) : rng() % 0x7f;
      };
      a.scale = rng() % 32 == 0 ? 254 - rng() % 3 : scale(sa); // sometimes huge scales
      b.scale = scale(sb);
      if (!fa->power_of_two_scale) a.scale &= 0x7f;
      for (size_t i = 0; i < len; ++i) {
        a.elements.push_back(rng() % (1ull << ra.bits));
        b.elements.push_back(rng() % (1ull << rb.bits));
      }
      qmac::ExactDot d = qmac::block_dot(*fa, a, *fb, b);
      cpp_rational sum;
      std::string want = exact_dot(*fa, a, *fb, b, ra, rb, sa, sb, sum);
      std::string got = d.decimal();
      if (got != want || d.sum.overflowed()) {
        fails.add(std::string(na) + " . " + nb + " #" + std::to_string(k) + ": " +
                  got.substr(0, 80) + " want " + want.substr(0, 80));
        continue;
      }
      if (want == "nan" || want.find("inf") != std::string::npos) continue;
      // round_register: the exact sum rounded once, like MPFR (recipe B).
      for (const RefFormat* target : {&fp32, &bf16}) {
        Mp x(640), r(64);
        cpp_int num = numerator(sum), den = denominator(sum);
        mpfr_set_str(x, num.str().c_str(), 10, MPFR_RNDN); // exact: a few hundred bits at most
        int k2 = 0;
        while (den > 1) {
          den /= 2;
          ++k2;
        }
        mpfr_div_2si(x, x, k2, MPFR_RNDN);
        mpfr_round_grid(r, x, *target, Mode::RNE);
        uint64_t want_code = code_of_rounded(*target, nullptr, r, Mode::RNE, false);
        uint64_t got_code = qmac::round_register(d.sum, qmac::parse_format(target->name));
        if (got_code != want_code)
          fails.add(std::string(na) + " . " + nb + ": round_register to " + target->name + " " +
                    hex(got_code) + " want " + hex(want_code));
      }
    }
    fails.report(std::string("block_dot ") + na + " . " + nb, n);
  }
}
