// The dot engine's fast paths against independent references where they do
// something of their own: Binary32Output (an fp32 output rounded by the CPU's
// double -> float conversion, RZ by stepping back, narrowed by clearing low
// bits, a late addend added in double) against MPFR, on ties, subnormals, the
// overflow threshold, cancellation and random sums; its reading of c from
// fp32 bits against qmac's decode (here the library is the reference: decode
// is proven exhaustively in the numerics tests). The fast block's products
// and windows are checked end to end against the exact model in
// test_dot_random and test_dot_directed. ExactOutput (an exact unit's rounding
// of a double: fp16, bf16, e5m2 on the bits, fp32 by the CPU) against MPFR.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "binary32_output.h"
#include "exact_output.h"
#include "mpfr_ref.h"
#include "qmac/numerics/codec.h"
#include "test_util.h"

using namespace qmac_test;
using qmac::dot::Binary32Output;

namespace {

const RefFormat& fp32_ref() {
  static const RefFormat f = ref_format("fp32");
  return f;
}

// Checks one sum s * 2^lsb (exact in double) in both modes against MPFR
// (recipe A of mpfr_ref.h: precision 24, fp32's subnormals, then the
// overflow rule).
void check_sum(int64_t s, int lsb) {
  const double exact = std::ldexp(double(s), lsb);
  for (const Mode m : {Mode::RNE, Mode::RTZ}) {
    Mp r(24);
    mpfr_round_double(r, exact, fp32_ref(), mpfr_mode(m));
    const uint64_t want = code_of_rounded(fp32_ref(), nullptr, r, m, false);
    const Binary32Output out(m == Mode::RNE ? qmac::Rounding::NearestEven
                                            : qmac::Rounding::TowardZero);
    INFO("s " << s << ", lsb " << lsb << ", " << mode_name(m));
    uint64_t got = 0;
    REQUIRE(out.round(s, lsb, got));
    REQUIRE(got == want);
  }
}

} // namespace

TEST_CASE("fp32 outputs rounded by the CPU agree with MPFR") {
  // Ties and neighbours at every binade from the subnormals to the overflow
  // threshold: s has 26 significant bits, so its last two bits are below
  // fp32's last bit (01: below half, 10: the tie, 11: above).
  for (int lsb = -151 - 25; lsb <= 128 - 25; ++lsb)
    for (int64_t low : {0, 1, 2, 3})
      for (int64_t base : {int64_t(1) << 25, (int64_t(1) << 26) - 4, (int64_t(3) << 24)})
        for (int sign : {1, -1})
          check_sum(sign * (base + low), lsb);
  // The overflow threshold exactly: FLT_MAX plus half an ulp, just below it.
  const int64_t max24 = (int64_t(1) << 24) - 1;
  for (int64_t s : {2 * max24, 2 * max24 + 1, 2 * max24 + 2, 4 * max24 + 1, 4 * max24 + 3})
    for (int lsb = 100; lsb <= 106; ++lsb)
      check_sum(s, lsb);
  // Random sums of every width up to 53 bits over the whole range.
  std::mt19937_64 rng(16);
  for (long i = 0; i < scaled(1000000); ++i) {
    const int width = 1 + int(rng() % 53);
    int64_t s = int64_t(rng() >> (64 - width)) | int64_t(1);
    if (rng() & 1) s = -s;
    const int lsb = -200 + int(rng() % 330);
    check_sum(s, lsb);
  }
}

TEST_CASE("fp32 outputs narrowed toward zero to `bits` significant bits agree with MPFR") {
  std::mt19937_64 rng(24);
  for (int bits = 2; bits <= 23; ++bits) {
    RefFormat narrow = fp32_ref(); // fp32's exponents, `bits` significant bits
    narrow.M = bits - 1;
    narrow.bits = 1 + narrow.E + narrow.M;
    const Binary32Output out(qmac::Rounding::TowardZero, bits);
    const double largest = std::ldexp(2.0 - std::ldexp(1.0, 1 - bits), 127);
    for (long i = 0; i < scaled(50000); ++i) {
      const int width = 1 + int(rng() % 53);
      int64_t s = int64_t(rng() >> (64 - width)) | int64_t(1);
      if (rng() & 1) s = -s;
      const int lsb = -200 + int(rng() % 330);
      const double exact = std::ldexp(double(s), lsb);
      Mp r(bits);
      mpfr_round_double(r, exact, narrow, MPFR_RNDZ);
      double want = mpfr_get_d(r, MPFR_RNDN);                             // exact: at most 24 bits
      if (std::fabs(want) > largest) want = std::copysign(largest, want); // RZ overflow
      uint64_t got = 0;
      REQUIRE(out.round(s, lsb, got));
      const uint32_t code = uint32_t(got);
      float f;
      std::memcpy(&f, &code, sizeof f);
      INFO("bits " << bits << ", s " << s << ", lsb " << lsb);
      REQUIRE(double(f) == want);
      REQUIRE(std::signbit(f) == std::signbit(want));
    }
  }
}

