// Dot product error through each accumulator: exact accumulators are exact,
// wider floats are more accurate, overflow is flagged, never hidden.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "qmac/accuracy/dot_error.h"

using qmac::Distribution;
using qmac::accuracy::dot_error;
using qmac::accuracy::DotError;

namespace {
const Distribution kAll[] = {Distribution::Gaussian, Distribution::Uniform, Distribution::Laplace,
                             Distribution::StudentT};
}

TEST_CASE("fx+12 accumulates exactly: no accumulation error") {
  for (const char* f : {"int8", "e4m3fn", "e5m2", "int4", "float4_e2m1fn"})
    for (Distribution d : kAll) {
      INFO(f << " " << int(d));
      const DotError e = dot_error(f, f, "fx+12", d);
      CHECK(e.max_rel == 0);
      CHECK(e.overflow_fraction == 0);
      // What is left is quantization error: small, but not zero.
      CHECK(e.median_rel_total > 0);
      CHECK(e.max_rel_total < 0.5);
    }
}

TEST_CASE("int32 is exact for int8 products") {
  for (Distribution d : kAll) {
    const DotError e = dot_error("int8", "int8", "int32", d);
    CHECK(e.max_rel == 0);
    CHECK(e.overflow_fraction == 0);
    // Then the total error is the quantization's alone, as with fx+12.
    const DotError fx = dot_error("int8", "int8", "fx+12", d);
    CHECK(e.median_rel_total == fx.median_rel_total);
    CHECK(e.max_rel_total == fx.max_rel_total);
  }
}

TEST_CASE("fp32 accumulates with less error than bf16") {
  for (const char* f : {"int8", "e4m3fn"})
    for (Distribution d : kAll) {
      INFO(f << " " << int(d));
      const DotError fp32 = dot_error(f, f, "fp32", d);
      const DotError bf16 = dot_error(f, f, "bf16", d);
      CHECK(fp32.median_rel < bf16.median_rel);
      CHECK(fp32.max_rel < bf16.max_rel);
      CHECK(bf16.max_rel > 0);
      CHECK(fp32.max_rel < 1e-6); // about K * 2^-24 at worst
      CHECK(bf16.overflow_fraction == 0);
    }
}

TEST_CASE("fp16 overflow on long sums of large values is flagged, not a small error") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // int8 at full scale: products up to 127^2, a random walk of 4096 of them
  // leaves fp16's 65504 behind.
  const DotError e = dot_error("int8", "int8", "fp16", Distribution::Uniform, 4096, 8);
  CHECK(e.overflow_fraction > 0.5);
  CHECK(e.max_rel == inf);
  CHECK(e.max_rel_total == inf);
  // One e4m3fn product (448^2) alone is beyond fp16.
  CHECK(dot_error("e4m3fn", "e4m3fn", "fp16", Distribution::Gaussian).overflow_fraction > 0);
  // int16 wraps and says so.
  const DotError w = dot_error("int8", "int8", "int16", Distribution::Uniform, 1024, 16);
  CHECK(w.overflow_fraction > 0.5);
  CHECK(w.max_rel > 0);
  // Short sums of the same data stay finite and small.
  const DotError s = dot_error("int8", "int8", "fp16", Distribution::Uniform, 2, 64);
  CHECK(s.overflow_fraction == 0);
  CHECK(s.max_rel < 1e-3);
}

TEST_CASE("same seed gives identical errors") {
  const DotError a = dot_error("e4m3fn", "int8", "bf16", Distribution::Laplace, 64, 16, 9);
  const DotError b = dot_error("e4m3fn", "int8", "bf16", Distribution::Laplace, 64, 16, 9);
  CHECK(a.median_rel == b.median_rel);
  CHECK(a.max_rel == b.max_rel);
  CHECK(a.median_rel_total == b.median_rel_total);
  CHECK(a.max_rel_total == b.max_rel_total);
  const DotError c = dot_error("e4m3fn", "int8", "bf16", Distribution::Laplace, 64, 16, 10);
  CHECK(c.max_rel_total != a.max_rel_total);
}

TEST_CASE("bad dot product input is an InputError naming it") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(dot_error("int8", "int8", "fp32", Distribution::Gaussian, 0), Contains("k"));
  CHECK_THROWS_WITH(dot_error("int8", "int8", "fp32", Distribution::Gaussian, 16, 0),
                    Contains("dot products"));
  CHECK_THROWS_WITH(dot_error("int8", "int7q", "fp32", Distribution::Gaussian), Contains("int7q"));
  CHECK_THROWS_WITH(dot_error("int8", "int8", "fx", Distribution::Gaussian), Contains("fx"));
  CHECK_THROWS_WITH(dot_error("int8", "int8", "fp32", Distribution::Codes), Contains("codes"));
  // A spec made for other products.
  const qmac::Format i8 = qmac::parse_format("int8"), e4 = qmac::parse_format("e4m3fn");
  CHECK_THROWS_WITH(
      dot_error(e4, e4, qmac::parse_accumulator("int32", i8, i8), Distribution::Gaussian),
      Contains("int32"));
}
