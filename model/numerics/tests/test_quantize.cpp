// Acceptance 2: quantize(format, double) against MPFR for every 4-, 6- and
// 8-bit float format, every deterministic rounding mode, with and without
// --saturate: all 65536 fp16 values, all 65536 bf16 values and >= 10^6 random
// doubles per format aimed at the format (uniform bits, near the range, exact
// midpoints, one ulp off midpoints, near midpoints, beyond the maximum,
// subnormals, on the grid). Integers and flint against the nearest value of the
// sorted value set; e8m0fnu directly.
#include <set>

#include "gen.h"
#include "mpfr_ref.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

std::string show_double(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g (%a)", d, d);
  return buf;
}

// quantize(f, d) by the library, or RefTable::kThrows when it throws InputError.
uint64_t lib_quantize(const qmac::Format& f, double d, const qmac::RoundingOptions& o) {
  try {
    return qmac::quantize(f, d, o);
  } catch (const qmac::InputError&) {
    return RefTable::kThrows;
  }
}

double double_of(const RefVal& v) {
  if (v.cls == RefVal::NaN) return std::nan("");
  if (v.cls == RefVal::Inf) return v.neg ? -HUGE_VAL : HUGE_VAL;
  double d = double(v.mag);
  return v.neg ? -d : d;
}

void check_float_vs_mpfr(const std::string& name) {
  const RefFormat r = ref_format(name);
  const qmac::Format f = qmac::parse_format(name);
  MpfrQuantizer q(r);
  RandomReals gen(q.table());
  Failures fails;
  long checked = 0;
  auto check = [&](double d, const char* source) {
    uint64_t want[3][2];
    q.quantize(d, want);
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s) {
        uint64_t got = lib_quantize(f, d, options(Mode(m), s == 1));
        ++checked;
        if (got != want[m][s])
          fails.add(std::string(source) + " " + show_double(d) + " " + mode_name(Mode(m)) +
                    (s ? " saturate" : "") + ": got " + hex(got) + " want " + hex(want[m][s]));
      }
  };
  const RefFormat fp16 = ref_format("fp16"), bf16 = ref_format("bf16");
  for (uint64_t c = 0; c < 65536; ++c) {
    check(double_of(ref_decode(fp16, c)), "fp16");
    check(double_of(ref_decode(bf16, c)), "bf16");
  }
  std::mt19937_64 rng(std::hash<std::string>()(name) ^ 0x9a7e);
  const long n = scaled(1000000);
  for (long i = 0; i < n; ++i)
    check(gen(rng, RandomReals::Kind(i % RandomReals::kKinds)), "random");
  fails.report("quantize " + name + " vs MPFR", checked);
}

} // namespace

#define QUANTIZE_VS_MPFR(NAME)                                                                     \
  TEST_CASE("quantize vs MPFR: " NAME) {                                                           \
    check_float_vs_mpfr(NAME);                                                                     \
  }

QUANTIZE_VS_MPFR("e5m2")
QUANTIZE_VS_MPFR("e4m3")
QUANTIZE_VS_MPFR("e4m3fn")
QUANTIZE_VS_MPFR("e4m3fnuz")
QUANTIZE_VS_MPFR("e5m2fnuz")
QUANTIZE_VS_MPFR("e3m4")
QUANTIZE_VS_MPFR("e2m5")
QUANTIZE_VS_MPFR("e4m3b11fnuz")
QUANTIZE_VS_MPFR("float6_e2m3fn")
QUANTIZE_VS_MPFR("float6_e3m2fn")
QUANTIZE_VS_MPFR("float4_e2m1fn")
QUANTIZE_VS_MPFR("e3m4fin")
QUANTIZE_VS_MPFR("e2m5fin")
QUANTIZE_VS_MPFR("e4m3fin")
QUANTIZE_VS_MPFR("e5m2fin")
QUANTIZE_VS_MPFR("e3m2_b5")
QUANTIZE_VS_MPFR("e1m2")
QUANTIZE_VS_MPFR("e5m0")
QUANTIZE_VS_MPFR("e2m1")
QUANTIZE_VS_MPFR("e3m3fnuz")
QUANTIZE_VS_MPFR("e4m2fn_b3")
QUANTIZE_VS_MPFR("e2m2fin")

