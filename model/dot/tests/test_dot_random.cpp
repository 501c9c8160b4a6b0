// Every preset (and a set of explicit units covering each key) against the
// tests' own exact model of the definition (dot_reference.cpp), on random
// blocks from five distributions with random addends c.
#include <catch2/catch.hpp>

#include "dot_test_util.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/accumulator.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

struct Config {
  const char* unit; // a preset, or keys
  const char* a;
  const char* b;
  const char* out;
};

// Random blocks of a configuration: `blocks` of them, each of a random
// length up to n (mostly n; whole units: up to 64), compared code for code.
// Every 16th time, also a whole dot product of 3 to 4 blocks through
// DotEngine::dot (which has paths of its own: exact units run all their
// blocks at once) against the reference's chain of blocks.
void check_random(const Config& cfg, long blocks, uint64_t seed) {
  const qmac::Format fa = qmac::parse_format(cfg.a), fb = qmac::parse_format(cfg.b);
  const qmac::AccumulatorSpec spec = qmac::parse_accumulator(cfg.out, fa, fb);
  const qmac::dot::DotUnit unit = qmac::dot::resolve_unit(cfg.unit, fa, fb, spec);
  qmac::dot::DotEngine engine(fa, fb, spec, unit);
  const RefUnit ref = ref_unit(unit);
  const RefFormat ra = ref_format(cfg.a), rb = ref_format(cfg.b), ro = ref_format(cfg.out);
  const CodeSource sa(fa), sb(fb);
  std::mt19937_64 rng(seed);
  const size_t n = unit.whole() ? 64 : size_t(unit.n);
  Failures failures;
  long per_dist[int(Dist::kCount)] = {};
  std::vector<uint64_t> a, b;
  for (long i = 0; i < blocks; ++i) {
    const Dist d = Dist(i % int(Dist::kCount));
    const size_t len = (rng() % 4) ? n : 1 + rng() % n;
    const double scale_a = sa.scale(rng), scale_b = sb.scale(rng);
    a.resize(len);
    b.resize(len);
    for (size_t k = 0; k < len; ++k) {
      a[k] = sa(rng, d, scale_a);
      b[k] = sb(rng, d, scale_b);
    }
    const uint64_t c = draw_c(rng, spec.format, scale_a * scale_b * std::sqrt(double(len)));
    const uint64_t got = engine.block(c, a.data(), b.data(), len);
    const uint64_t want = ref_block(ref, ra, rb, ro, a, b, c);
    ++per_dist[int(d)];
    if (got != want)
      failures.add(std::string(dist_name(d)) + ": c " + hex(c) + ", a " + codes_text(a) + ", b " +
                   codes_text(b) + ": got " + hex(got) + ", want " + hex(want));
    if (i % 16 == 0 && !unit.whole()) {
      const size_t k = 3 * n + rng() % (n + 1);
      a.resize(k);
      b.resize(k);
      for (size_t j = 0; j < k; ++j) {
        a[j] = sa(rng, d, scale_a);
        b[j] = sb(rng, d, scale_b);
      }
      qmac::Accumulator acc(spec);
      acc.load(c);
      engine.dot(acc, a.data(), b.data(), k);
      const uint64_t want_dot = ref_dot(ref, ra, rb, ro, a, b, c);
      if (acc.code() != want_dot)
        failures.add(std::string(dist_name(d)) + " dot: c " + hex(c) + ", a " + codes_text(a) +
                     ", b " + codes_text(b) + ": got " + hex(acc.code()) + ", want " +
                     hex(want_dot));
    }
  }
  for (int d = 0; d < int(Dist::kCount); ++d)
    CHECK(per_dist[d] >= blocks / int(Dist::kCount));
  failures.report(std::string(cfg.unit) + " " + cfg.a + " x " + cfg.b + " -> " + cfg.out + " (" +
                      qmac::dot::describe(unit) + ")",
                  blocks);
}

void check_all(std::initializer_list<Config> configs, uint64_t seed) {
  for (const Config& c : configs) {
    INFO(c.unit << " " << c.a << " x " << c.b << " -> " << c.out);
    check_random(c, scaled(100000), seed++);
  }
}

} // namespace

