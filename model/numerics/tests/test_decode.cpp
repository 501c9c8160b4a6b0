// Acceptance 1 and 3: every code of every 4-, 6- and 8-bit format, and all
// 65536 codes of fp16 and bf16, decode to the value the bit-field definition
// gives (the tests' own decoder, support/ref_format.cpp); the published facts
// hold; quantize(decode(c)) == c for every non-NaN code.
#include <set>

#include "qmac/numerics/block.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "ref_big.h"
#include "test_util.h"

using namespace qmac_test;
using qmac::decode;
using qmac::parse_format;

namespace {

qmac::Specials lib_specials(RStyle s) {
  switch (s) {
  case RStyle::Ieee:
    return qmac::Specials::Ieee;
  case RStyle::Fn:
    return qmac::Specials::Fn;
  case RStyle::Fnuz:
    return qmac::Specials::Fnuz;
  case RStyle::Fin:
    return qmac::Specials::Fin;
  case RStyle::Fnu:
    return qmac::Specials::Fnu;
  }
  return qmac::Specials::Fin;
}

// The library's format descriptor must carry the parameters the spec gives.
void check_parameters(const RefFormat& r, const qmac::Format& f) {
  INFO(r.name);
  CHECK(f.bits == r.bits);
  CHECK(f.is_signed == r.is_signed);
  switch (r.kind) {
  case RKind::Int:
    CHECK(f.kind == qmac::Kind::Integer);
    CHECK(f.lsb_exp == r.lsb);
    break;
  case RKind::Flint:
    CHECK(f.kind == qmac::Kind::Flint);
    break;
  case RKind::Float:
    CHECK(f.kind == qmac::Kind::Float);
    CHECK(f.exp_bits == r.E);
    CHECK(f.man_bits == r.M);
    CHECK(f.bias == r.bias);
    CHECK(f.specials == lib_specials(r.style));
    break;
  }
}

// Decodes every code with the library and with the reference; checks the value,
// its decimal text, its double, and the lookup table.
void check_all_codes(const std::string& name) {
  RefFormat r = ref_format(name);
  qmac::Format f = parse_format(name);
  check_parameters(r, f);
  qmac::DecodeTable table(f);
  Failures fails;
  const uint64_t n = 1ull << r.bits;
  REQUIRE(table.size() == n);
  for (uint64_t c = 0; c < n; ++c) {
    RefVal want = ref_decode(r, c);
    qmac::Value v = decode(f, c);
    RefVal got = ref_of(v);
    if (!identical(got, want)) fails.add(hex(c) + ": " + show(got) + " vs " + show(want));
    if (!identical(ref_of(table[c]), want)) fails.add(hex(c) + ": DecodeTable differs");
    std::string dec = qmac::to_decimal(v);
    if (dec != show(want)) fails.add(hex(c) + ": to_decimal " + dec + " vs " + show(want));
    double d = v.to_double();
    bool ok = want.cls == RefVal::NaN ? std::isnan(d)
              : want.cls == RefVal::Inf
                  ? std::isinf(d) && (d < 0) == want.neg
                  : (long double)d == want.value() && std::signbit(d) == want.neg;
    if (!ok) fails.add(hex(c) + ": to_double " + std::to_string(d));
    // Only the low `bits` bits of a code are read.
    if (!identical(ref_of(decode(f, c | (n << 3))), want)) fails.add(hex(c) + ": high bits read");
  }
  fails.report("decode " + name, long(n));
}

} // namespace

TEST_CASE("decode: every code of every 4- - 6- and 8-bit format") {
  for (const auto& name : narrow_format_names()) {
    SECTION(name) {
      check_all_codes(name);
    }
  }
}

