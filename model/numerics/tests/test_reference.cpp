// The reference checks itself before anything is compared with it: the flint
// step rule reproduces the published value sets, the encoder inverts the
// decoder, and the three independent ways of rounding (MPFR recipe A, MPFR
// recipe B, exact table search) agree. None of this touches the library.
#include <set>

#include "gen.h"
#include "mpfr_ref.h"
#include "test_util.h"

using namespace qmac_test;

TEST_CASE("reference: flint step rule gives the published value sets") {
  // The ANT paper's 4-bit unsigned flint: its table's value set.
  std::vector<uint64_t> uflint4 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64};
  CHECK(uflint_magnitudes(4) == uflint4);
  // flint4: sign and magnitude over {0, 1, 2, 3, 4, 6, 8, 16}.
  std::vector<uint64_t> uflint3 = {0, 1, 2, 3, 4, 6, 8, 16};
  CHECK(uflint_magnitudes(3) == uflint3);
  // uflint8 as the ANT paper's step rule gives it: runs of (end, step), then 16384.
  std::vector<uint64_t> uflint8;
  for (uint64_t v = 0; v <= 128; ++v)
    uflint8.push_back(v);
  const std::pair<uint64_t, uint64_t> runs[] = {{256, 2},    {512, 8},    {1024, 32},
                                                {2048, 128}, {4096, 512}, {8192, 2048}};
  uint64_t prev = 128;
  for (auto [end, step] : runs)
    for (uint64_t v = prev + step; v <= end; v += step)
      uflint8.push_back(prev = v);
  uflint8.push_back(16384);
  REQUIRE(uflint8.size() == 256);
  CHECK(uflint_magnitudes(8) == uflint8);
  // The 7-bit magnitudes of flint8 by the same rule: strictly increasing, 128 of them.
  auto u7 = uflint_magnitudes(7);
  CHECK(u7.size() == 128);
  CHECK(std::is_sorted(u7.begin(), u7.end()));
  CHECK(std::set<uint64_t>(u7.begin(), u7.end()).size() == 128);
  CHECK(u7.back() == 4096);
}

TEST_CASE("reference: the float encoder inverts the decoder") {
  std::vector<std::string> names = narrow_float_names();
  names.push_back("e8m0fnu");
  names.push_back("fp16");
  names.push_back("bf16");
  names.push_back("e6m9");
  for (const auto& name : names) {
    RefFormat f = ref_format(name);
    long bad = 0;
    for (uint64_t c = 0; c < (1ull << f.bits); ++c) {
      RefVal v = ref_decode(f, c);
      if (v.cls == RefVal::NaN) {
        continue;
      }
      uint64_t back =
          v.cls == RefVal::Inf ? ref_encode_inf(f, v.neg) : ref_encode_float(f, v.value(), v.neg);
      if (back != c) ++bad;
    }
    INFO(name);
    CHECK(bad == 0);
    if (f.style != RStyle::Fin && !(f.style == RStyle::Ieee && f.M == 0))
      CHECK(ref_decode(f, ref_canonical_nan(f)).cls == RefVal::NaN);
    CHECK(ref_decode(f, ref_encode_float(f, ref_max_finite(f))).mag == ref_max_finite(f));
  }
}

TEST_CASE("reference: MPFR recipes A and B and the table search agree") {
  std::mt19937_64 rng(0x5eed0001);
  const long n = scaled(20000);
  for (const auto& name : narrow_float_names()) {
    RefFormat f = ref_format(name);
    MpfrQuantizer q(f);
    RandomReals gen(q.table());
    Failures fails;
    Mp x(64), r(64);
    for (long i = 0; i < n; ++i) {
      double d = gen(rng);
      uint64_t a[3][2];
      q.quantize(d, a); // recipe A
      for (int m = 0; m < 3; ++m)
        for (int s = 0; s < 2; ++s) {
          uint64_t t = q.table().round(d, Mode(m), s == 1); // table search
          uint64_t b = t;
          if (!std::isnan(d)) { // recipe B
            mpfr_set_d(x, d, MPFR_RNDN);
            mpfr_round_grid(r, x, f, Mode(m));
            b = code_of_rounded(f, &q.table(), r, Mode(m), s == 1);
          }
          if (a[m][s] != t || a[m][s] != b)
            fails.add(std::string(mode_name(Mode(m))) + (s ? " sat " : " ") + std::to_string(d) +
                      ": A " + hex(a[m][s]) + " B " + hex(b) + " table " + hex(t));
        }
    }
    fails.report(name, n * 6);
  }
}

TEST_CASE("reference: MPFR accumulation step against exact table arithmetic") {
  // For a narrow accumulator-like format the table can round the exact sum of two
  // values (exact in long double); recipe B inside mpfr_accumulate must agree.
  std::mt19937_64 rng(0x5eed0002);
  for (const char* name : {"e5m2", "e4m3", "e3m4", "e5m0", "e2m1"}) {
    RefFormat f = ref_format(name);
    RefTable t(f);
    Failures fails;
    long n = scaled(20000);
    for (long i = 0; i < n; ++i) {
      uint64_t acc = rng() & ((1ull << f.bits) - 1);
      RefVal p = ref_decode(f, rng() & ((1ull << f.bits) - 1));
      if (p.cls != RefVal::Finite || t[acc].cls != RefVal::Finite) continue;
      long double sum = t[acc].value() + p.value(); // exact: few bits each
      bool neg_zero = sum == 0 && t[acc].neg && p.neg;
      uint64_t want = t.round(neg_zero ? -0.0L : sum, Mode::RNE, false);
      uint64_t got = mpfr_accumulate(f, acc, p, Mode::RNE, false, false);
      if (want != got) fails.add(hex(acc) + " + " + show(p) + ": " + hex(got) + " vs " + hex(want));
    }
    fails.report(name, n);
  }
}
