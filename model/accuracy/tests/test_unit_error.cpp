// Dot-product units' error on K-long dot products: the narrow window of an
// H100-style FP8 unit costs accuracy that grows with K, promotion to FP32
// every 128 elements (the DeepSeek-V3 recipe) recovers most of it, an exact
// unit rounds once, an integer unit is exact. The reference sum is qmac's
// per-MAC accumulator into a register that cannot wrap (fx+G), proven
// against cpp_int in the numerics tests; the exact unit's bound below is
// the definition of one rounding, not a figure the code produced.
#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/unit_error.h"
#include "qmac/numerics/format.h"

using qmac::Distribution;
using qmac::accuracy::unit_error;
using qmac::accuracy::UnitError;
using qmac::accuracy::UnitErrorOptions;

namespace {

UnitError fp8(const char* unit, int k, int promote = 0, Distribution d = Distribution::Gaussian) {
  UnitErrorOptions o;
  o.k = k;
  o.promote = promote;
  return unit_error("e4m3fn", "e4m3fn", "fp32", unit, d, o);
}

} // namespace

// The published effect (DeepSeek-V3's report, arXiv 2412.19437, section 3.3:
// Hopper's FP8 accumulation keeps about 14 bits; promotion to FP32 every 128
// elements is the cure). Measured here (100 Gaussian dot products): h100's
// mean error is 48000x the exact unit's; promotion every 128 cuts the mean
// 8.9x and the maximum 21x at K = 4096, the mean 22x at K = 16384.
TEST_CASE("h100 FP8 at K = 4096: the 14-bit window costs 10x the exact unit's error, and "
          "promotion every 128 cuts the largest error 10x") {
  const UnitError exact = fp8("exact", 4096);
  const UnitError h100 = fp8("h100", 4096);
  const UnitError promoted = fp8("h100", 4096, 128);
  INFO("exact " << exact.mean_rel << ", h100 " << h100.mean_rel << " (max " << h100.max_rel
                << "), promoted " << promoted.mean_rel << " (max " << promoted.max_rel << ")");
  CHECK(exact.overflow_fraction == 0);
  CHECK(h100.overflow_fraction == 0);
  CHECK(h100.mean_rel >= 10 * exact.mean_rel);
  CHECK(promoted.max_rel * 10 <= h100.max_rel);
  CHECK(promoted.mean_rel * 5 <= h100.mean_rel);
  // Each 128-element chunk still runs in the narrow window.
  CHECK(promoted.mean_rel > 10 * exact.mean_rel);
  // With four times the length, promotion's gain on the mean passes 10x.
  CHECK(fp8("h100", 16384, 128).mean_rel * 10 <= fp8("h100", 16384).mean_rel);
}

TEST_CASE("without promotion a narrow window's error grows with K; an exact unit's does not") {
  // (Slowly, in the normwise measure: 1.3e-5 at K = 256, 2.6e-5 at 8192.)
  const UnitError h100_short = fp8("h100", 256), h100_long = fp8("h100", 8192);
  CHECK(h100_long.mean_rel > 1.5 * h100_short.mean_rel);
  // One rounding into fp32, to nearest: |d - s| <= 2^-24 |s| <= 2^-24 sum|a b|.
  for (int k : {256, 8192}) {
    const UnitError e = fp8("exact", k);
    CHECK(e.max_rel <= std::ldexp(1.0, -24));
    CHECK(e.max_rel > 0); // it does round
  }
  // arm-fdot4 rounds after every 4 products: between the two.
  const UnitError arm = fp8("arm-fdot4", 8192);
  CHECK(arm.mean_rel > fp8("exact", 8192).mean_rel);
  CHECK(arm.mean_rel < h100_long.mean_rel);
}

// Block-scaled units: the exact reference is a wide fixed-point register of
// the scaled products (exact_dot), not the per-MAC accumulator.
TEST_CASE("block-scaled units: an exact whole unit rounds once; mx rounds once per block") {
  UnitErrorOptions o;
  o.k = 4096;
  for (const char* f : {"mxfp8_e4m3", "mxfp4", "nvfp4", "mxint8"}) {
    INFO(f);
    // One rounding to nearest: |d - s| <= 2^-24 |s| <= 2^-24 sum |a b|.
    const UnitError whole = unit_error(f, f, "fp32", "exact", Distribution::Gaussian, o);
    CHECK(whole.max_rel <= std::ldexp(1.0, -24));
    CHECK(whole.overflow_fraction == 0);
    // mx: one rounding per block of 32 (16): 128 (256) roundings, each at
    // most 2^-24 of the partial sum's magnitude, itself at most sum |a b|.
    const UnitError mx = unit_error(f, f, "fp32", "mx", Distribution::Gaussian, o);
    CHECK(mx.max_rel <= 256 * std::ldexp(1.0, -24));
    CHECK(mx.mean_rel >= whole.mean_rel);
    CHECK(mx.mean_rel_total > 100 * mx.mean_rel);
  }
  // FP8 products overflow fp32's 24 bits: the exact unit does round.
  CHECK(unit_error("mxfp8_e4m3", "mxfp8_e4m3", "fp32", "exact", Distribution::Gaussian, o).max_rel >
        0);
  // FP4 products have at most 4 significant bits (8 with NVFP4's E4M3
  // scales): 4096 of them under Gaussian block scales sum exactly in fp32,
  // so an exact unit's result is the exact sum.
  for (const char* f : {"mxfp4", "nvfp4"})
    CHECK(unit_error(f, f, "fp32", "mx", Distribution::Gaussian, o).max_rel == 0);
  // A narrowed window loses more than the exact mx unit.
  const UnitError narrow = unit_error("mxfp8_e4m3", "mxfp8_e4m3", "fp32", "mx,bits=14,round=rz",
                                      Distribution::Gaussian, o);
  CHECK(
      narrow.mean_rel >
      10 *
          unit_error("mxfp8_e4m3", "mxfp8_e4m3", "fp32", "mx", Distribution::Gaussian, o).mean_rel);
}