TEST_CASE("decode: ml_dtypes prefixes and aliases name the same formats") {
  const std::pair<const char*, const char*> same[] = {{"float8_e5m2", "e5m2"},
                                                      {"float8_e4m3fn", "e4m3fn"},
                                                      {"float8_e4m3fnuz", "e4m3fnuz"},
                                                      {"float8_e5m2fnuz", "e5m2fnuz"},
                                                      {"float8_e3m4", "e3m4"},
                                                      {"float8_e4m3b11fnuz", "e4m3b11fnuz"},
                                                      {"float8_e8m0fnu", "e8m0fnu"},
                                                      {"e2m3fn", "float6_e2m3fn"},
                                                      {"e3m2fn", "float6_e3m2fn"},
                                                      {"e2m1fn", "float4_e2m1fn"},
                                                      {"float6_e2m3fn", "float6_e2m3fn"},
                                                      {"float8_e4m3", "e4m3"},
                                                      {"float8_e2m5", "e2m5"},
                                                      {"float16", "fp16"},
                                                      {"bfloat16", "bf16"},
                                                      {"half", "fp16"}};
  for (auto [alias, name] : same) {
    INFO(alias);
    qmac::Format f = parse_format(alias);
    check_parameters(ref_format(name), f);
    CHECK(f == parse_format(name)); // one canonical spelling: formats compare by name
    CHECK(f.name == name);
  }
  CHECK_THROWS_AS(parse_format("e4m3xx"), qmac::InputError);
  CHECK_THROWS_AS(parse_format("int1"), qmac::InputError);
  CHECK_THROWS_AS(parse_format(""), qmac::InputError);
}

TEST_CASE("decode: format properties match the decoded value sets") {
  for (const auto& name : narrow_format_names()) {
    RefFormat r = ref_format(name);
    RefTable t(r);
    qmac::Format f = parse_format(name);
    INFO(name);
    CHECK(f.has_inf() == t.has_inf());
    CHECK(f.has_nan() == t.has_nan());
    CHECK(f.has_negative_zero() == t.has_neg_zero());
    CHECK(f.max_finite_code() == t.max_code(false));
    if (t.has_nan()) CHECK(f.nan_code() == t.nan_code());
    if (t.has_inf()) {
      CHECK(f.inf_code(false) == t.inf_code(false));
      CHECK(f.inf_code(true) == t.inf_code(true));
    }
    std::set<long double> values;
    for (uint64_t c = 0; c < t.size(); ++c)
      if (t[c].cls == RefVal::Finite) values.insert(t[c].value());
    CHECK(f.distinct_values() == values.size());
    // Finest quantum and largest magnitude.
    long double finest = 1e300L, largest = 0;
    for (long double v : values) {
      if (v != 0) finest = std::min(finest, std::fabs(v));
      largest = std::max(largest, std::fabs(v));
    }
    if (r.kind == RKind::Float && r.style != RStyle::Fnu)
      CHECK(qmac::smallest_quantum_exponent(f) == std::ilogb(finest));
    CHECK(ref_of(qmac::largest_magnitude(f)).mag == largest);
    if (r.kind == RKind::Float) {
      // emax = floor(log2(largest finite)); emin = exponent of the smallest normal.
      CHECK(f.emax() == std::ilogb(t.max_finite()));
      CHECK(f.emin() == r.emin());
    }
  }
}

TEST_CASE("decode: all 65536 fp16 codes - against the definition and _Float16") {
  check_all_codes("fp16");
#ifdef __FLT16_MAX__
  qmac::Format f = parse_format("fp16");
  Failures fails;
  for (uint32_t c = 0; c < 65536; ++c) {
    uint16_t bits = uint16_t(c);
    _Float16 h;
    std::memcpy(&h, &bits, sizeof h);
    double want = double(h);
    double got = decode(f, c).to_double();
    bool ok =
        std::isnan(want) ? std::isnan(got) : got == want && std::signbit(got) == std::signbit(want);
    if (!ok)
      fails.add(hex(c) + ": " + std::to_string(got) + " vs _Float16 " + std::to_string(want));
  }
  fails.report("fp16 vs _Float16", 65536);
#else
  WARN("no _Float16 in this compiler: fp16 checked against the definition only");
#endif
}

