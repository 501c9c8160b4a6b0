// The unit descriptors and the checkers themselves: unit names, parameters,
// latency, the exhaustive multiplier proof, and that broken RTL is caught.
#include <catch2/catch.hpp>

#include <cstdio>
#include <set>
#include <unistd.h>

#include "check.h"
#include "golden_pe.h"
#include "rtl_model.h"
#include "qmac/units/rtl_unit.h"

using namespace qmac;
using namespace qmac::rtl;

TEST_CASE("every compiled unit has a canonical name and its own module") {
  std::set<std::string> modules;
  REQUIRE(compiled_units().size() >= 5);
  for (const auto& e : compiled_units()) {
    INFO(e.name);
    CHECK(parse_unit(e.name).name == e.name);
    CHECK(modules.insert(module_name(e.name)).second);
  }
}

TEST_CASE("unit names: options, canonical spelling and refusals") {
  Unit u = parse_unit("float8_e4m3fn:e4m3fn:fp16:p3:sat");
  CHECK(u.name == "e4m3fn:e4m3fn:fp16:p3:sat");
  CHECK(u.pipeline == 3);
  CHECK(u.acc.saturate);
  CHECK(parse_unit("int8:int4:int32").pipeline == 1);
  for (const char* bad : {"e4m3fn", "e4m3fn:e4m3fn", "e4m3fn:e4m3fn:fp99", "e8m0fnu:e4m3fn:fp32",
                          "fp32:fp32:fp32", "e4m3fn:e4m3fn:fx+12:sat", "int8:int8:int32:ftz",
                          "e4m3fn:e4m3fn:fp16:p9", "e4m3fn:e4m3fn:fp16:fast", "e5m2:e5m2:fx+80"})
    CHECK_THROWS_AS(parse_unit(bad), InputError);
}

TEST_CASE("qmac_pe parameters follow the Format descriptor") {
  auto params = pe_parameters(parse_unit("e4m3fnuz:e5m2:fx+12:p2"));
  auto get = [&](const std::string& k) {
    for (auto& [name, v] : params)
      if (name == k) return v;
    FAIL("no parameter " << k);
    return 0LL;
  };
  CHECK(get("A_KIND") == 1);
  CHECK(get("A_BIAS") == 8);
  CHECK(get("A_SPECIALS") == 2); // fnuz
  CHECK(get("B_SPECIALS") == 0); // ieee
  CHECK(get("B_MAN_BITS") == 2);
  CHECK(get("ACC_KIND") == 2);
  CHECK(get("ACC_WIDTH") ==
        parse_accumulator("fx+12", parse_format("e4m3fnuz"), parse_format("e5m2")).width);
  CHECK(get("PIPELINE") == 2);
}

// Latency as documented in rtl/qmac_pe.v, from first principles: one beat, then
// bubbles; the register changes exactly PIPELINE + 1 edges after the beat.
TEST_CASE("PE latency is PIPELINE + 1 cycles, in the RTL and its golden twin") {
  for (const auto& e : compiled_units()) {
    Unit u = parse_unit(e.name);
    if (u.acc.kind != AccKind::Integer || u.a.kind != Kind::Integer) continue;
    INFO(e.name);
    auto pe = e.make_pe();
    GoldenPe golden(u);
    pe->reset();
    golden.reset();
    std::vector<Beat> beats{Beat{true, true, 3, 5}};
    beats.resize(6, Beat{});
    int rtl_change = -1, golden_change = -1;
    for (int c = 0; c < int(beats.size()); ++c) {
      if (pe->cycle(beats[size_t(c)]).reg[0] == 15 && rtl_change < 0) rtl_change = c;
      if (golden.cycle(beats[size_t(c)]).reg[0] == 15 && golden_change < 0) golden_change = c;
    }
    CHECK(rtl_change == u.pipeline);
    CHECK(golden_change == u.pipeline);
  }
}

TEST_CASE("the multiplier bank equals qmac::multiply on every pair of codes") {
  CheckReport r = check_multiplier_bank();
  uint64_t expected = 0;
  for (const auto& a : multiplier_bank_formats())
    for (const auto& b : multiplier_bank_formats())
      expected += uint64_t(1) << (parse_format(a).bits + parse_format(b).bits);
  CHECK(r.vectors == expected);
  CHECK(r.mismatches == 0);
}

// The step proof reports how many triples it compared (counted as it compares
// them): every (a, b) pair for every 509th accumulator state.
uint64_t triples_in_slice(const Unit& u, uint32_t stride) {
  return ((uint64_t(1) << u.acc.format.bits) + stride - 1) / stride *
         (uint64_t(1) << (u.a.bits + u.b.bits));
}

TEST_CASE("the exhaustive step checker runs every (a, b) for a slice of states") {
  int steps = 0;
  for (const auto& e : compiled_units()) {
    if (!e.make_step) continue;
    INFO(e.name);
    ++steps;
    CheckReport r = check_step_exhaustive(e, 2, {}, 509);
    CHECK(r.vectors == triples_in_slice(parse_unit(e.name), 509));
    CHECK(r.mismatches == 0);
  }
  CHECK(steps >= 3);
}

TEST_CASE("the exhaustive step checker rejects a broken step") {
  int broken = 0;
  for (const auto& e : faulty_units()) {
    if (!e.make_step) continue;
    INFO(e.fault);
    ++broken;
    CheckReport r = check_step_exhaustive(e, 2, {}, 509);
    CHECK(r.vectors == triples_in_slice(parse_unit(e.name), 509));
    CHECK(r.mismatches > 0);
    REQUIRE(r.first);
    CHECK(r.first->expected != r.first->got);
  }
  CHECK(broken >= 1);
}

TEST_CASE("broken RTL fails the cross-check and leaves a waveform") {
  // One fault per module family: float and fixed accumulation, saturation,
  // the multiplier, and the int, float and flint decoders.
  REQUIRE(faulty_units().size() >= 8);
  for (const auto& e : faulty_units()) {
    INFO(e.fault);
    char dir[] = "/tmp/qmac_wave_XXXXXX";
    REQUIRE(mkdtemp(dir));
    CheckReport r = check_pe(e, 50000, 1, dir);
    CHECK(r.mismatches > 0);
    REQUIRE(r.first);
    CHECK(r.first->expected != r.first->got);
    REQUIRE(!r.waveform.empty());
    std::FILE* f = std::fopen(r.waveform.c_str(), "r");
    REQUIRE(f);
    char head[16] = {};
    CHECK(std::fread(head, 1, 5, f) == 5);
    std::fclose(f);
    CHECK(std::string(head).rfind("$", 0) == 0); // a VCD starts with a $ section
  }
}