TEST_CASE("block-scaled units: the scale rule changes the quantization error, not the unit's") {
  UnitErrorOptions floor_o, ceil_o;
  floor_o.k = ceil_o.k = 1024;
  floor_o.scale_rule = qmac::ScaleRounding::Floor;
  ceil_o.scale_rule = qmac::ScaleRounding::Ceil;
  const UnitError f = unit_error("mxfp4", "mxfp4", "fp32", "mx", Distribution::Gaussian, floor_o);
  const UnitError c = unit_error("mxfp4", "mxfp4", "fp32", "mx", Distribution::Gaussian, ceil_o);
  CHECK(f.mean_rel_total != c.mean_rel_total);
  CHECK(f.max_rel <= 32 * std::ldexp(1.0, -24));
  CHECK(c.max_rel <= 32 * std::ldexp(1.0, -24));
  UnitErrorOptions bad;
  bad.scale_rule = qmac::ScaleRounding::Ceil;
  CHECK_THROWS_AS(unit_error("e4m3fn", "e4m3fn", "fp32", "exact", Distribution::Gaussian, bad),
                  qmac::InputError);
}

TEST_CASE("an integer unit into int32 is exact; its error is the quantization's alone") {
  UnitErrorOptions o;
  o.k = 4096;
  for (Distribution d : {Distribution::Gaussian, Distribution::LlmOutliers}) {
    const UnitError e = unit_error("int8", "int8", "int32", "n=32", d, o);
    CHECK(e.max_rel == 0);
    CHECK(e.overflow_fraction == 0);
    CHECK(e.mean_rel_total > 0);
  }
}

TEST_CASE("LLM-like outliers: 1 value in 256 is 10 to 30 times the rest's scale") {
  const size_t n = size_t(1) << 20;
  const std::vector<double> x = qmac::accuracy::draw_samples(Distribution::LlmOutliers, n, 5);
  // The Gaussian part's scale from the median magnitude (0.6745 sigma).
  std::vector<double> mag(n);
  for (size_t i = 0; i < n; ++i)
    mag[i] = std::fabs(x[i]);
  std::vector<double> sorted = mag;
  std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
  const double sigma = sorted[n / 2] / 0.6745;
  size_t outliers = 0;
  double largest = 0;
  for (double m : mag) {
    outliers += m >= 9.5 * sigma;
    largest = std::max(largest, m);
  }
  // Expected n / 256 = 4096 (a Gaussian passes 9.5 sigma about never).
  CHECK(outliers > 3800);
  CHECK(outliers < 4400);
  CHECK(largest <= 30.5 * sigma);
  CHECK(largest >= 29 * sigma);
}

TEST_CASE("unit errors are deterministic per seed") {
  UnitErrorOptions o;
  o.k = 512;
  o.dots = 20;
  const UnitError a = unit_error("e5m2", "e5m2", "fp32", "ada", Distribution::StudentT, o);
  const UnitError b = unit_error("e5m2", "e5m2", "fp32", "ada", Distribution::StudentT, o);
  CHECK(a.mean_rel == b.mean_rel);
  CHECK(a.max_rel_total == b.max_rel_total);
  o.seed = 2;
  const UnitError c = unit_error("e5m2", "e5m2", "fp32", "ada", Distribution::StudentT, o);
  CHECK(c.mean_rel != a.mean_rel);
}

TEST_CASE("bits: a normwise error as the bits it leaves correct") {
  CHECK(qmac::accuracy::bits(std::ldexp(1.0, -14)) == 14);
  CHECK(std::isinf(qmac::accuracy::bits(0)));
  CHECK(qmac::accuracy::bits(INFINITY) == 0);
}

TEST_CASE("unit errors refuse bad input") {
  UnitErrorOptions o;
  o.k = 0;
  CHECK_THROWS_AS(unit_error("e4m3fn", "e4m3fn", "fp32", "h100", Distribution::Gaussian, o),
                  qmac::InputError);
  o.k = 256;
  o.dots = 0;
  CHECK_THROWS_AS(unit_error("e4m3fn", "e4m3fn", "fp32", "h100", Distribution::Gaussian, o),
                  qmac::InputError);
  o.dots = 4;
  o.promote = 100; // not a multiple of h100's 32
  CHECK_THROWS_AS(unit_error("e4m3fn", "e4m3fn", "fp32", "h100", Distribution::Gaussian, o),
                  qmac::InputError);
  o.promote = 128; // promotion is for float outputs
  CHECK_THROWS_AS(unit_error("int8", "int8", "int32", "n=32", Distribution::Gaussian, o),
                  qmac::InputError);
  o.promote = 0;
  CHECK_THROWS_AS(unit_error("e4m3", "e4m3", "fp32", "h100", Distribution::Gaussian, o),
                  qmac::InputError); // H100 takes e4m3fn, not IEEE-like e4m3
}
