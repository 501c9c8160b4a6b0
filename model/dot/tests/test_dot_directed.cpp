// Directed cases (each with its expected result worked out by hand, and
// checked against the reference too), the two consistency properties, integer
// units, chained and promoted dot products, and the unit parser.
#include <catch2/catch.hpp>

#include "dot_test_util.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/accumulator.h"
#include "test_util.h"

using namespace qmac_test;
using qmac::dot::DotEngine;
using qmac::dot::DotUnit;

namespace {

// A unit on formats by name, with the reference beside it.
struct Rig {
  qmac::Format fa, fb;
  qmac::AccumulatorSpec spec;
  DotUnit unit;
  DotEngine engine;
  RefFormat ra, rb, ro;

  Rig(const char* u, const char* a, const char* b, const char* out)
      : fa(qmac::parse_format(a)), fb(qmac::parse_format(b)),
        spec(qmac::parse_accumulator(out, fa, fb)), unit(qmac::dot::resolve_unit(u, fa, fb, spec)),
        engine(fa, fb, spec, unit), ra(ref_format(a)), rb(ref_format(b)), ro(ref_format(out)) {}

  uint64_t a_code(double x) { return qmac::quantize(fa, x); }
  uint64_t b_code(double x) { return qmac::quantize(fb, x); }
  uint64_t out_code(double x) { return qmac::quantize(spec.format, x); }
  double value(uint64_t code) { return qmac::decode(spec.format, code).to_double(); }

  // The block's result; it must also be the reference's.
  uint64_t block(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t c = 0) {
    const uint64_t got = engine.block(c, a.data(), b.data(), a.size());
    INFO("a " << codes_text(a) << ", b " << codes_text(b) << ", c " << hex(c));
    CHECK(got == ref_block(ref_unit(unit), ra, rb, ro, a, b, c));
    return got;
  }
  double block_value(const std::vector<double>& a, const std::vector<double>& b, double c = 0) {
    std::vector<uint64_t> ca, cb;
    for (double x : a)
      ca.push_back(a_code(x));
    for (double x : b)
      cb.push_back(b_code(x));
    return value(block(ca, cb, out_code(c)));
  }
};

std::vector<double> repeat(double x, size_t n) {
  return std::vector<double>(n, x);
}

} // namespace

TEST_CASE("the worked example: truncation and the 14-bit result change an h100 FP8 block") {
  // 448 x 448 = 200704 aligns by exponent 8 + 8 = 16: the grid's last bit
  // weighs 2^(16 - 14 + 1) = 8. 15 x 1 = 15 keeps 8 of itself on that grid; the
  // sum 200712 has 15 significant bits and the result keeps 14 (RZ): 200704.
  // Thirty ones vanish below the grid.
  std::vector<double> a = {448, 15}, b = {448, 1};
  for (int i = 0; i < 30; ++i) {
    a.push_back(1);
    b.push_back(1);
  }
  Rig h100("h100", "e4m3fn", "e4m3fn", "fp32");
  CHECK(h100.block_value(a, b) == 200704);
  Rig wide("h100,narrow=no", "e4m3fn", "e4m3fn", "fp32");
  CHECK(wide.block_value(a, b) == 200712);
  Rig exact("exact", "e4m3fn", "e4m3fn", "fp32");
  CHECK(exact.block_value(a, b) == 200704 + 15 + 30);
  Rig b200("b200", "e4m3fn", "e4m3fn", "fp32"); // 26 bits: the grid bit weighs 2^-9
  CHECK(b200.block_value(a, b) == 200704 + 15 + 30);
}

TEST_CASE("directed: massive cancellation, zeros and signed zeros") {
  Rig h100("h100", "e4m3fn", "e4m3fn", "fp32");
  // 448^2 - 448^2 + 2^-9 x 2^-9: the tiny product is far below the grid.
  CHECK(h100.block_value({448, -448, 0.001953125}, {448, 448, 0.001953125}) == 0);
  Rig exact("exact", "e4m3fn", "e4m3fn", "fp32");
  CHECK(exact.block_value({448, -448, 0.001953125}, {448, 448, 0.001953125}) ==
        std::ldexp(1.0, -18));
  // An exact zero sum is +0 unless every term is -0.
  const uint64_t neg_zero = 0x80000000;
  const uint64_t z = h100.a_code(0), nz = h100.a_code(-0.0), one = h100.a_code(1);
  CHECK(h100.block({z, z}, {z, z}) == 0);
  CHECK(h100.block({nz, z}, {z, z}) == 0);                          // -0 + +0
  CHECK(h100.block({nz, nz}, {z, z}, neg_zero) == neg_zero);        // -0 + -0 + c = -0
  CHECK(h100.block({nz, nz}, {z, z}, 0) == 0);                      // c = +0
  CHECK(h100.block({one, nz}, {one, one}, h100.out_code(-1)) == 0); // 1 - 1 = +0
  Rig b200("b200", "e4m3fn", "e4m3fn", "fp32");
  CHECK(b200.block({nz}, {one}, neg_zero) == neg_zero); // late c: -0 + -0
}

