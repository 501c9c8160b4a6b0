// The figures recomputed independently: every quantized value by the tests'
// own rounding (RefTable: an exact search of the format's value table, never
// the library's Rounder), the squared errors and dot products in MPFR at 256
// bits. Only the scale the library chose and the samples are taken from it.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mpfr_ref.h"
#include "qmac/accuracy/dot_error.h"
#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/scale_search.h"
#include "qmac/accuracy/sqnr.h"
#include "ref_format.h"

using namespace qmac::accuracy;
using qmac::Distribution;
using qmac_test::Mp;

namespace {

constexpr mpfr_prec_t kPrec = 256;

// The reference value of x * s: x has 53 significant bits and s 11, so the
// long double product (64 bits) is exact; RefTable rounds it to nearest even,
// saturating, by table search.
long double ref_quantized(const qmac_test::RefTable& t, double x, const Scale& s) {
  const long double xs = (long double)x * (long double)s.value;
  return t[t.round(xs, qmac_test::Mode::RNE, true)].value();
}

// sum (x - q / s)^2 in MPFR.
double ref_noise(const char* format, const std::vector<double>& x, const Scale& s) {
  const qmac_test::RefTable t(qmac_test::ref_format(format));
  Mp sum(kPrec), e(kPrec), q(kPrec);
  mpfr_set_zero(sum, 1);
  for (double v : x) {
    mpfr_set_ld(q, ref_quantized(t, v, s), MPFR_RNDN);
    mpfr_div_d(q, q, s.value, MPFR_RNDN);
    mpfr_d_sub(e, v, q, MPFR_RNDN);
    mpfr_fma(sum, e, e, sum, MPFR_RNDN);
  }
  return mpfr_get_d(sum, MPFR_RNDN);
}

double ref_signal(const std::vector<double>& x) {
  Mp sum(kPrec), v(kPrec);
  mpfr_set_zero(sum, 1);
  for (double d : x) {
    mpfr_set_d(v, d, MPFR_RNDN);
    mpfr_fma(sum, v, v, sum, MPFR_RNDN);
  }
  return mpfr_get_d(sum, MPFR_RNDN);
}

} // namespace

TEST_CASE("SQNR at the chosen scales matches the tests' own rounding and MPFR") {
  for (const char* f : {"int4", "int8", "e4m3fn", "e5m2", "e2m5", "float4_e2m1fn", "flint8"})
    for (Distribution d : {Distribution::Gaussian, Distribution::StudentT}) {
      INFO(f << " " << int(d));
      const std::vector<double> x = draw_samples(d, 4096, 21);
      const Calibration c = calibrate(TensorQuantizer(f), x);
      const auto r = sqnr(f, x);
      const double signal = ref_signal(x);
      CHECK(r.best_db ==
            Approx(10 * std::log10(signal / ref_noise(f, x, c.best.scale))).epsilon(1e-9));
      CHECK(r.absmax_db ==
            Approx(10 * std::log10(signal / ref_noise(f, x, c.absmax.scale))).epsilon(1e-9));
    }
}

TEST_CASE("the total dot product error matches a reference built from the public pieces") {
  // int8 operands into fx+12: exact accumulation, so the total error is the
  // quantization's alone, recomputed here with RefTable values and MPFR sums.
  const int k = 128, dots = 16;
  const uint64_t seed = 5;
  const qmac_test::RefTable t(qmac_test::ref_format("int8"));
  // An operand: the reals, and the reference values of their codes (exact
  // integers) at the scale the library calibrated.
  auto operand = [&](uint64_t s, std::vector<double>& x, std::vector<long double>& q) {
    x = draw_samples(Distribution::Laplace, size_t(k) * dots, s);
    const Scale scale = calibrate(TensorQuantizer("int8"), x).best.scale;
    for (double v : x)
      q.push_back(ref_quantized(t, v, scale));
    return scale.value;
  };
  std::vector<double> xa, xb;
  std::vector<long double> qa, qb;
  const double sa = operand(seed, xa, qa), sb = operand(partner_seed(seed), xb, qb);
  std::vector<double> rel;
  Mp got(kPrec), want(kPrec), norm(kPrec), p(kPrec), w(kPrec);
  for (int d = 0; d < dots; ++d) {
    mpfr_set_zero(got, 1), mpfr_set_zero(want, 1), mpfr_set_zero(norm, 1);
    for (size_t i = size_t(d) * k; i < size_t(d + 1) * k; ++i) {
      mpfr_set_ld(p, qa[i] * qb[i], MPFR_RNDN); // an exact integer
      mpfr_add(got, got, p, MPFR_RNDN);
      mpfr_set_d(w, xa[i], MPFR_RNDN);
      mpfr_mul_d(w, w, xb[i], MPFR_RNDN);
      mpfr_add(want, want, w, MPFR_RNDN);
      mpfr_abs(w, w, MPFR_RNDN);
      mpfr_add(norm, norm, w, MPFR_RNDN);
    }
    mpfr_div_d(got, got, sa, MPFR_RNDN);
    mpfr_div_d(got, got, sb, MPFR_RNDN);
    mpfr_sub(got, got, want, MPFR_RNDN);
    mpfr_abs(got, got, MPFR_RNDN);
    mpfr_div(got, got, norm, MPFR_RNDN);
    rel.push_back(mpfr_get_d(got, MPFR_RNDN));
  }
  std::sort(rel.begin(), rel.end());
  const DotError e = dot_error("int8", "int8", "fx+12", Distribution::Laplace, k, dots, seed);
  CHECK(e.median_rel == 0);
  CHECK(e.median_rel_total == Approx((rel[dots / 2 - 1] + rel[dots / 2]) / 2).epsilon(1e-6));
  CHECK(e.max_rel_total == Approx(rel.back()).epsilon(1e-6));
}
