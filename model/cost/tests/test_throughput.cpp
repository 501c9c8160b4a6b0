// Throughput arithmetic: the frequency estimate and the per-area and
// per-energy figures derived from it.
#include <catch2/catch.hpp>

#include "qmac/cost/throughput.h"

using namespace qmac::cost;

TEST_CASE("the clock estimate: 30 ps per gate level plus three levels of flip-flop") {
  CHECK(frequency_ghz(30) == Approx(1000.0 / (33 * 30)));
  CHECK(frequency_ghz(10) > frequency_ghz(11)); // a shorter path clocks faster
}

TEST_CASE("efficiency: two operations per MAC, per million NAND2, per pJ") {
  const Efficiency e = efficiency(256, 1.0, 256 * 2000.0, 0.5);
  CHECK(e.tops == Approx(0.512)); // 256 MACs/cycle at 1 GHz
  CHECK(e.tops_per_mnand2 == Approx(0.512 / 0.512));
  CHECK(e.tops_per_watt == Approx(4.0)); // 2 operations per 0.5 pJ
  const Efficiency unknown = efficiency(1, 1.0, 0, 0);
  CHECK(unknown.tops_per_mnand2 == 0);
  CHECK(unknown.tops_per_watt == 0);
}