TEST_CASE("directed: exponent spread, the truncation boundary, sticky bits") {
  Rig h100("h100", "e4m3fn", "e4m3fn", "fp32");
  // Largest spread: 448^2 and the smallest subnormal product 2^-18.
  CHECK(h100.block_value({448, 0.001953125}, {448, 0.001953125}) == 200704);
  // A term exactly on the grid's last bit (8) survives, one just below (7) does not.
  CHECK(h100.block_value({448, 8}, {448, 1}) == 200704 + 8 - 8); // 200712 narrows to 200704
  Rig wide("h100,narrow=no", "e4m3fn", "e4m3fn", "fp32");
  CHECK(wide.block_value({448, 8}, {448, 1}) == 200712);
  CHECK(wide.block_value({448, 7}, {448, 1}) == 200704);
  // Negative terms truncate toward zero: -7 -> 0, -15 -> -8.
  CHECK(wide.block_value({448, -7}, {448, 1}) == 200704);
  CHECK(wide.block_value({448, -15}, {448, 1}) == 200696);
  // A sticky bit is the OR of the lost bits, one place below the grid.
  Rig sticky("n=32,bits=14,round=rne,sticky=yes,narrow=no", "e4m3fn", "e4m3fn", "fp32");
  CHECK(sticky.block_value({448, 7}, {448, 1}) == 200708); // 7 -> 4: the sticky half-bit
}

TEST_CASE("directed: RNE ties, subnormal inputs and outputs, overflow, NaN and Inf") {
  // fp16 output, exact unit: 2048 + 1 is a tie between 2048 and 2050.
  Rig fd("arm-fdot4", "e5m2", "e5m2", "fp16");
  CHECK(fd.block_value({2048, 1}, {1, 1}) == 2048);
  CHECK(fd.block_value({2048, 1, 2}, {1, 1, 1}) == 2052); // 2051: tie to 2052
  CHECK(fd.block_value({2048, 1, 0.25}, {1, 1, 1}) == 2050);
  // Subnormal inputs: e5m2's smallest subnormal 2^-16, product 2^-32 in fp32.
  Rig ex("exact", "e5m2", "e5m2", "fp32");
  CHECK(ex.block_value({std::ldexp(1.0, -16)}, {std::ldexp(1.0, -16)}) == std::ldexp(1.0, -32));
  Rig ftz("exact,ftz-in=yes", "e5m2", "e5m2", "fp32");
  CHECK(ftz.block_value({std::ldexp(1.0, -16)}, {std::ldexp(1.0, -14)}) == 0);
  // Subnormal output in fp16 (2^-24 = its smallest): kept, or flushed.
  Rig sub("arm-fdot4", "e5m2", "e5m2", "fp16");
  CHECK(sub.block_value({std::ldexp(1.0, -12)}, {std::ldexp(1.0, -12)}) == std::ldexp(1.0, -24));
  Rig sub_ftz("arm-fdot4,ftz-out=yes", "e5m2", "e5m2", "fp16");
  CHECK(sub_ftz.block_value({std::ldexp(1.0, -12)}, {std::ldexp(1.0, -12)}) == 0);
  // Overflow: 4 x 57344^2 is beyond fp16: RNE gives Inf, RZ the largest finite.
  CHECK(std::isinf(sub.block_value(repeat(57344, 4), repeat(57344, 4))));
  Rig rz("arm-fdot4,round=rz", "e5m2", "e5m2", "fp16");
  CHECK(rz.block_value(repeat(57344, 4), repeat(57344, 4)) == 65504);
  // A narrowing unit into a format without Inf: an RNE overflow of the
  // narrowed sum is the output's NaN (4 x 448^2 into e4m3fn with 3 bits kept).
  Rig fn("n=4,bits=3,round=rne", "e4m3fn", "e4m3fn", "e4m3fn");
  CHECK(fn.block({0x7e, 0x7e, 0x7e, 0x7e}, {0x7e, 0x7e, 0x7e, 0x7e}) == 0x7f);
  Rig fnuz("n=4,bits=3,round=rne", "e4m3fnuz", "e4m3fnuz", "e4m3fnuz");
  CHECK(fnuz.block({0x7f, 0x7f, 0x7f, 0x7f}, {0x7f, 0x7f, 0x7f, 0x7f}) == 0x80);
  // NaN inputs, Inf - Inf and 0 x Inf give NaN; Inf alone gives Inf.
  const uint64_t inf = 0x7c, ninf = 0xfc, nan = 0x7e, one = 0x3c, zero = 0;
  CHECK(std::isnan(fd.value(fd.block({nan, one}, {one, one}))));
  CHECK(std::isnan(fd.value(fd.block({inf, ninf}, {one, one}))));
  CHECK(std::isnan(fd.value(fd.block({inf}, {zero}))));
  CHECK(fd.value(fd.block({inf, one}, {one, one})) == INFINITY);
  CHECK(fd.value(fd.block({inf}, {one}, fd.out_code(-1))) == INFINITY);
  // c = Inf joins as a term: Inf + (-Inf) product is NaN.
  CHECK(std::isnan(fd.value(fd.block({ninf}, {one}, fd.out_code(INFINITY)))));
}