TEST_CASE("decode: all 65536 bf16 codes - against the definition and float") {
  check_all_codes("bf16");
  qmac::Format f = parse_format("bf16");
  Failures fails;
  for (uint32_t c = 0; c < 65536; ++c) {
    uint32_t bits = c << 16;
    float x;
    std::memcpy(&x, &bits, sizeof x);
    double got = decode(f, c).to_double();
    bool ok =
        std::isnan(x) ? std::isnan(got) : got == double(x) && std::signbit(got) == std::signbit(x);
    if (!ok) fails.add(hex(c) + ": " + std::to_string(got) + " vs float " + std::to_string(x));
  }
  fails.report("bf16 vs float", 65536);
}

TEST_CASE("decode: fp32 codes against float") {
  RefFormat r = ref_format("fp32");
  qmac::Format f = parse_format("fp32");
  check_parameters(r, f);
  std::mt19937_64 rng(32);
  Failures fails;
  const long n = scaled(1000000);
  for (long i = 0; i < n; ++i) {
    uint32_t bits = i < 64 ? uint32_t(i) | (i & 1 ? 0x7f800000u : 0x80000000u) : uint32_t(rng());
    float x;
    std::memcpy(&x, &bits, sizeof x);
    qmac::Value v = decode(f, bits);
    RefVal want = ref_decode(r, bits);
    double got = v.to_double();
    bool ok = identical(ref_of(v), want) &&
              (std::isnan(x) ? std::isnan(got)
                             : got == double(x) && std::signbit(got) == std::signbit(x));
    if (!ok) fails.add(hex(bits) + ": " + show(ref_of(v)) + " vs " + show(want));
  }
  fails.report("fp32", n);
}