TEST_CASE("dot units vs the exact reference: h100 FP8 (32 products, 14 bits, RZ)") {
  check_all({{"h100", "e4m3fn", "e4m3fn", "fp32"},
             {"h100", "e5m2", "e5m2", "fp32"},
             {"h100", "e4m3fn", "e5m2", "fp32"}},
            1);
}

TEST_CASE("dot units vs the exact reference: h100, b200, a100, v100 half precision") {
  check_all({{"h100", "fp16", "fp16", "fp32"},
             {"h100", "bf16", "bf16", "fp32"},
             {"h100", "fp16", "fp16", "fp16"},
             {"b200", "bf16", "bf16", "fp32"},
             {"a100", "fp16", "fp16", "fp32"},
             {"a100", "bf16", "bf16", "fp32"},
             {"v100", "fp16", "fp16", "fp32"},
             {"v100", "fp16", "fp16", "fp16"}},
            11);
}

TEST_CASE("dot units vs the exact reference: b200 and ada FP8") {
  check_all({{"b200", "e4m3fn", "e4m3fn", "fp32"},
             {"b200", "e5m2", "e5m2", "fp32"},
             {"ada", "e4m3fn", "e4m3fn", "fp32"},
             {"ada", "e5m2", "e4m3fn", "fp32"}},
            21);
}

TEST_CASE("dot units vs the exact reference: Arm FDOT and exact units") {
  check_all({{"arm-fdot4", "e4m3fn", "e4m3fn", "fp32"},
             {"arm-fdot4", "e5m2", "e5m2", "fp16"},
             {"arm-fdot2", "e4m3fn", "e5m2", "fp16"},
             {"exact", "e4m3fn", "e4m3fn", "fp32"},
             {"exact", "flint8", "flint8", "fp32"},
             {"exact", "int8", "int8", "fp32"},
             {"exact", "float4_e2m1fn", "float4_e2m1fn", "bf16"}},
            31);
}

TEST_CASE("dot units vs the exact reference: every key") {
  check_all({{"n=16,bits=20,round=rne,sticky=yes", "e4m3fn", "e4m3fn", "fp32"},
             {"n=8,bits=12,round=rna,odd-even=yes", "e5m2", "e5m2", "fp32"},
             {"n=16,bits=16,round=rne,odd-even=yes,sticky=yes", "e4m3fn", "e5m2", "fp16"},
             {"n=32,bits=14,round=rz,narrow=no", "e4m3fn", "e4m3fn", "fp32"},
             {"n=32,bits=14,round=rne", "e5m2", "e5m2", "fp32"},
             {"n=4,bits=10,round=rne,ftz-in=yes,ftz-out=yes", "e5m2", "e5m2", "fp16"},
             {"n=4,bits=13,round=rz,ftz-out=yes", "e5m2", "e5m2", "fp16"},
             {"n=8,bits=6,round=rne,min-exp=-2", "e4m3fn", "e4m3fn", "bf16"},
             {"n=16,bits=26,round=rne,late-c=rz", "e4m3fn", "e4m3fn", "fp32"},
             {"n=16,bits=exact,round=rna,late-c=rne", "flint8", "e4m3fn", "fp16"},
             {"n=2,bits=3,round=rne,sticky=yes", "float4_e2m1fn", "int4", "fp16"}},
            41);
}

// Exact units' chains of blocks run on doubles (DotEngine's exact_dot): each
// way of rounding a double (fp32 by the CPU, RNE and RZ; IEEE formats on the
// bits; the Rounder for the rest), block sums exact whatever the codes
// (e4m3fn) or checked per block (e5m2).
TEST_CASE("dot units vs the exact reference: exact units' chains into every kind of output") {
  check_all({{"n=4,bits=exact,round=rz", "e4m3fn", "e4m3fn", "fp32"},
             {"n=8,bits=exact,round=rz", "e5m2", "e5m2", "fp16"},
             {"n=2,bits=exact,round=rne", "e4m3fn", "e4m3fn", "bf16"},
             {"n=4,bits=exact,round=rne", "e4m3fn", "e4m3fn", "e5m2"},
             {"n=4,bits=exact,round=rne", "e4m3fn", "e4m3fn", "e4m3fn"},
             {"n=3,bits=exact,round=rna", "e5m2", "e4m3fn", "fp16"}},
            53);
}