TEST_CASE("directed: an exact unit's tie broken by a term 2^-54 below c (no sum in double)") {
  // c = 2^36 has fp32 ulp 2^13; 64 x 64 = 2^12 puts the sum on the tie and
  // 2^-9 x 2^-9 = 2^-18 lifts it above, so RNE rounds up to 2^36 + 2^13.
  // The exact sum needs 55 bits: summed in double it would land on the tie
  // and round to even, 2^36.
  const double want = std::ldexp(1.0, 36) + std::ldexp(1.0, 13);
  for (const char* unit : {"arm-fdot4", "arm-fdot2", "exact"}) {
    INFO(unit);
    Rig r(unit, "e4m3fn", "e4m3fn", "fp32");
    const double tiny = std::ldexp(1.0, -9);
    CHECK(r.block_value({64, tiny}, {64, tiny}, std::ldexp(1.0, 36)) == want);
    // The same through DotEngine::dot (its own path for exact units), as the
    // second block of a dot product whose first block leaves 2^36.
    const std::vector<uint64_t> a = {r.a_code(256), r.a_code(256), r.a_code(64), r.a_code(tiny)},
                                b = {r.b_code(256), r.b_code(256), r.b_code(64), r.b_code(tiny)};
    const size_t n = r.unit.whole() ? 4 : size_t(r.unit.n);
    qmac::Accumulator acc(r.spec);
    acc.load(r.out_code(std::ldexp(1.0, 36) - (n == 2 ? 131072 : 0)));
    r.engine.dot(acc, a.data() + (n == 2 ? 0 : 2), b.data() + (n == 2 ? 0 : 2), n == 2 ? 4 : 2);
    CHECK(r.value(acc.code()) == want);
    CHECK(acc.code() == ref_dot(ref_unit(r.unit), r.ra, r.rb, r.ro,
                                std::vector<uint64_t>(a.begin() + (n == 2 ? 0 : 2), a.end()),
                                std::vector<uint64_t>(b.begin() + (n == 2 ? 0 : 2), b.end()),
                                r.out_code(std::ldexp(1.0, 36) - (n == 2 ? 131072 : 0))));
  }
}

TEST_CASE("consistency: one product per block with a wide window is the per-MAC accumulator") {
  // Exact width, and a window of p + 3 bits with a sticky bit (a correctly
  // rounded adder), both RNE: each block is round(c + a*b), the per-MAC step.
  for (const char* keys : {"n=1,bits=exact,round=rne", "n=1,bits=27,sticky=yes,round=rne"}) {
    for (const char* in : {"e4m3fn", "e5m2", "flint8", "int8"}) {
      const qmac::Format f = qmac::parse_format(in);
      const qmac::AccumulatorSpec spec = qmac::parse_accumulator("fp32", f, f);
      DotEngine engine(f, f, spec, qmac::dot::resolve_unit(keys, f, f, spec));
      qmac::Accumulator mac(spec), dot(spec);
      const CodeSource src(f);
      std::mt19937_64 rng(7);
      Failures failures;
      const long steps = scaled(200000);
      for (long i = 0; i < steps; ++i) {
        if (i % 64 == 0) {
          mac.clear();
          dot.clear();
        }
        const Dist d = Dist(i / 64 % 4);
        const uint64_t a = src(rng, d, 4), b = src(rng, d, 4);
        mac.add(qmac::multiply(qmac::decode(f, a), qmac::decode(f, b)));
        engine.block(dot, &a, &b, 1);
        if (mac.code() != dot.code())
          failures.add(hex(a) + " x " + hex(b) + ": mac " + hex(mac.code()) + ", dot " +
                       hex(dot.code()));
      }
      failures.report(std::string(keys) + " " + in, steps);
    }
  }
}