TEST_CASE("quantize: every listed float format is covered by the MPFR comparison") {
  // Guards the list above against the reference's list of formats.
  const std::set<std::string> covered = {
      "e5m2",    "e4m3",        "e4m3fn",        "e4m3fnuz",      "e5m2fnuz",      "e3m4",
      "e2m5",    "e4m3b11fnuz", "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "e3m4fin",
      "e2m5fin", "e4m3fin",     "e5m2fin",       "e3m2_b5",       "e1m2",          "e5m0",
      "e2m1",    "e3m3fnuz",    "e4m2fn_b3",     "e2m2fin"};
  for (const auto& n : narrow_float_names())
    CHECK(covered.count(n) == 1);
}

TEST_CASE("quantize: integers and flint against the nearest value of the value set") {
  std::vector<std::pair<std::string, qmac::Format>> formats;
  for (const char* n : {"int4", "uint4", "int8", "uint8", "uflint4", "flint4", "uflint8", "flint8"})
    formats.push_back({n, qmac::parse_format(n)});
  // MXINT8's element: int8 with an implicit 2^-6 (not a named format).
  formats.push_back({"int8_s6", qmac::integer_format(8, true, -6)});
  std::mt19937_64 rng(0x1f11);
  for (auto& [name, f] : formats) {
    RefFormat r = name == "int8_s6" ? ref_format("int8") : ref_format(name);
    if (name == "int8_s6") r.lsb = -6;
    RefTable t(r);
    RandomReals gen(t);
    Failures fails;
    long checked = 0;
    const long n = scaled(200000);
    for (long i = 0; i < n; ++i) {
      double d = gen(rng, RandomReals::Kind(i % RandomReals::kKinds));
      for (int m = 0; m < 3; ++m)
        for (int s = 0; s < 2; ++s) {
          uint64_t want = t.round(d, Mode(m), s == 1);
          uint64_t got = lib_quantize(f, d, options(Mode(m), s == 1));
          ++checked;
          if (got != want)
            fails.add(show_double(d) + " " + mode_name(Mode(m)) + (s ? " saturate" : "") +
                      ": got " + hex(got) + " want " + hex(want));
        }
    }
    fails.report("quantize " + name, checked);
  }
}

TEST_CASE("quantize: integer ties go to the even integer - and integers saturate") {
  qmac::Format i8 = qmac::parse_format("int8"), u4 = qmac::parse_format("uint4");
  auto q = [](const qmac::Format& f, double d, Mode m = Mode::RNE) {
    return qmac::quantize(f, d, options(m, false));
  };
  CHECK(q(i8, 2.5) == 2);
  CHECK(q(i8, 3.5) == 4);
  CHECK(q(i8, -2.5) == 0xfe);
  CHECK(q(i8, -3.5) == 0xfc);
  CHECK(q(i8, -2.5, Mode::RNA) == 0xfd);
  CHECK(q(i8, -2.7, Mode::RTZ) == 0xfe);
  CHECK(q(i8, 127.5) == 0x7f);
  CHECK(q(i8, 1e9) == 0x7f);
  CHECK(q(i8, -128.5) == 0x80);
  CHECK(q(i8, -1e9) == 0x80);
  CHECK(q(i8, HUGE_VAL) == 0x7f);
  CHECK(q(i8, -HUGE_VAL) == 0x80);
  CHECK(q(u4, -3) == 0);
  CHECK(q(u4, 15.4) == 15);
  CHECK(q(u4, 99) == 15);
  CHECK_THROWS_AS(q(i8, std::nan("")), qmac::InputError);
  qmac::Format fl4 = qmac::parse_format("flint4");
  CHECK(q(fl4, 5) == 0x4);   // tie between 4 (code 4) and 6 (code 5): even code
  CHECK(q(fl4, 7) == 0x6);   // tie between 6 (code 5) and 8 (code 6)
  CHECK(q(fl4, 12) == 0x6);  // tie between 8 (code 6) and 16 (code 7)
  CHECK(q(fl4, 100) == 0x7); // saturates at 16
  CHECK(q(fl4, -100) == 0xf);
  CHECK(q(fl4, -0.25) == 0x8); // -0 exists in flint
}

