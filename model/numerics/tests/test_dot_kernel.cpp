// The DotKernel's native paths against stepping an Accumulator product by
// product (itself checked against MPFR and Boost.Multiprecision elsewhere):
// every register bit, the overflow flag and the special-value flag must agree,
// on random codes of every value class (and on finite codes only, which the
// native paths keep).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "qmac/numerics/dot_kernel.h"

using namespace qmac;

namespace {

void check_pair(const std::string& fa, const std::string& fb, const std::string& acc_name,
                DotKernel::Path expected_path, int dots, bool saturate = false,
                size_t max_len = 300) {
  Format a = parse_format(fa), b = parse_format(fb);
  AccumulatorSpec spec = parse_accumulator(acc_name, a, b, saturate);
  DotKernel kernel(a, b, spec);
  INFO(fa << " x " << fb << " -> " << acc_name << (saturate ? " saturating" : ""));
  CHECK(kernel.path() == expected_path);
  Multiplier mul(a, b);
  Accumulator fast(spec), slow(spec);
  std::mt19937_64 rng(42);
  // Finite codes by magnitude, for dots without NaN/Inf (the native paths
  // hand those to the Accumulator).
  auto finite_codes = [](const Format& f) {
    std::vector<std::pair<double, uint32_t>> v;
    for (uint64_t c = 0; c <= f.code_mask(); ++c) {
      Value x = decode(f, c);
      if (x.is_finite()) v.push_back({std::fabs(x.to_double()), uint32_t(c)});
    }
    std::sort(v.begin(), v.end());
    std::vector<uint32_t> out;
    for (const auto& e : v)
      out.push_back(e.second);
    return out;
  };
  const std::vector<uint32_t> finite_a = finite_codes(a), finite_b = finite_codes(b);
  auto draw_finite = [&](const std::vector<uint32_t>& codes, bool upper) {
    size_t from = upper ? codes.size() * 3 / 4 : 0;
    return codes[from + rng() % (codes.size() - from)];
  };
  for (int d = 0; d < dots; ++d) {
    size_t n = 1 + rng() % max_len;
    std::vector<uint32_t> ca(n), cb(n);
    // Half the dots draw from the upper codes only: large values, overflow, wrap.
    // Every other pair of dots takes finite codes only.
    const bool upper = d % 2, finite = d % 4 >= 2;
    uint64_t floor_a = upper ? a.code_mask() >> 2 : 0, floor_b = upper ? b.code_mask() >> 2 : 0;
    for (size_t i = 0; i < n; ++i) {
      ca[i] = finite ? draw_finite(finite_a, upper) : uint32_t((rng() & a.code_mask()) | floor_a);
      cb[i] = finite ? draw_finite(finite_b, upper) : uint32_t((rng() & b.code_mask()) | floor_b);
    }
    kernel.dot(ca.data(), cb.data(), n, fast);
    slow.clear();
    for (size_t i = 0; i < n; ++i)
      slow.add(mul(ca[i], cb[i]));
    REQUIRE(fast.code_hex() == slow.code_hex());
    REQUIRE(fast.value_decimal() == slow.value_decimal());
    REQUIRE(fast.code() == slow.code());
    REQUIRE(fast.overflowed() == slow.overflowed());
    REQUIRE(fast.special().identical(slow.special()));
    if (spec.kind == AccKind::Fixed)
      REQUIRE(fast.fixed().overflowed() == slow.fixed().overflowed());
  }
}

} // namespace

TEST_CASE("native integer path equals the stepped accumulator (wrap and saturate)") {
  for (const char* f : {"int8", "uint8", "int4", "uflint4", "flint8", "int16"})
    for (const char* acc : {"int32", "int16", "int8"})
      check_pair(f, f, acc, DotKernel::Path::NativeInteger, 2000);
  Format i8 = parse_format("int8");
  DotKernel sat(i8, i8, parse_accumulator("int16", i8, i8, true));
  Accumulator fast(parse_accumulator("int16", i8, i8, true));
  std::vector<uint32_t> big(100, 0x80); // (-128)^2 = 16384, a hundred times
  sat.dot(big.data(), big.data(), big.size(), fast);
  CHECK(fast.value_decimal() == "32767");
  CHECK(fast.overflowed());
  for (const char* f : {"int8", "uint8", "flint8"})
    for (const char* acc : {"int16", "int24", "int32", "int64"})
      check_pair(f, f, acc, DotKernel::Path::NativeInteger, 1000, true);
  // Long dots: the unchecked runs end where the register could leave its range.
  for (bool sat : {false, true})
    for (const char* acc : {"int20", "int24", "int27", "int32"})
      check_pair("int8", "int8", acc, DotKernel::Path::NativeInteger, 200, sat, 20000);
}

