// Acceptance 5: stochastic rounding is unbiased. With a fixed std::mt19937_64
// seed, x between two adjacent codes lo < x < hi rounds up with probability
// p = (x - lo) / (hi - lo): the observed frequency and the mean of the decoded
// results must lie within 5 standard deviations of p and x. A biased rounding
// (always probability 1/2, or round to nearest) misses by |p - 1/2| or
// min(p, 1 - p), which the chosen p and vector counts make >= 20 deviations.
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

struct Outcome {
  long n = 0, up = 0, other = 0;
  long double sum = 0; // of the decoded results
};

Outcome draw(const qmac::Format& f, double x, uint64_t lo_code, uint64_t hi_code, long n,
             uint64_t seed, bool saturate = false) {
  std::mt19937_64 rng(seed);
  qmac::RoundingOptions o;
  o.mode = qmac::Rounding::Stochastic;
  o.random64 = mt_random64;
  o.random_state = &rng;
  o.saturate = saturate;
  RefFormat r = ref_format(f.name);
  Outcome out;
  for (long i = 0; i < n; ++i) {
    uint64_t c = qmac::quantize(f, x, o);
    ++out.n;
    if (c == hi_code)
      ++out.up;
    else if (c != lo_code)
      ++out.other;
    RefVal v = ref_decode(r, c);
    out.sum += v.cls == RefVal::Finite ? v.value() : 0;
  }
  return out;
}

} // namespace

TEST_CASE("stochastic: the mean of many roundings converges to x") {
  const long n = scaled(100000);
  const double fractions[] = {0.1, 0.3, 0.7, 0.9, 0.05, 1.0 / 3, 0.8125};
  uint64_t seed = 1;
  for (const char* name : {"e4m3fn", "e5m2", "int8", "float4_e2m1fn", "e3m4", "uflint8", "e2m5fin",
                           "fp16", "e4m3fnuz", "flint4"}) {
    RefFormat r = ref_format(name);
    qmac::Format f = qmac::parse_format(name);
    RefTable t(r);
    std::mt19937_64 pick(std::hash<std::string>()(name));
    // Pairs of adjacent positive values: subnormal, normal, near the top.
    const auto& pos = t.side(false);
    std::vector<size_t> at = {0, 1, pos.size() / 2, pos.size() - 2};
    for (int k = 0; k < 4; ++k)
      at.push_back(size_t(pick() % (pos.size() - 1)));
    for (size_t i : at) {
      for (double p : fractions) {
        for (bool neg : {false, true}) {
          if (neg && !r.is_signed) continue;
          if (neg && r.kind == RKind::Int) continue; // two's complement: neighbours differ
          long double lo = pos[i].first, hi = pos[i + 1].first;
          double x = double(lo + (long double)p * (hi - lo));
          long double pe = ((long double)x - lo) / (hi - lo); // exact: hi - lo is a power of two
          uint64_t lo_code = t.code_of(neg ? -lo : lo, neg), hi_code = t.code_of(neg ? -hi : hi);
          if (neg && lo == 0 && !t.has_neg_zero()) lo_code = t.code_of(0);
          Outcome o = draw(f, neg ? -x : x, lo_code, hi_code, n, seed++);
          double freq = double(o.up) / double(o.n);
          double sigma = std::sqrt(double(pe * (1 - pe)) / double(n));
          long double mean = o.sum / o.n, want = neg ? -(long double)x : (long double)x;
          INFO(name << " x = " << (neg ? -x : x) << " between " << double(lo) << " and "
                    << double(hi) << ": p = " << double(pe) << ", up " << o.up << " of " << o.n);
          CHECK(o.other == 0);
          CHECK(std::fabs(freq - double(pe)) < 5 * sigma);
          CHECK(std::fabs(double(mean - want)) < 5 * sigma * double(hi - lo));
          // The test has power: a p = 1/2 rounding or a nearest rounding would fail it.
          REQUIRE(std::fabs(0.5 - double(pe)) > 20 * sigma * 0.5 + 5 * sigma);
          REQUIRE(std::min(double(pe), 1 - double(pe)) > 25 * sigma);
        }
      }
    }
  }
}

TEST_CASE("stochastic: on-grid values never move - and a fixed seed reproduces the draw") {
  qmac::Format f = qmac::parse_format("e4m3fn");
  std::mt19937_64 rng(7);
  qmac::RoundingOptions o;
  o.mode = qmac::Rounding::Stochastic;
  o.random64 = mt_random64;
  o.random_state = &rng;
  RefTable t(ref_format("e4m3fn"));
  for (uint64_t c : t.finite_codes())
    for (int i = 0; i < 50; ++i)
      CHECK(qmac::quantize(f, t[c].neg ? -double(t[c].mag) : double(t[c].mag), o) == c);
  auto run = [&](uint64_t seed) {
    std::mt19937_64 g(seed);
    qmac::RoundingOptions s = o;
    s.random_state = &g;
    std::vector<uint64_t> codes;
    for (int i = 0; i < 1000; ++i)
      codes.push_back(qmac::quantize(f, 1.03 + i * 1e-4, s));
    return codes;
  };
  CHECK(run(42) == run(42));
  CHECK(run(42) != run(43));
}

TEST_CASE("stochastic: fine fractions and overflow") {
  const long n = 1 << 20;
  qmac::Format f = qmac::parse_format("e4m3fn");
  // p = 5/1024 between 1 and 1.125: resolution far below 1/2 and 1/256.
  double x = 1 + 0.125 * 5 / 1024;
  Outcome o = draw(f, x, 0x38, 0x39, scaled(n), 99);
  double p = 5.0 / 1024, sigma = std::sqrt(p * (1 - p) / double(scaled(n)));
  INFO("up " << o.up << " of " << o.n);
  CHECK(std::fabs(double(o.up) / double(o.n) - p) < 5 * sigma);
  // Beyond the largest value: 456 lies 1/4 of the way from 448 to the next grid
  // point 480; going up overflows to NaN (e4m3fn has no Inf) or, saturating, stays 448.
  Outcome ov = draw(f, 456, 0x7e, 0x7f, 200000, 5);
  double q = double(ov.up) / double(ov.n), s2 = std::sqrt(0.25 * 0.75 / 200000);
  CHECK(std::fabs(q - 0.25) < 5 * s2);
  Outcome sat = draw(f, 456, 0x7e, 0x7f, 200000, 5, true);
  CHECK(sat.up == 0);
  CHECK(sat.other == 0);
  // e5m2 overflows to Inf instead.
  qmac::Format e5m2 = qmac::parse_format("e5m2");
  Outcome inf = draw(e5m2, 57344 + 2048, 0x7b, 0x7c, 200000, 6);
  CHECK(std::fabs(double(inf.up) / double(inf.n) - 0.25) < 5 * s2);
}