TEST_CASE("decode: published facts") {
  auto val = [](const char* name, uint64_t code) {
    return ref_of(decode(parse_format(name), code));
  };
  auto is = [](const RefVal& v, long double x) {
    return v.cls == RefVal::Finite && v.value() == x && (x != 0 || !v.neg);
  };
  auto nan = [](const RefVal& v) { return v.cls == RefVal::NaN; };

  SECTION(
      "OCP E4M3 (e4m3fn): bias 7, max 448, min normal 2^-6, min subnormal 2^-9, NaN 0x7f/0xff") {
    CHECK(is(val("e4m3fn", 0x7e), 448));
    CHECK(is(val("e4m3fn", 0xfe), -448));
    CHECK(is(val("e4m3fn", 0x08), std::ldexp(1.0L, -6)));
    CHECK(is(val("e4m3fn", 0x01), std::ldexp(1.0L, -9)));
    CHECK(is(val("e4m3fn", 0x38), 1));
    CHECK(nan(val("e4m3fn", 0x7f)));
    CHECK(nan(val("e4m3fn", 0xff)));
    CHECK(is(val("e4m3fn", 0x78), 256)); // the all-ones exponent holds normal values
    RefVal nz = val("e4m3fn", 0x80);
    CHECK((nz.is_zero() && nz.neg));
  }
  SECTION("OCP E5M2 (e5m2): max 57344, min normal 2^-14, min subnormal 2^-16, Inf 0x7c, NaN "
          "0x7d..0x7f") {
    CHECK(is(val("e5m2", 0x7b), 57344));
    CHECK(is(val("e5m2", 0x04), std::ldexp(1.0L, -14)));
    CHECK(is(val("e5m2", 0x01), std::ldexp(1.0L, -16)));
    RefVal inf = val("e5m2", 0x7c), ninf = val("e5m2", 0xfc);
    CHECK((inf.cls == RefVal::Inf && !inf.neg));
    CHECK((ninf.cls == RefVal::Inf && ninf.neg));
    for (uint64_t c : {0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff})
      CHECK(nan(val("e5m2", c)));
  }
  SECTION("fnuz: 0x80 is the one NaN, no -0, no Inf") {
    for (const char* name : {"e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz"}) {
      INFO(name);
      qmac::Format f = parse_format(name);
      int nans = 0, zeros = 0;
      for (uint64_t c = 0; c < 256; ++c) {
        RefVal v = ref_of(decode(f, c));
        nans += v.cls == RefVal::NaN;
        zeros += v.is_zero();
        CHECK(v.cls != RefVal::Inf);
      }
      CHECK(nan(val(name, 0x80)));
      CHECK(nans == 1);
      CHECK(zeros == 1);
    }
    CHECK(is(val("e4m3fnuz", 0x7f), 240));   // bias 8
    CHECK(is(val("e5m2fnuz", 0x7f), 57344)); // bias 16
    CHECK(is(val("e4m3b11fnuz", 0x7f), 30)); // bias 11
    CHECK(is(val("e4m3fnuz", 0x01), std::ldexp(1.0L, -10)));
  }
  SECTION("e2m1 (float4_e2m1fn) values {0, 0.5, 1, 1.5, 2, 3, 4, 6}") {
    std::vector<long double> v;
    for (uint64_t c = 0; c < 8; ++c)
      v.push_back(val("float4_e2m1fn", c).value());
    CHECK(v == std::vector<long double>{0, 0.5, 1, 1.5, 2, 3, 4, 6});
    for (uint64_t c = 9; c < 16; ++c)
      CHECK(val("float4_e2m1fn", c).value() == -v[c - 8]);
  }
  SECTION("flint value sets (the ANT paper's tables)") {
    std::vector<long double> u4, f4;
    for (uint64_t c = 0; c < 16; ++c)
      u4.push_back(val("uflint4", c).value());
    CHECK(u4 == std::vector<long double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64});
    for (uint64_t c = 0; c < 8; ++c)
      f4.push_back(val("flint4", c).value());
    CHECK(f4 == std::vector<long double>{0, 1, 2, 3, 4, 6, 8, 16});
    for (uint64_t c = 9; c < 16; ++c)
      CHECK(val("flint4", c).value() == -f4[c - 8]);
    RefVal nz = val("flint4", 8);
    CHECK((nz.is_zero() && nz.neg)); // -0 duplicates 0
    // uflint8 by the step rule (checked against the published runs in test_reference).
    auto u8 = uflint_magnitudes(8);
    for (uint64_t c = 0; c < 256; ++c)
      CHECK(val("uflint8", c).value() == (long double)u8[c]);
    CHECK(val("uflint8", 255).value() == 16384);
    CHECK(val("uflint8", 128).value() == 128);
    CHECK(val("uflint8", 129).value() == 130);
    CHECK(val("flint8", 0x7f).value() == 4096);
    CHECK(val("flint8", 0xff).value() == -4096);
  }
  SECTION("MX element maxima (OCP MX v1.0) via find_block_format") {
    const std::pair<const char*, long double> mx[] = {{"mxfp8_e4m3", 448}, {"mxfp8_e5m2", 57344},
                                                      {"mxfp6_e3m2", 28},  {"mxfp6_e2m3", 7.5},
                                                      {"mxfp4", 6},        {"mxint8", 127.0L / 64}};
    for (auto [name, max] : mx) {
      INFO(name);
      auto b = qmac::find_block_format(name);
      REQUIRE(b.has_value());
      CHECK(b->block_size == 32);
      CHECK(b->power_of_two_scale);
      CHECK(b->scale.name == "e8m0fnu");
      CHECK(ref_of(decode(b->element, b->element.max_finite_code())).value() == max);
      // No element code exceeds it (and FP6/FP4 have no Inf or NaN).
      for (uint64_t c = 0; c < (1ull << b->element.bits); ++c) {
        RefVal v = ref_of(decode(b->element, c));
        if (v.cls == RefVal::Finite) CHECK(v.value() <= max);
        if (std::string(name).find("fp6") != std::string::npos || std::string(name) == "mxfp4")
          CHECK(v.cls == RefVal::Finite);
      }
    }
    // MXINT8: two's complement with an implicit 2^-6.
    auto b = qmac::find_block_format("mxint8");
    CHECK(ref_of(decode(b->element, 0x80)).value() == -2);
    CHECK(ref_of(decode(b->element, 0x01)).value() == 1.0L / 64);
    auto nv = qmac::find_block_format("nvfp4");
    REQUIRE(nv.has_value());
    CHECK(nv->block_size == 16);
    CHECK(nv->element.name == "float4_e2m1fn");
    CHECK(nv->scale.name == "e4m3fn");
    CHECK(!qmac::find_block_format("mxfp9").has_value());
  }
  SECTION("e8m0fnu: 2^-127..2^127, 0xff NaN, no zero, no sign") {
    CHECK(is(val("e8m0fnu", 0x00), std::ldexp(1.0L, -127)));
    CHECK(is(val("e8m0fnu", 0x7f), 1));
    CHECK(is(val("e8m0fnu", 0xfe), std::ldexp(1.0L, 127)));
    CHECK(nan(val("e8m0fnu", 0xff)));
  }
  SECTION("IEEE-like e4m3, e3m4, e2m5 (ml_dtypes): all-ones exponent is Inf/NaN") {
    CHECK(is(val("e4m3", 0x77), 240));
    CHECK(val("e4m3", 0x78).cls == RefVal::Inf);
    CHECK(is(val("e3m4", 0x6f), 15.5));
    CHECK(val("e3m4", 0x70).cls == RefVal::Inf);
    CHECK(is(val("e2m5", 0x5f), 3.9375));
    CHECK(val("e2m5", 0x60).cls == RefVal::Inf);
  }
  SECTION("fin formats (power-of-the-exponent paper): no reserved codes, bias 2^(E-1)") {
    CHECK(is(val("e4m3fin", 0x7f), 240));     // bias 8: 1.875 * 2^7
    CHECK(is(val("e5m2fin", 0x7f), 57344));   // bias 16: 1.75 * 2^15
    CHECK(is(val("e3m4fin", 0x7f), 15.5L));   // bias 4: 1.9375 * 2^3
    CHECK(is(val("e2m5fin", 0x7f), 3.9375L)); // bias 2: 1.96875 * 2^1
    CHECK(is(val("e2m5fin", 0x01), std::ldexp(1.0L, -6)));
  }
  SECTION("fp16 and bf16 landmarks") {
    CHECK(is(val("fp16", 0x7bff), 65504));
    CHECK(is(val("fp16", 0x0001), std::ldexp(1.0L, -24)));
    CHECK(is(val("bf16", 0x3f80), 1));
    CHECK(is(val("bf16", 0x0001), std::ldexp(1.0L, -133)));
  }
}