TEST_CASE("quantize: e8m0fnu (no zero - one significand bit - NaN at 0xff)") {
  qmac::Format f = qmac::parse_format("e8m0fnu");
  auto q = [&](double d, Mode m, bool sat = false) { return lib_quantize(f, d, options(m, sat)); };
  for (int k = -127; k <= 127; ++k) {
    INFO("k = " << k);
    uint64_t code = uint64_t(k + 127);
    for (int m = 0; m < 3; ++m)
      CHECK(q(std::ldexp(1.0, k), Mode(m)) == code);
    // 1.5 * 2^k: halfway between 2^k and 2^(k+1) (a tie of codes k+127 and k+128).
    double mid = 1.5 * std::ldexp(1.0, k);
    CHECK(q(mid, Mode::RTZ) == code);
    CHECK(q(mid, Mode::RNA) == (k == 127 ? 0xff : code + 1));
    CHECK(q(mid, Mode::RNE) == (code % 2 == 0 ? code : code + 1));
    CHECK(q(mid, Mode::RNA, true) == (k == 127 ? 0xfe : code + 1));
    // Off the tie.
    CHECK(q(std::nextafter(mid, 0.0), Mode::RNE) == code);
    CHECK(q(std::nextafter(mid, 4 * mid), Mode::RNE) == (k == 127 ? 0xff : code + 1));
    CHECK(q(1.25 * std::ldexp(1.0, k), Mode::RNA) == code);
    CHECK(q(1.75 * std::ldexp(1.0, k), Mode::RTZ) == code);
  }
  for (double tiny :
       {std::ldexp(1.0, -128), std::ldexp(1.0, -200), 1e-300, 4.9e-324, std::ldexp(1.75, -128)})
    for (int m = 0; m < 3; ++m)
      CHECK(q(tiny, Mode(m)) == 0x00); // below 2^-127: the smallest value
  for (double bad : {0.0, -0.0, -1.0, -std::ldexp(1.0, -140), -1e300, -HUGE_VAL, std::nan("")})
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s)
        CHECK(q(bad, Mode(m), s) == 0xff); // no zero and no sign: NaN
  CHECK(q(HUGE_VAL, Mode::RNE) == 0xff);
  CHECK(q(HUGE_VAL, Mode::RNE, true) == 0xfe);
  CHECK(q(std::ldexp(1.0, 200), Mode::RNE) == 0xff);
  CHECK(q(std::ldexp(1.0, 200), Mode::RTZ) == 0xfe);
  CHECK(q(std::ldexp(1.0, 200), Mode::RNA, true) == 0xfe);

  // Random reals against the table search.
  RefTable t(ref_format("e8m0fnu"));
  RandomReals gen(t);
  std::mt19937_64 rng(0xe8);
  Failures fails;
  const long n = scaled(200000);
  for (long i = 0; i < n; ++i) {
    double d = gen(rng, RandomReals::Kind(i % RandomReals::kKinds));
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s) {
        uint64_t want = t.round(d, Mode(m), s == 1), got = q(d, Mode(m), s == 1);
        if (got != want)
          fails.add(show_double(d) + " " + mode_name(Mode(m)) + ": got " + hex(got) + " want " +
                    hex(want));
      }
  }
  fails.report("e8m0fnu random", n * 6);
}
