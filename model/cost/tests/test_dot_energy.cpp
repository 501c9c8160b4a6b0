// Energy per product of dot-product units: the dot PE's gate-level netlist
// computes what the golden model does on the energy flow's own stream (so
// the toggles counted are those of the right computation), the stream's
// shape, activity tracking the data, determinism, the cache and bad options.
//
// The reference for the FP8 unit's result is qmac's golden DotEngine (the
// library, proven against MPFR and an exact-rational model in model/dot's
// tests); the int8 unit's is plain integer arithmetic written here.
#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

#include "qmac/cost/energy.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/numerics/accumulator.h"

using namespace qmac::cost;

namespace {

EnergyOptions shared_cache(long products = 2048) {
  EnergyOptions o;
  o.tools.synthesis.cache_dir = QMAC_TEST_ENERGY_CACHE;
  o.stream.macs = products;
  o.stream.k = 64;
  return o;
}

std::string hex128(uint64_t low) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", 0ULL, static_cast<unsigned long long>(low));
  return buf;
}

} // namespace

TEST_CASE("the dot stream: whole blocks, interleaved lanes, a start per dot product") {
  const qmac::rtl::DotRtlUnit unit = qmac::rtl::parse_dot_rtl_unit("n=4:e4m3fn:e4m3fn:fp32:p2");
  StreamOptions o;
  o.k = 10; // rounded up to 12: three blocks of four
  o.macs = 100;
  const DotOperandStream s = dot_operand_stream(unit, o);
  CHECK(s.k == 12);
  CHECK(s.dot_products == 9); // 100 / 12 rounded up to a multiple of L = 3 lanes
  CHECK(s.products == 108);
  const TopInterface& top = dot_top_interface();
  auto bit = [&](size_t t, const char* port) {
    const int at = top.input_offset(port);
    return (s.beats.words[t * s.beats.words_per_beat + size_t(at) / 32] >> (at % 32)) & 1;
  };
  REQUIRE(s.beats.size() == s.count_from + 9 * 3 + 3);
  long valid = 0, starts = 0;
  for (size_t t = s.count_from; t < s.beats.size(); ++t) {
    valid += bit(t, "valid");
    starts += bit(t, "start");
  }
  CHECK(valid * 4 == s.products);
  CHECK(starts == 9);
  // Lanes take turns: the first L beats start three dot products.
  for (size_t t = s.count_from; t < s.count_from + 3; ++t)
    CHECK(bit(t, "start") == 1);
  CHECK(bit(s.count_from + 3, "start") == 0);
  CHECK_THROWS_AS(dot_operand_stream(unit,
                                     [] {
                                       StreamOptions ws;
                                       ws.dataflow = Dataflow::WeightStationary;
                                       return ws;
                                     }()),
                  qmac::InputError);
}

TEST_CASE("the int8 dot PE's netlist sums the last dot product exactly") {
  const qmac::rtl::DotRtlUnit unit = qmac::rtl::parse_dot_rtl_unit("n=4:int8:int8:int32");
  const EnergyOptions o = shared_cache(256);
  const DotOperandStream s = dot_operand_stream(unit, o.stream);
  const ToggleCounts c = count_toggles(dot_design(unit, o.tools.synthesis), dot_top_interface(),
                                       s.beats, s.count_from, o.tools);
  int64_t sum = 0;
  for (size_t i = s.a.size() - size_t(s.k); i < s.a.size(); ++i)
    sum += int64_t(int8_t(s.a[i])) * int8_t(s.b[i]);
  CHECK(sum != 0);
  CHECK(c.acc == hex128(uint32_t(sum)));
  CHECK(c.cycles == long(s.beats.size() - s.count_from));
}