TEST_CASE("native integer path: float and mixed products count units of the smallest quantum") {
  // Every product count below 2^62: native.
  for (const char* f :
       {"e4m3fn", "e4m3fnuz", "e4m3", "e3m4", "e2m5", "float4_e2m1fn", "e2m1", "float6_e3m2fn"})
    for (const char* acc : {"int64", "int32", "int16", "int8"})
      for (bool sat : {false, true})
        check_pair(f, f, acc, DotKernel::Path::NativeInteger, 600, sat);
  for (bool sat : {false, true}) {
    check_pair("e4m3fn", "int8", "int32", DotKernel::Path::NativeInteger, 1000, sat);
    check_pair("int8", "e4m3fnuz", "int16", DotKernel::Path::NativeInteger, 1000, sat);
    check_pair("float4_e2m1fn", "e4m3fn", "int24", DotKernel::Path::NativeInteger, 1000, sat);
    check_pair("e4m3fn", "e4m3fn", "int48", DotKernel::Path::NativeInteger, 300, sat, 20000);
    check_pair("e4m3fn", "e4m3fn", "int64", DotKernel::Path::NativeInteger, 300, sat, 20000);
  }
  // Counts that could pass 2^62 (e5m2: up to 2^63.6 per product) or far beyond
  // (bf16, e8m0fnu): the Accumulator steps them.
  for (bool sat : {false, true}) {
    for (const char* f : {"e5m2", "e5m2fnuz", "fp16", "e8m0fnu"})
      check_pair(f, f, "int64", DotKernel::Path::Generic, 200, sat);
    check_pair("e5m2", "e4m3fn", "int32", DotKernel::Path::NativeInteger, 600, sat);
    check_pair("e5m2", "int8", "int32", DotKernel::Path::NativeInteger, 600, sat);
    check_pair("bf16", "int8", "int16", DotKernel::Path::Generic, 100, sat);
  }
}

TEST_CASE("native fixed-point path equals the stepped accumulator, overflow flag included") {
  for (const char* f : {"int8", "e4m3fn", "e4m3fnuz", "e5m2", "e2m5", "float4_e2m1fn", "flint4"})
    for (const char* acc : {"fx+12", "fx+0", "fx+2"})
      check_pair(f, f, acc, DotKernel::Path::NativeFixed, 2000);
  check_pair("int8", "int4", "fx+12", DotKernel::Path::NativeFixed, 1000);
}

TEST_CASE("native fp32 path equals the stepped accumulator (NaN, Inf, subnormals)") {
  for (const char* f : {"e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz", "e3m4", "int8", "flint8",
                        "float4_e2m1fn", "e2m5"})
    check_pair(f, f, "fp32", DotKernel::Path::NativeFp32, 3000);
  check_pair("e4m3fn", "e5m2", "fp32", DotKernel::Path::NativeFp32, 2000);
}

TEST_CASE("generic path is taken where native arithmetic would not be exact") {
  for (const char* f : {"e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz", "e3m4", "e2m5", "int8", "uint8",
                        "flint8", "uflint4", "float4_e2m1fn"})
    for (const char* acc : {"fp16", "bf16", "e5m10fn", "e4m3fnuz"})
      check_pair(f, f, acc, DotKernel::Path::Generic, 400);
  check_pair("bf16", "bf16", "fp32", DotKernel::Path::Generic, 200);    // products below 2^-149
  check_pair("fp16", "fp16", "fp32", DotKernel::Path::NativeFp32, 200); // exact in binary32
  check_pair("e5m2", "e5m2", "bf16", DotKernel::Path::Generic, 500);
  Format e4 = parse_format("e4m3fn");
  DotKernel ftz(e4, e4, parse_accumulator("fp32", e4, e4, false, true));
  CHECK(ftz.path() == DotKernel::Path::Generic);
}

