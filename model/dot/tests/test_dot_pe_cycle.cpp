// The dot PE's cycle model: its timing and interleaving. The arithmetic of a
// block is DotEngine's, proven against the reference in test_dot_random;
// here the expected results chain DotEngine::block by hand per stream, so the
// library is its own reference for the arithmetic and the test is about
// cycles: latency, interleaved streams, start, bubbles, reset.
#include <catch2/catch.hpp>

#include <random>

#include "qmac/dot/dot_pe_cycle.h"
#include "qmac/dot/presets.h"

using qmac::dot::DotBeat;
using qmac::dot::DotEngine;
using qmac::dot::DotPeCycleModel;

namespace {

struct Config {
  const char* unit;
  const char* a;
  const char* out;
};

} // namespace

TEST_CASE("dot PE: each of PIPELINE + 1 interleaved streams chains its own blocks") {
  for (const Config& cfg : {Config{"h100", "e4m3fn", "fp32"}, Config{"b200", "e5m2", "fp32"},
                            Config{"arm-fdot4", "e4m3fn", "fp16"}, Config{"n=8", "int8", "int32"},
                            Config{"n=8", "int8", "int16"}}) {
    const qmac::Format f = qmac::parse_format(cfg.a);
    const qmac::AccumulatorSpec spec = qmac::parse_accumulator(cfg.out, f, f);
    const qmac::dot::DotUnit unit = qmac::dot::resolve_unit(cfg.unit, f, f, spec);
    for (int pipeline : {0, 1, 3}) {
      INFO(cfg.unit << " " << cfg.a << " -> " << cfg.out << ", pipeline " << pipeline);
      DotPeCycleModel pe(f, f, spec, unit, pipeline);
      DotEngine engine(f, f, spec, unit);
      qmac::Accumulator acc(spec);
      const int lanes = pipeline + 1;
      CHECK(pe.latency() == lanes);
      std::vector<uint64_t> stream(size_t(lanes), 0); // each stream's value, by hand
      std::mt19937_64 rng(7 + uint64_t(pipeline));
      std::vector<uint64_t> expected_out; // what the register must show, by cycle
      for (int t = 0; t < 400; ++t) {
        DotBeat beat;
        beat.valid = rng() % 5 != 0;
        beat.start = rng() % 7 == 0;
        beat.c = rng() & 0x3f800000; // a float code or an int
        for (int i = 0; i < unit.n; ++i) {
          beat.a.push_back(rng() & f.code_mask());
          beat.b.push_back(rng() & f.code_mask());
        }
        const size_t s = size_t(t % lanes);
        const uint64_t mask = spec.kind == qmac::AccKind::Float ? spec.format.code_mask()
                                                                : (1ull << spec.int_bits) - 1;
        uint64_t c = beat.start ? beat.c & mask : stream[s];
        if (beat.valid) {
          acc.load(c);
          engine.block(acc, beat.a.data(), beat.b.data(), beat.a.size());
          c = acc.code() & mask;
        }
        stream[s] = c;
        const uint64_t got = pe.cycle(beat);
        // After edge t the register holds the result of the beat of edge t - PIPELINE.
        if (t >= pipeline)
          CHECK(got == stream[size_t((t - pipeline) % lanes)]);
        else
          CHECK(got == 0); // reset state still draining
      }
      pe.reset();
      CHECK(pe.result() == 0);
      DotBeat bubble;
      CHECK(pe.cycle(bubble) == 0);
    }
  }
}

TEST_CASE("dot PE: refuses what it cannot build") {
  const qmac::Format f = qmac::parse_format("int8");
  const qmac::AccumulatorSpec fx = qmac::parse_accumulator("fx+12", f, f);
  qmac::dot::DotUnit u;
  u.n = 4;
  CHECK_THROWS_AS(DotPeCycleModel(f, f, fx, u, 1), qmac::InputError);
  const qmac::AccumulatorSpec i32 = qmac::parse_accumulator("int32", f, f);
  qmac::dot::DotUnit whole;
  CHECK_THROWS_AS(DotPeCycleModel(f, f, i32, whole, 1), qmac::InputError);
}