TEST_CASE("fp32 late addends added by the CPU agree with MPFR (round to nearest even)") {
  std::mt19937_64 rng(25);
  auto finite = [&](uint32_t code) { return ((code >> 23) & 0xff) != 0xff; };
  for (long i = 0; i < scaled(1000000); ++i) {
    uint32_t c = uint32_t(rng()), s = uint32_t(rng());
    switch (i % 4) {
    case 1: // close magnitudes, opposite signs: cancellation
      s = (c ^ 0x80000000u) + uint32_t(rng() % 64) - 32;
      break;
    case 2: // subnormals and the smallest normals
      c &= 0x80ffffffu;
      s &= 0x80ffffffu;
      break;
    case 3: // exponents up to 30 apart: ties and sticky bits
      s = (c & 0xff800000u) - (uint32_t(rng() % 31) << 23) + (s & 0x807fffffu);
      break;
    }
    if (!finite(c) || !finite(s)) continue;
    float x, y;
    std::memcpy(&x, &c, sizeof x);
    std::memcpy(&y, &s, sizeof y);
    Mp exact(400), rounded(26);
    mpfr_set_flt(exact, x, MPFR_RNDN);
    mpfr_add_d(exact, exact, double(y), MPFR_RNDN); // exact at 400 bits
    mpfr_round_grid(rounded, exact, fp32_ref(), Mode::RNE);
    const uint64_t want = code_of_rounded(fp32_ref(), nullptr, rounded, Mode::RNE, false);
    INFO("c " << hex(c) << ", s " << hex(s));
    uint64_t got = 0;
    REQUIRE(Binary32Output::add_nearest_even(c, s, got));
    REQUIRE(got == want);
  }
  uint64_t code = 0;
  CHECK_FALSE(Binary32Output::add_nearest_even(0x7f800000u, 0x3f800000u, code));
  CHECK_FALSE(Binary32Output::add_nearest_even(0x3f800000u, 0x7fc00000u, code));
}

TEST_CASE("fp32 sums of 2^53 or more are left to the Rounder") {
  const Binary32Output out(qmac::Rounding::NearestEven);
  uint64_t code = 0;
  CHECK_FALSE(out.round(int64_t(1) << 53, 0, code));
  CHECK_FALSE(out.round(-(int64_t(1) << 53), 0, code));
  CHECK(out.round((int64_t(1) << 53) - 1, 0, code));
}

TEST_CASE("fp32 codes read from their bits as operand_of(decode) reads them") {
  const qmac::Format fp32 = qmac::parse_format("fp32");
  auto check = [&](uint64_t code) {
    const qmac::dot::Operand want = qmac::dot::operand_of(fp32, qmac::decode(fp32, code), false);
    const qmac::dot::Operand got = Binary32Output::operand(code);
    INFO("code " << hex(code));
    REQUIRE(got.cls == want.cls);
    if (want.cls == qmac::dot::Operand::NaN) return;
    REQUIRE(got.neg == want.neg);
    if (want.cls != qmac::dot::Operand::Finite) return;
    REQUIRE((got.sig << (got.lsb - std::min(got.lsb, want.lsb))) ==
            (want.sig << (want.lsb - std::min(got.lsb, want.lsb))));
    REQUIRE(got.exp == want.exp);
  };
  // Every exponent field with the extreme fractions, both signs.
  for (uint64_t sign : {0ull, 1ull << 31})
    for (uint64_t field = 0; field < 256; ++field)
      for (uint64_t fraction : {0ull, 1ull, 2ull, 0x400000ull, 0x7ffffeull, 0x7fffffull})
        check(sign | field << 23 | fraction);
  std::mt19937_64 rng(32);
  for (long i = 0; i < scaled(1000000); ++i)
    check(rng() & 0xffffffffu);
}

namespace {

// ExactOutput on one exact value: the code against MPFR (recipe A at the
// output's precision, then the spec's overflow rule), the value it returns
// against the code's own value.
void check_exact_output(const qmac::dot::ExactOutput& out, const RefFormat& ref,
                        const qmac::Format& f, Mode m, double exact) {
  Mp r(ref.M + 1);
  mpfr_round_double(r, exact, ref, mpfr_mode(m));
  const uint64_t want = code_of_rounded(ref, nullptr, r, m, false);
  uint64_t got = 0;
  const double value = out.round(exact, got);
  INFO(f.name << " " << mode_name(m) << ": " << std::hexfloat << exact);
  REQUIRE(got == want);
  const double want_value = qmac::decode(f, got).to_double();
  REQUIRE((std::isnan(value) ? std::isnan(want_value) : value == want_value));
}

} // namespace

TEST_CASE("exact outputs rounded on the double's bits (and fp32 by the CPU) agree with MPFR") {
  std::mt19937_64 rng(71);
  for (const char* name : {"fp16", "bf16", "e5m2", "fp32"}) {
    const qmac::Format f = qmac::parse_format(name);
    const RefFormat& ref = ref_format(name);
    for (const Mode m : {Mode::RNE, Mode::RTZ}) {
      qmac::RoundingOptions o;
      o.mode = m == Mode::RNE ? qmac::Rounding::NearestEven : qmac::Rounding::TowardZero;
      const qmac::Rounder rounder(f, o);
      const qmac::dot::ExactOutput out(f, rounder);
      REQUIRE(out.by_bits());
      // Ties and neighbours at every binade from below the subnormals to
      // beyond the overflow threshold: 3 bits below the output's last bit.
      const int p = f.man_bits + 1;
      for (int e = f.emin() - p - 2; e <= f.emax() + 2; ++e)
        for (int64_t low = 0; low < 8; ++low)
          for (int64_t base :
               {int64_t(1) << (p + 2), (int64_t(1) << (p + 3)) - 8, int64_t(3) << (p + 1)})
            for (int sign : {1, -1})
              check_exact_output(out, ref, f, m, sign * std::ldexp(double(base + low), e - p - 2));
      // Random doubles of up to 53 bits across the output's range.
      std::uniform_int_distribution<int> exp(f.emin() - p - 2, f.emax() + 1);
      for (long i = 0; i < scaled(200000); ++i) {
        const double x = std::ldexp(double(rng() >> 11) / 9007199254740992.0 + 1.0, exp(rng));
        check_exact_output(out, ref, f, m, (rng() & 1) ? -x : x);
      }
    }
  }
}