TEST_CASE("round trip: quantize(decode(c)) == c for every non-NaN code") {
  std::vector<std::string> names = narrow_format_names();
  names.push_back("fp16");
  names.push_back("bf16");
  for (const auto& name : names) {
    qmac::Format f = parse_format(name);
    RefFormat r = ref_format(name);
    Failures fails;
    long checked = 0;
    for (uint64_t c = 0; c < (1ull << r.bits); ++c) {
      RefVal v = ref_decode(r, c);
      if (v.cls == RefVal::NaN) continue;
      double d = v.cls == RefVal::Inf ? (v.neg ? -HUGE_VAL : HUGE_VAL) : double(v.value());
      if (v.is_zero() && v.neg) d = -0.0;
      for (int m = 0; m < 3; ++m) {
        qmac::RoundingOptions o;
        o.mode = qmac::Rounding(m);
        uint64_t got = qmac::quantize(f, d, o);
        uint64_t got_exact = qmac::encode(f, decode(f, c), o);
        ++checked;
        if (got != c)
          fails.add(hex(c) + " " + show(v) + " " + qmac::rounding_name(o.mode) + " -> " + hex(got));
        if (got_exact != c) fails.add(hex(c) + " encode -> " + hex(got_exact));
        // Saturation changes nothing for finite codes.
        o.saturate = true;
        if (v.cls == RefVal::Finite && qmac::quantize(f, d, o) != c)
          fails.add(hex(c) + " saturating -> " + hex(qmac::quantize(f, d, o)));
      }
    }
    fails.report("round trip " + name, checked);
  }
}