TEST_CASE("consistency: an exact unit is the exact sum rounded once") {
  // A whole dot product of 300 products in one exact block: the correctly
  // rounded sum (MPFR through the reference's exact path of n = all).
  Rig ex("exact", "e4m3fn", "e5m2", "fp32");
  const CodeSource sa(ex.fa), sb(ex.fb);
  std::mt19937_64 rng(3);
  for (int t = 0; t < 200; ++t) {
    std::vector<uint64_t> a(300), b(300);
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = sa(rng, Dist(t % 4), 8);
      b[i] = sb(rng, Dist(t % 4), 8);
    }
    qmac::Accumulator acc(ex.spec);
    ex.engine.dot(acc, a.data(), b.data(), a.size());
    RefUnit one_block = ref_unit(ex.unit);
    CHECK(acc.code() == ref_block(one_block, ex.ra, ex.rb, ex.ro, a, b, 0));
  }
}

TEST_CASE("chained blocks and promotion every P elements match the reference") {
  for (const char* unit : {"h100", "b200", "ada", "arm-fdot4"}) {
    Rig r(unit, "e4m3fn", "e4m3fn", "fp32");
    const CodeSource src(r.fa);
    std::mt19937_64 rng(11);
    for (int t = 0; t < 40; ++t) {
      const size_t k = 1 + rng() % 700;
      std::vector<uint64_t> a(k), b(k);
      for (size_t i = 0; i < k; ++i) {
        a[i] = src(rng, Dist(t % 4), 2);
        b[i] = src(rng, Dist(t % 4), 2);
      }
      const uint64_t c = r.out_code(double(int(rng() % 200)) - 100);
      INFO(unit << " k = " << k);
      qmac::Accumulator acc(r.spec);
      acc.load(c);
      r.engine.dot(acc, a.data(), b.data(), k);
      CHECK(acc.code() == ref_dot(ref_unit(r.unit), r.ra, r.rb, r.ro, a, b, c));
      for (int p : {128, 256}) {
        if (p % r.unit.n) continue;
        qmac::Accumulator pacc(r.spec);
        pacc.load(c);
        qmac::dot::PromotedDot(r.engine, p).dot(pacc, a.data(), b.data(), k);
        CHECK(pacc.code() == ref_promoted_dot(ref_unit(r.unit), p, r.ra, r.rb, r.ro, a, b, c));
      }
    }
  }
}