// DotKernel::step, the cycle simulator's PE, against Accumulator::add from
// the same state: random walks through every path, from the states the walk
// reaches and from arbitrary register contents and flags.
namespace {

void check_steps(const std::string& fa, const std::string& fb, const std::string& acc_name,
                 DotKernel::Path expected_path, int steps, bool saturate = false) {
  Format a = parse_format(fa), b = parse_format(fb);
  AccumulatorSpec spec = parse_accumulator(acc_name, a, b, saturate);
  DotKernel kernel(a, b, spec);
  INFO(fa << " x " << fb << " -> " << acc_name << (saturate ? " saturating" : ""));
  CHECK(kernel.path() == expected_path);
  Multiplier mul(a, b);
  Accumulator ref(spec);
  std::mt19937_64 rng(2026);
  const int bits = spec.register_bits();
  auto random_state = [&] {
    AccState s;
    s.reg[0] = rng();
    s.reg[1] = bits > 64 ? rng() : 0;
    if (bits < 64) s.reg[0] &= (1ull << bits) - 1;
    if (bits > 64 && bits < 128) s.reg[1] &= (1ull << (bits - 64)) - 1;
    if (spec.kind != AccKind::Float) {
      static const uint8_t kFlags[] = {0,
                                       kOverflow,
                                       kSpecialNan,
                                       kSpecialInf,
                                       kSpecialInf | kSpecialNeg,
                                       kOverflow | kSpecialInf};
      s.flags = kFlags[rng() % 6];
    }
    return s;
  };
  AccState s = state_of(ref);
  long mismatches = 0;
  for (int i = 0; i < steps; ++i) {
    if (i % 97 == 0) s = random_state(); // any state, not only reachable ones
    if (i % 1013 == 0) s = AccState{};   // back to +0: long walks from a clear register
    // Uniform codes, or the upper quarter of the codes (large values, overflow).
    const bool upper = (i / 256) % 2;
    const uint32_t ca = uint32_t((rng() & a.code_mask()) | (upper ? a.code_mask() >> 2 : 0));
    const uint32_t cb = uint32_t((rng() & b.code_mask()) | (upper ? b.code_mask() >> 2 : 0));
    ref.load_state(s);
    ref.add(mul(ca, cb));
    const AccState want = state_of(ref), got = kernel.step(s, ca, cb);
    if (want != got && ++mismatches <= 5)
      FAIL_CHECK("step " << i << " a=" << ca << " b=" << cb << " from " << std::hex << s.reg[1]
                         << ":" << s.reg[0] << "/" << int(s.flags) << ": want " << want.reg[1]
                         << ":" << want.reg[0] << "/" << int(want.flags) << " got " << got.reg[1]
                         << ":" << got.reg[0] << "/" << int(got.flags));
    s = want;
  }
  CHECK(mismatches == 0);
}

} // namespace

TEST_CASE("step equals Accumulator::add on every path") {
  const int n = 60000;
  for (bool sat : {false, true}) {
    check_steps("int8", "int8", "int32", DotKernel::Path::NativeInteger, n, sat);
    check_steps("int8", "int8", "int16", DotKernel::Path::NativeInteger, n, sat);
    check_steps("e4m3fn", "e4m3fn", "int16", DotKernel::Path::NativeInteger, n,
                sat); // NaN operands
    check_steps("e5m2", "e5m2", "int64", DotKernel::Path::Generic, n / 4, sat);
    check_steps("int8", "int8", "int64", DotKernel::Path::NativeInteger, n, sat);
  }
  check_steps("flint8", "flint8", "int32", DotKernel::Path::NativeInteger, n);
  for (const char* f : {"int8", "e4m3fn", "e5m2", "e4m3", "flint8", "float4_e2m1fn"})
    check_steps(f, f, "fx+12", DotKernel::Path::NativeFixed, n);
  check_steps("int8", "int8", "fx+0", DotKernel::Path::NativeFixed, n);
  check_steps("e5m2", "e5m2", "fx+60", DotKernel::Path::Generic, n / 4); // 125 bits
  for (const char* f : {"int8", "e4m3fn", "e5m2", "e4m3fnuz", "e3m4"})
    check_steps(f, f, "fp32", DotKernel::Path::NativeFp32, n);
  for (const char* f : {"e4m3fn", "e5m2", "int8", "e4m3fnuz", "float4_e2m1fn"})
    for (const char* acc : {"fp16", "bf16"})
      check_steps(f, f, acc, DotKernel::Path::Generic, n);
  check_steps("e4m3fn", "e5m2", "fp16", DotKernel::Path::Generic, n);
  check_steps("bf16", "bf16", "fp32", DotKernel::Path::Generic, n / 4);
}

TEST_CASE("step: every pair of 8-bit codes from a few states") {
  for (const char* acc : {"int32", "fp16", "fp32", "fx+12"}) {
    Format f = parse_format(acc[0] == 'i' ? "int8" : "e4m3fn");
    AccumulatorSpec spec = parse_accumulator(acc, f, f);
    DotKernel kernel(f, f, spec);
    Multiplier mul(f, f);
    Accumulator ref(spec);
    std::vector<AccState> starts(1);
    ref.add(mul(0x5a, 0x33));
    starts.push_back(state_of(ref));
    ref.add(mul(0xd1, 0x47));
    starts.push_back(state_of(ref));
    long mismatches = 0;
    for (const AccState& s : starts)
      for (uint32_t x = 0; x < 256; ++x)
        for (uint32_t y = 0; y < 256; ++y) {
          ref.load_state(s);
          ref.add(mul(x, y));
          mismatches += state_of(ref) != kernel.step(s, x, y);
        }
    INFO(acc);
    CHECK(mismatches == 0);
  }
}