TEST_CASE("value: multiply and compare on every pair of codes") {
  for (const char* name : {"e4m3fn", "e5m2", "int4", "flint4", "e2m1", "e4m3fnuz"}) {
    RefFormat r = ref_format(name);
    qmac::Format f = parse_format(name);
    RefTable t(r);
    Failures fails;
    long checked = 0;
    for (uint64_t x = 0; x < t.size(); ++x)
      for (uint64_t y = 0; y < t.size(); ++y) {
        const RefVal &a = t[x], &b = t[y];
        // The exact product by IEEE rules.
        RefVal p;
        p.neg = a.neg != b.neg;
        if (a.cls == RefVal::NaN || b.cls == RefVal::NaN || (a.cls == RefVal::Inf && b.is_zero()) ||
            (b.cls == RefVal::Inf && a.is_zero()))
          p.cls = RefVal::NaN;
        else if (a.cls == RefVal::Inf || b.cls == RefVal::Inf)
          p.cls = RefVal::Inf;
        else
          p.mag = a.mag * b.mag;
        qmac::Value va = decode(f, x), vb = decode(f, y);
        RefVal got = ref_of(qmac::multiply(va, vb));
        ++checked;
        if (!identical(got, p))
          fails.add(hex(x) + " * " + hex(y) + " = " + show(got) + " want " + show(p));
        // compare / same_number / identical against the exact order.
        if (a.cls == RefVal::NaN || b.cls == RefVal::NaN) {
          if (va.same_number(vb)) fails.add(hex(x) + " same_number with NaN");
          if (va.identical(vb) != (a.cls == RefVal::NaN && b.cls == RefVal::NaN))
            fails.add(hex(x) + " identical with NaN");
          continue;
        }
        auto key = [](const RefVal& v) {
          return v.cls == RefVal::Inf ? (v.neg ? -HUGE_VALL : HUGE_VALL) : v.value();
        };
        int want = key(a) < key(b) ? -1 : (key(a) > key(b) ? 1 : 0);
        if (qmac::compare(va, vb) != want)
          fails.add(hex(x) + " <=> " + hex(y) + ": " + std::to_string(qmac::compare(va, vb)));
        if (va.same_number(vb) != (want == 0)) fails.add(hex(x) + " same_number " + hex(y));
        if (va.identical(vb) != (want == 0 && a.neg == b.neg))
          fails.add(hex(x) + " identical " + hex(y));
      }
    fails.report(std::string("multiply/compare ") + name, checked);
  }
}

TEST_CASE("decode: intN, uintN and flintN of every width follow the same rules") {
  Failures fails;
  long checked = 0;
  for (int n = 2; n <= 16; ++n)
    for (int kind = 0; kind < 4; ++kind) {
      RefFormat r;
      r.bits = n;
      r.is_signed = kind % 2 == 0;
      r.kind = kind < 2 ? RKind::Int : RKind::Flint;
      if (r.kind == RKind::Flint && r.is_signed && n < 3) continue;
      r.name = std::string(r.is_signed ? "" : "u") + (r.kind == RKind::Int ? "int" : "flint") +
               std::to_string(n);
      qmac::Format f = parse_format(r.name);
      check_parameters(r, f);
      for (uint64_t c = 0; c < (1ull << n); ++c) {
        RefVal want = ref_decode(r, c), got = ref_of(decode(f, c));
        ++checked;
        if (!identical(got, want))
          fails.add(r.name + " " + hex(c) + ": " + show(got) + " vs " + show(want));
        // And back: every code is its own value's code.
        double d = want.neg ? -double(want.mag) : double(want.mag);
        uint64_t back = qmac::quantize(f, d);
        if (back != c) fails.add(r.name + " " + hex(c) + " quantizes back to " + hex(back));
      }
    }
  fails.report("generic integer and flint widths", checked);
  CHECK_THROWS_AS(parse_format("int17"), qmac::InputError);
  CHECK_THROWS_AS(parse_format("flint2"), qmac::InputError);
}
