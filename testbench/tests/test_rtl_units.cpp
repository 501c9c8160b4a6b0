// The unit descriptors and the checkers themselves: unit names, parameters,
// latency, the exhaustive multiplier proof, and that broken RTL is caught.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <unistd.h>

#include "check.h"
#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

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

// A field of a format vector, read back as the RTL's macros read it.
long long vector_field(uint64_t v, int at, int bits, bool is_signed = false) {
  const uint64_t raw = (v >> at) & ((uint64_t(1) << bits) - 1);
  return is_signed && (raw >> (bits - 1)) ? (long long)raw - (1LL << bits) : (long long)raw;
}

TEST_CASE("format vectors carry the Format descriptor's fields") {
  const Unit u = parse_unit("e4m3fnuz:int8:fx+12:p2");
  const uint64_t a = format_vector(u.a), b = format_vector(u.b), acc = accumulator_vector(u.acc);
  CHECK(vector_field(a, fv::kKindAt, 4) == 1);
  CHECK(vector_field(a, fv::kBitsAt, 8) == 8);
  CHECK(vector_field(a, fv::kSignedAt, 4) == 1);
  CHECK(vector_field(a, fv::kExpBitsAt, 8) == 4);
  CHECK(vector_field(a, fv::kManBitsAt, 8) == 3);
  CHECK(vector_field(a, fv::kBiasAt, 16, true) == 8);
  CHECK(vector_field(a, fv::kSpecialsAt, 4) == 2); // fnuz
  CHECK(vector_field(b, fv::kKindAt, 4) == 0);
  CHECK(vector_field(b, fv::kBitsAt, 8) == 8);
  CHECK(vector_field(acc, fv::kAccKindAt, 2) == 2); // fx+G
  CHECK(vector_field(acc, fv::kBitsAt, 8) == u.acc.register_bits());
  // Negative fields are two's complement: an integer format scaled by 2^-6
  // (mxint8's elements) and a float with a negative bias.
  const Format scaled = [] {
    Format f = parse_format("int8");
    f.lsb_exp = -6;
    return f;
  }();
  CHECK(vector_field(format_vector(scaled), fv::kLsbAt, 8, true) == -6);
  CHECK(vector_field(format_vector(parse_format("e3m2_b-2")), fv::kBiasAt, 16, true) == -2);
  // fp16 with saturation and flush: its float format plus the flags.
  const AccumulatorSpec fp16 =
      parse_accumulator("fp16", parse_format("e4m3fn"), parse_format("e4m3fn"), true, true);
  const uint64_t h = accumulator_vector(fp16);
  CHECK(vector_field(h, fv::kKindAt, 4) == 1);
  CHECK(vector_field(h, fv::kAccKindAt, 2) == 1);
  CHECK(vector_field(h, fv::kBitsAt, 8) == 16);
  CHECK(vector_field(h, fv::kExpBitsAt, 8) == 5);
  CHECK(vector_field(h, fv::kManBitsAt, 8) == 10);
  CHECK(vector_field(h, fv::kBiasAt, 16, true) == 15);
  CHECK(vector_field(h, fv::kSaturateAt, 1) == 1);
  CHECK(vector_field(h, fv::kFlushAt, 1) == 1);
  auto params = pe_parameters(u);
  REQUIRE(params.size() == 4);
  CHECK(params[0].first == "A");
  CHECK(params[3] == std::make_pair(std::string("PIPELINE"), std::string("2")));
}