TEST_CASE("integer units: an exact adder tree into intN (wrapping, saturating) and fx+G") {
  struct Case {
    const char* in;
    const char* acc;
    bool saturate;
    int n;
  };
  for (const Case& cs : {Case{"int8", "int32", false, 32}, Case{"int8", "int16", false, 32},
                         Case{"int8", "int16", true, 32}, Case{"int4", "int8", true, 4},
                         Case{"e4m3fn", "int32", true, 8}, Case{"flint8", "int24", false, 16}}) {
    const qmac::Format f = qmac::parse_format(cs.in);
    const qmac::AccumulatorSpec spec = qmac::parse_accumulator(cs.acc, f, f, cs.saturate);
    DotEngine engine(f, f, spec, qmac::dot::resolve_unit("n=" + std::to_string(cs.n), f, f, spec));
    const RefFormat rf = ref_format(cs.in);
    const CodeSource src(f);
    std::mt19937_64 rng(5);
    Failures failures;
    const long blocks = scaled(20000);
    for (long i = 0; i < blocks; ++i) {
      qmac::Accumulator acc(spec);
      int64_t want = 0;
      for (int blk = 0; blk < 4; ++blk) {
        std::vector<uint64_t> a(size_t(cs.n)), b(size_t(cs.n));
        for (int k = 0; k < cs.n; ++k) {
          a[size_t(k)] = src(rng, Dist(i % 4), 8);
          b[size_t(k)] = src(rng, Dist(i % 4), 8);
        }
        engine.block(acc, a.data(), b.data(), a.size());
        want = ref_integer_block(rf, rf, spec.int_bits, cs.saturate, spec.lsb_exp, want, a, b);
      }
      const int64_t got = int64_t(acc.code() << (64 - spec.int_bits)) >> (64 - spec.int_bits);
      if (got != want)
        failures.add("got " + std::to_string(got) + ", want " + std::to_string(want));
    }
    failures.report(std::string(cs.in) + " -> " + cs.acc + (cs.saturate ? ":sat" : ""), blocks);
  }
  // fx+12 takes the block sum exactly: the per-MAC result.
  const qmac::Format f = qmac::parse_format("e4m3fn");
  const qmac::AccumulatorSpec fx = qmac::parse_accumulator("fx+12", f, f);
  DotEngine engine(f, f, fx, qmac::dot::resolve_unit("n=32", f, f, fx));
  qmac::Accumulator dot(fx), mac(fx);
  std::mt19937_64 rng(9);
  const CodeSource src(f);
  std::vector<uint64_t> a(32), b(32);
  for (int blk = 0; blk < 500; ++blk) {
    for (int k = 0; k < 32; ++k) {
      a[size_t(k)] = src(rng, Dist(blk % 4), 8);
      b[size_t(k)] = src(rng, Dist(blk % 4), 8);
      mac.add(qmac::multiply(qmac::decode(f, a[size_t(k)]), qmac::decode(f, b[size_t(k)])));
    }
    engine.block(dot, a.data(), b.data(), 32);
  }
  CHECK(dot.code_hex() == mac.code_hex());
}

TEST_CASE("units: keys, presets by format, and every refusal names its input") {
  const qmac::Format e4 = qmac::parse_format("e4m3fn"), e4i = qmac::parse_format("e4m3"),
                     i8 = qmac::parse_format("int8");
  const auto fp32 = qmac::parse_accumulator("fp32", e4, e4);
  const auto fp16 = qmac::parse_accumulator("fp16", e4, e4);
  const auto i32 = qmac::parse_accumulator("int32", i8, i8);
  DotUnit h = qmac::dot::resolve_unit("h100", e4, e4, fp32);
  CHECK(h.n == 32);
  CHECK(h.bits == 14);
  CHECK(h.round == qmac::Rounding::TowardZero);
  CHECK(h.min_exp == -133);
  CHECK(qmac::dot::resolve_unit("h100,sticky=yes,bits=16", e4, e4, fp32).bits == 16);
  CHECK(qmac::dot::resolve_unit("b200", e4, e4, fp32).late_c == qmac::Rounding::NearestEven);
  CHECK(qmac::dot::resolve_unit("arm-fdot4", e4, e4, fp16).n == 4);
  // describe() and apply_keys() round-trip.
  for (const auto& p : qmac::dot::presets())
    for (const auto& m : p.modes) {
      DotUnit u;
      qmac::dot::apply_keys(u, m.keys);
      DotUnit back;
      qmac::dot::apply_keys(back, qmac::dot::describe(u));
      CHECK(back == u);
    }
  auto refused = [&](const char* text, const qmac::Format& a, const qmac::AccumulatorSpec& out,
                     const char* says) {
    INFO(text);
    try {
      DotUnit u = qmac::dot::resolve_unit(text, a, a, out);
      DotEngine check(a, a, out, u);
      FAIL("accepted");
    } catch (const qmac::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(says));
    }
  };
  refused("h200", e4, fp32, "unknown dot unit 'h200'");
  refused("h100", e4i, qmac::parse_accumulator("fp32", e4i, e4i), "does not take e4m3 x e4m3");
  refused("h100", e4, fp16, "does not take e4m3fn x e4m3fn -> fp16");
  refused("n=0", e4, fp32, "n=0");
  refused("n=32,bits=49", e4, fp32, "bits=49");
  refused("n=32,bits=wide", e4, fp32, "bits=wide");
  refused("n=32,round=up", e4, fp32, "round=up");
  refused("n=32,sticky=maybe", e4, fp32, "sticky=maybe");
  refused("n=32,colour=red", e4, fp32, "unknown unit key 'colour'");
  refused("n=32,,bits=3", e4, fp32, "unit item '' is not key=value");
  refused("n=32,bits=14", i8, i32, "bits does not apply to an integer unit");
  refused("n=32,round=rz", i8, i32, "round does not apply");
}