TEST_CASE("the FP8 dot PE's netlist gives the golden model's result") {
  // h100-like 14-bit window, pipelined once: two interleaved lanes.
  const qmac::rtl::DotRtlUnit unit =
      qmac::rtl::parse_dot_rtl_unit("n=4,bits=14:e4m3fn:e4m3fn:fp32:p1");
  const EnergyOptions o = shared_cache(512);
  const DotOperandStream s = dot_operand_stream(unit, o.stream);
  const ToggleCounts c = count_toggles(dot_design(unit, o.tools.synthesis), dot_top_interface(),
                                       s.beats, s.count_from, o.tools);
  qmac::dot::DotEngine engine(unit.a, unit.b, unit.out, unit.unit);
  qmac::Accumulator acc(unit.out);
  const size_t first = s.a.size() - size_t(s.k); // the last lane's dot product
  std::vector<uint64_t> a(s.a.begin() + long(first), s.a.end()),
      b(s.b.begin() + long(first), s.b.end());
  engine.dot(acc, a.data(), b.data(), a.size());
  CHECK(c.acc == hex128(acc.code()));
  CHECK(acc.code() != 0);
}

TEST_CASE("a dot unit's energy per product tracks activity and is per product") {
  // The FP8 netlist test's unit: its toggle simulator is built once.
  const qmac::rtl::DotRtlUnit unit =
      qmac::rtl::parse_dot_rtl_unit("n=4,bits=14:e4m3fn:e4m3fn:fp32:p1");
  EnergyOptions o = shared_cache();
  const EnergyResult gaussian = estimate_energy(unit, o);
  CHECK(gaussian.macs == 2048);                           // products, not beats
  CHECK(gaussian.cycles == 2048 / 4 + unit.pipeline + 1); // and the drain
  CHECK(gaussian.per_mac == Approx(gaussian.logic + gaussian.registers + gaussian.clock));
  // The clock: every flip-flop, every cycle, over N products per cycle.
  CHECK(gaussian.clock ==
        Approx(kClockPerFlipFlop * double(gaussian.flip_flops) * double(gaussian.cycles) / 2048.0));
  o.stream.data = OperandData::Zero;
  const EnergyResult zero = estimate_energy(unit, o);
  CHECK(zero.logic < 0.05 * gaussian.logic);
  CHECK(zero.clock == Approx(gaussian.clock));
  o.stream.data = OperandData::LlmOutliers;
  const EnergyResult outliers = estimate_energy(unit, o);
  CHECK(outliers.logic != gaussian.logic);
  CHECK(outliers.logic > 0.5 * gaussian.logic);
}

TEST_CASE("a dot unit's energy is deterministic, cached, and refuses bad options") {
  const qmac::rtl::DotRtlUnit unit = qmac::rtl::parse_dot_rtl_unit("n=2:int8:int8:int32");
  EnergyOptions o = shared_cache(1024);
  o.stream.seed = 5;
  const EnergyResult first = estimate_energy(unit, o);
  const EnergyResult again = estimate_energy(unit, o);
  CHECK(again.from_cache);
  CHECK(again.per_mac == first.per_mac);
  CHECK(again.last_acc == first.last_acc);
  o.tools.synthesis.use_cache = false; // simulated again: the same counts
  const EnergyResult fresh = estimate_energy(unit, o);
  CHECK_FALSE(fresh.from_cache);
  CHECK(fresh.logic == first.logic);
  CHECK(fresh.registers == first.registers);
  o = shared_cache(1024);
  o.stream.seed = 6;
  CHECK(estimate_energy(unit, o).logic != first.logic);

  EnergyOptions bad = shared_cache();
  bad.stream.dataflow = Dataflow::WeightStationary;
  CHECK_THROWS_AS(estimate_energy(unit, bad), qmac::InputError);
  bad = shared_cache();
  bad.stream.k = 0;
  CHECK_THROWS_AS(estimate_energy(unit, bad), qmac::InputError);
  CHECK_THROWS_AS(
      count_toggles(dot_design(unit), dot_top_interface(), empty_beats(pe_top_interface(), 10), 1),
      qmac::InputError);
}
