// The DotKernel's native paths against stepping an Accumulator product by
// product (itself checked against MPFR and Boost.Multiprecision elsewhere):
// every register bit must agree, on random codes of every value class.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <random>

#include "qmac/numerics/dot_kernel.h"

using namespace qmac;

namespace {

void check_pair(const std::string& fa, const std::string& fb, const std::string& acc_name,
                DotKernel::Path expected_path, int dots) {
  Format a = parse_format(fa), b = parse_format(fb);
  AccumulatorSpec spec = parse_accumulator(acc_name, a, b);
  DotKernel kernel(a, b, spec);
  INFO(fa << " x " << fb << " -> " << acc_name);
  CHECK(kernel.path() == expected_path);
  Multiplier mul(a, b);
  Accumulator fast(spec), slow(spec);
  std::mt19937_64 rng(42);
  for (int d = 0; d < dots; ++d) {
    size_t n = 1 + rng() % 300;
    std::vector<uint32_t> ca(n), cb(n);
    // Half the dots draw from the upper codes only: large values, overflow, wrap.
    uint64_t floor_a = d % 2 ? a.code_mask() >> 2 : 0, floor_b = d % 2 ? b.code_mask() >> 2 : 0;
    for (size_t i = 0; i < n; ++i) {
      ca[i] = uint32_t((rng() & a.code_mask()) | floor_a);
      cb[i] = uint32_t((rng() & b.code_mask()) | floor_b);
    }
    kernel.dot(ca.data(), cb.data(), n, fast);
    slow.clear();
    for (size_t i = 0; i < n; ++i)
      slow.add(mul(ca[i], cb[i]));
    REQUIRE(fast.code_hex() == slow.code_hex());
    REQUIRE(fast.value_decimal() == slow.value_decimal());
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