// rtl/qmac_format.vh as text: its `define NAME VALUE lines and the bit
// ranges its field macros read.
std::map<std::string, std::string> verilog_defines() {
  std::ifstream in(QMAC_RTL_DIR "/qmac_format.vh");
  REQUIRE(in);
  std::map<std::string, std::string> defines;
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(`define (\w+)(\(f\))? (.*))")))
      defines[m[1]] = m[3];
  }
  return defines;
}

TEST_CASE("qmac_format.vh's codes and field positions are the C++ side's") {
  const auto d = verilog_defines();
  auto code = [&](const char* name) { return std::stoi(d.at(name)); };
  CHECK(code("QMAC_INT") == int(Kind::Integer));
  CHECK(code("QMAC_FLOAT") == int(Kind::Float));
  CHECK(code("QMAC_FLINT") == int(Kind::Flint));
  CHECK(code("QMAC_IEEE") == int(Specials::Ieee));
  CHECK(code("QMAC_FN") == int(Specials::Fn));
  CHECK(code("QMAC_FNUZ") == int(Specials::Fnuz));
  CHECK(code("QMAC_FIN") == int(Specials::Fin));
  CHECK(code("QMAC_ACC_INT") == int(AccKind::Integer));
  CHECK(code("QMAC_ACC_FLOAT") == int(AccKind::Float));
  CHECK(code("QMAC_ACC_FIXED") == int(AccKind::Fixed));
  // Each field macro reads f[HI:LO] (or f[BIT]) last, after any sign
  // extension; the C++ packs the same bits.
  auto range = [&](const char* name) {
    const std::string& text = d.at(name);
    const std::regex field(R"(f\[(\d+)(:(\d+))?\])");
    std::smatch last;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), field);
         it != std::sregex_iterator(); ++it)
      last = *it;
    REQUIRE(!last.empty());
    const int hi = std::stoi(last[1]), lo = last[3].matched ? std::stoi(last[3]) : hi;
    return std::make_pair(lo, hi - lo + 1);
  };
  CHECK(range("QMAC_KIND") == std::make_pair(fv::kKindAt, 4));
  CHECK(range("QMAC_ACC_KIND") == std::make_pair(fv::kAccKindAt, 2));
  CHECK(range("QMAC_SATURATE") == std::make_pair(fv::kSaturateAt, 1));
  CHECK(range("QMAC_FLUSH") == std::make_pair(fv::kFlushAt, 1));
  CHECK(range("QMAC_SIGNED") == std::make_pair(fv::kSignedAt, 4));
  CHECK(range("QMAC_SPECIALS") == std::make_pair(fv::kSpecialsAt, 4));
  CHECK(range("QMAC_BITS") == std::make_pair(fv::kBitsAt, 8));
  CHECK(range("QMAC_EXP_BITS") == std::make_pair(fv::kExpBitsAt, 8));
  CHECK(range("QMAC_MAN_BITS") == std::make_pair(fv::kManBitsAt, 8));
  CHECK(range("QMAC_LSB") == std::make_pair(fv::kLsbAt, 8));
  CHECK(range("QMAC_BIAS") == std::make_pair(fv::kBiasAt, 16));
  // The modules' defaults are the vectors of e4m3fn and an fp32 accumulator.
  const Format e4m3fn = parse_format("e4m3fn");
  // A vector as the header writes its literals: 64'hXXXX_XXXX_XXXX_XXXX.
  auto literal = [](uint64_t v) {
    char text[32];
    std::snprintf(text, sizeof text, "64'h%04llx_%04llx_%04llx_%04llx",
                  (unsigned long long)(v >> 48), (unsigned long long)(v >> 32 & 0xffff),
                  (unsigned long long)(v >> 16 & 0xffff), (unsigned long long)(v & 0xffff));
    return std::string(text);
  };
  CHECK(d.at("QMAC_FORMAT_E4M3FN") == literal(format_vector(e4m3fn)));
  CHECK(d.at("QMAC_ACC_FP32") ==
        literal(accumulator_vector(parse_accumulator("fp32", e4m3fn, e4m3fn))));
}

// Latency as documented in rtl/qmac_pe.v, from first principles: one beat, then
// bubbles; the register changes exactly PIPELINE + 1 edges after the beat.
TEST_CASE("PE latency is PIPELINE + 1 cycles, in the RTL and its golden twin") {
  for (const auto& e : compiled_units()) {
    Unit u = parse_unit(e.name);
    if (u.acc.kind != AccKind::Integer || u.a.kind != Kind::Integer) continue;
    INFO(e.name);
    auto pe = e.make_pe();
    array::PeCycleModel golden = golden_pe(u);
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
