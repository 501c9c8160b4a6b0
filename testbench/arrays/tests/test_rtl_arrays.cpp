// The lockstep check: each Verilated RTL array (testbench/arrays/arrays.txt)
// runs in one SystemC simulation with the SystemC array of the same
// configuration (qmac::sc::ArraySimulation: SystolicArray + GemmDriver), on
// the same clock, reset, beat and weight-write signals, with its own output
// signal. After every rising edge a checker compares the two outputs, every
// bit of every column, valid included, and records each side's last valid
// output. A second GemmDriver listens to the RTL's outputs only (its own
// outputs go nowhere) and so collects the RTL's results and cycle count on its
// own. Every GEMM must show no mismatch, the same cycle count on both sides
// (that of the analytical model), and the golden GEMM's registers and flags
// (products k = 0..K-1 from +0, one Accumulator::add each) on both sides.
//
// SystemC elaborates once per process, and every clock of a process ticks in
// every run: each ctest selects its arrays (sc_main options, stripped before
// Catch sees the rest):
//   --array "UNIT RxC ws|os"   a compiled array (repeatable)
//   --fault NAME               the faulty arrays with that fault (repeatable)
//   (neither)                  every compiled and every faulty array
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>

#include "lockstep.h"
#include "qmac/array/cycle_model.h"
#include "qmac/numerics/mac.h"
#include "qmac/sc/array_simulation.h"
#include "qmac/testing/skip.h"
#include "rtl_array.h"

using namespace qmac;
using array::ArrayConfig;
using array::Dataflow;
using array::Gemm;

namespace {

using rtl::OutputChecker;
using rtl::RandomPorts;

// A SystolicArray and a second RTL array of the same configuration on random
// port traffic, and the checker.
struct RandomRig {
  sc_core::sc_clock clk;
  sc_core::sc_signal<bool> rst;
  sc_core::sc_signal<sc::ArrayBeat> beat;
  sc_core::sc_signal<sc::WeightWrite> weights;
  sc_core::sc_signal<sc::ArrayOutput> systemc_out, rtl_out;
  sc::SystolicArray systemc;
  std::unique_ptr<rtl::RtlArray> rtl;
  RandomPorts ports;
  OutputChecker checker;

  RandomRig(const rtl::ArrayEntry& e, const std::string& name)
      : clk((name + "_clk").c_str(), 1, sc_core::SC_NS), rst((name + "_rst").c_str(), true),
        beat((name + "_beat").c_str(), sc::idle_beat(e.config)),
        weights((name + "_weights").c_str(), sc::idle_weights(e.config)),
        systemc_out((name + "_systemc_out").c_str(), sc::idle_output(e.config)),
        rtl_out((name + "_rtl_out").c_str(), sc::idle_output(e.config)),
        systemc((name + "_systemc").c_str(), e.config), rtl(e.make((name + "_rtl").c_str())),
        ports((name + "_ports").c_str(), e.config, 31), checker((name + "_check").c_str()) {
    for (auto* side : {&systemc.clk, &rtl->clk, &ports.clk, &checker.clk})
      (*side)(clk);
    systemc.rst(rst);
    systemc.in(beat);
    systemc.weights(weights);
    systemc.out(systemc_out);
    rtl->rst(rst);
    rtl->in(beat);
    rtl->weights(weights);
    rtl->out(rtl_out);
    ports.rst(rst);
    ports.beat(beat);
    ports.weights(weights);
    checker.rst(rst);
    checker.systemc(systemc_out);
    checker.rtl(rtl_out);
  }
};

// One array under test: the SystemC simulation, the RTL on its signals, the
// checker, and the driver that collects the RTL's results.
struct Lockstep {
  const rtl::ArrayEntry& entry;
  sc::ArraySimulation sim;
  sc_core::sc_signal<sc::ArrayOutput> rtl_out;
  sc_core::sc_signal<bool> shadow_rst;
  sc_core::sc_signal<sc::ArrayBeat> shadow_beat;
  sc_core::sc_signal<sc::WeightWrite> shadow_weights;
  std::unique_ptr<rtl::RtlArray> rtl;
  sc::GemmDriver shadow;
  OutputChecker checker;
  RandomRig random;

  Lockstep(const rtl::ArrayEntry& e, const std::string& name)
      : entry(e), sim(e.config, name),
        rtl_out((name + "_rtl_out").c_str(), sc::idle_output(e.config)),
        shadow_rst((name + "_shadow_rst").c_str()),
        shadow_beat((name + "_shadow_beat").c_str(), sc::idle_beat(e.config)),
        shadow_weights((name + "_shadow_weights").c_str(), sc::idle_weights(e.config)),
        rtl(e.make((name + "_rtl").c_str())), shadow((name + "_shadow").c_str(), e.config),
        checker((name + "_check").c_str()), random(e, name + "_random") {
    rtl->clk(sim.clock());
    rtl->rst(sim.reset());
    rtl->in(sim.beats());
    rtl->weights(sim.weight_writes());
    rtl->out(rtl_out);
    shadow.clk(sim.clock());
    shadow.rst(shadow_rst);
    shadow.beat(shadow_beat);
    shadow.weights(shadow_weights);
    shadow.out(rtl_out);
    checker.clk(sim.clock());
    checker.rst(sim.reset());
    checker.systemc(sim.outputs());
    checker.rtl(rtl_out);
  }
  std::string describe() const {
    return entry.key + (entry.fault.empty() ? "" : " (fault " + entry.fault + ")");
  }
};

struct Selection {
  std::vector<std::unique_ptr<Lockstep>> arrays, faulty;
};
Selection& selection() {
  static Selection s;
  return s;
}

std::string describe(const Gemm& g) {
  return "GEMM " + std::to_string(g.M) + "x" + std::to_string(g.K) + "x" + std::to_string(g.N);
}

// The golden GEMM: every output stepped through an Accumulator.
std::vector<AccState> golden(const ArrayConfig& cfg, const Gemm& g, const std::vector<uint32_t>& A,
                             const std::vector<uint32_t>& B) {
  Multiplier mul(cfg.a, cfg.b);
  Accumulator acc(cfg.acc);
  std::vector<AccState> out(g.M * g.N);
  for (uint64_t m = 0; m < g.M; ++m)
    for (uint64_t n = 0; n < g.N; ++n) {
      acc.clear();
      for (uint64_t k = 0; k < g.K; ++k)
        acc.add(mul(A[m * g.K + k], B[k * g.N + n]));
      out[m * g.N + n] = state_of(acc);
    }
  return out;
}

std::string first_difference(const std::vector<AccState>& want, const std::vector<AccState>& got,
                             uint64_t N) {
  if (want.size() != got.size()) return "got " + std::to_string(got.size()) + " outputs";
  size_t wrong = 0, first = 0;
  for (size_t i = want.size(); i-- > 0;)
    if (want[i] != got[i]) ++wrong, first = i;
  if (!wrong) return "";
  std::ostringstream os;
  os << wrong << " wrong outputs; first C[" << first / N << "][" << first % N << "] want "
     << want[first] << " got " << got[first];
  return os.str();
}

using rtl::Codes;

struct Outcome {
  uint64_t mismatches = 0;
  std::string first_mismatch;
};

// Runs one GEMM on both arrays. Checks everything unless `expect_fault`,
// which only reports what the checker saw.
Outcome run_gemm(Lockstep& ls, const Gemm& g, std::mt19937_64& rng, Codes codes = Codes::Uniform,
                 bool expect_fault = false) {
  const ArrayConfig& cfg = ls.entry.config;
  std::vector<uint32_t> A(g.M * g.K), B(g.K * g.N);
  for (auto& x : A)
    x = draw(cfg.a, codes, rng);
  for (auto& x : B)
    x = draw(cfg.b, codes, rng);
  ls.checker.begin_run();
  ls.shadow.start(g, A, B);
  std::vector<AccState> got;
  const array::ArrayRun run = ls.sim.run(g, A, B, &got);
  ls.checker.check(); // the edge the run paused on
  Outcome outcome{ls.checker.mismatches(), ls.checker.first_mismatch()};
  if (expect_fault) return outcome;

  INFO(ls.describe() << " " << describe(g));
  if (outcome.mismatches)
    FAIL_CHECK(outcome.mismatches << " cycles differ; " << outcome.first_mismatch);
  CHECK(run.cycles == array::analytic_run(cfg, g).cycles);
  CHECK(ls.checker.last_valid(0) == int64_t(run.cycles));
  CHECK(ls.checker.last_valid(1) == int64_t(run.cycles));
  REQUIRE(ls.shadow.done());
  CHECK(ls.shadow.run().cycles == run.cycles);
  const std::vector<AccState> want = golden(cfg, g, A, B);
  const std::string systemc_wrong = first_difference(want, got, g.N);
  const std::string rtl_wrong = first_difference(want, ls.shadow.results(), g.N);
  if (!systemc_wrong.empty()) FAIL_CHECK("SystemC array: " << systemc_wrong);
  if (!rtl_wrong.empty()) FAIL_CHECK("RTL array: " << rtl_wrong);
  return outcome;
}

// Runs `cycles` edges of random port traffic; returns the mismatches (and
// requires some valid outputs, so that the traffic reached the outputs).
Outcome run_random(Lockstep& ls, uint64_t cycles, int beat_percent, bool expect_fault = false) {
  RandomRig& rig = ls.random;
  rig.ports.set_density(beat_percent);
  rig.checker.begin_run();
  uint64_t valid = 0;
  for (uint64_t i = 0; i < cycles; ++i) {
    sc_core::sc_start(1, sc_core::SC_NS);
    rig.checker.check();
    valid += rig.systemc_out.read().valid;
  }
  Outcome outcome{rig.checker.mismatches(), rig.checker.first_mismatch()};
  if (!expect_fault) {
    INFO(ls.describe() << ": " << cycles << " cycles of random port traffic, " << beat_percent
                       << "% beats");
    CHECK(valid > 0);
    if (outcome.mismatches)
      FAIL_CHECK(outcome.mismatches << " cycles differ; " << outcome.first_mismatch);
  }
  return outcome;
}

std::vector<Lockstep*> lockstep_arrays() {
  std::vector<Lockstep*> v;
  for (auto& ls : selection().arrays)
    v.push_back(ls.get());
  return v;
}

// Arrays of more than 64 PEs (the benchmark sizes) run fewer GEMMs.
bool small(const Lockstep& ls) {
  return ls.entry.config.pes() <= 64;
}

} // namespace

// SystemC's library owns main() and calls sc_main.
int sc_main(int argc, char** argv) {
  std::vector<char*> catch_args = {argv[0]};
  std::vector<std::string> keys, faults;
  bool listing = false;
  for (int i = 1; i < argc; ++i) {
    if ((!std::strcmp(argv[i], "--array") || !std::strcmp(argv[i], "--fault")) && i + 1 < argc) {
      (argv[i][2] == 'a' ? keys : faults).push_back(argv[i + 1]);
      ++i;
      continue;
    }
    if (!std::strncmp(argv[i], "--list", 6)) listing = true;
    catch_args.push_back(argv[i]);
  }
  // Elaborate everything before the first sc_start (nothing for a listing).
  if (!listing) {
    const bool all = keys.empty() && faults.empty();
    try {
      for (const std::string& key : keys) {
        const rtl::ArrayEntry* e = rtl::find_compiled_array(rtl::parse_array_key(key));
        if (!e) throw InputError("array '" + key + "' is not compiled in");
        selection().arrays.push_back(
            std::make_unique<Lockstep>(*e, "a" + std::to_string(selection().arrays.size())));
      }
      if (all)
        for (const rtl::ArrayEntry& e : rtl::compiled_arrays())
          selection().arrays.push_back(
              std::make_unique<Lockstep>(e, "a" + std::to_string(selection().arrays.size())));
      size_t found = 0;
      for (const rtl::ArrayEntry& e : rtl::faulty_arrays()) {
        bool wanted = all;
        for (const std::string& f : faults)
          wanted = wanted || f == e.fault;
        if (!wanted) continue;
        ++found;
        selection().faulty.push_back(
            std::make_unique<Lockstep>(e, "f" + std::to_string(selection().faulty.size())));
      }
      if (!faults.empty() && !found) throw InputError("no faulty array has that fault");
    } catch (const std::exception& e) {
      std::cerr << "qmac_test_rtl_arrays: " << e.what() << "\n";
      return 2;
    }
  }
  return Catch::Session().run(int(catch_args.size()), catch_args.data());
}

TEST_CASE("registry: canonical keys, lookup by configuration", "[registry]") {
  REQUIRE(!rtl::compiled_arrays().empty());
  for (const rtl::ArrayEntry& e : rtl::compiled_arrays()) {
    INFO(e.key);
    CHECK(rtl::array_key(e.config) == e.key);
    CHECK(rtl::find_compiled_array(rtl::parse_array_key(e.key)) == &e);
    CHECK(e.fault.empty());
  }
  for (const rtl::ArrayEntry& e : rtl::faulty_arrays()) {
    INFO(e.key);
    CHECK(!e.fault.empty());
    CHECK(rtl::array_key(e.config) == e.key);
  }
  // Another pipeline depth, size or dataflow is another array.
  ArrayConfig c = rtl::parse_array_key("int8:int8:int32 4x4 ws");
  REQUIRE(rtl::find_compiled_array(c) != nullptr);
  c.pipeline = 3;
  CHECK(rtl::find_compiled_array(c) == nullptr);
  CHECK(rtl::find_compiled_array(rtl::parse_array_key("int8:int8:int32 4x5 ws")) == nullptr);
  CHECK(rtl::parse_array_key("e4m3fn:e4m3fn:fp16:p2 4x3 ws").pipeline == 2);
  CHECK(rtl::array_key(rtl::parse_array_key("int8:int8:int16:p1:sat 3x2 os")) ==
        "int8:int8:int16:sat 3x2 os");
  CHECK_THROWS_AS(rtl::parse_array_key("int8:int8:int32 4x4"), InputError);
  CHECK_THROWS_AS(rtl::parse_array_key("int8:int8:int32 0x4 ws"), InputError);
  CHECK_THROWS_AS(rtl::parse_array_key("int8:int8:int32 4x4 xs"), InputError);
  CHECK_THROWS_AS(rtl::parse_array_key("int8:int8:int32:p5 4x4 ws"), InputError);
}

TEST_CASE("lockstep: shapes around the array size", "[lockstep]") {
  std::mt19937_64 rng(21);
  REQUIRE(!lockstep_arrays().empty());
  for (Lockstep* ls : lockstep_arrays()) {
    if (!small(*ls)) continue;
    for (const Gemm& g : rtl::shapes_around(ls->entry.config))
      run_gemm(*ls, g, rng);
  }
}

TEST_CASE("lockstep: random shapes", "[lockstep]") {
  std::mt19937_64 rng(22);
  const int per_array = 100 * QMAC_TEST_SCALE;
  for (Lockstep* ls : lockstep_arrays())
    for (int j = 0; j < (small(*ls) ? per_array : 0); ++j)
      run_gemm(*ls, Gemm{1 + rng() % 40, 1 + rng() % 40, 1 + rng() % 40}, rng);
}

TEST_CASE("lockstep: long sums: overflow, saturation, Inf and NaN", "[lockstep]") {
  std::mt19937_64 rng(23);
  for (Lockstep* ls : lockstep_arrays()) {
    if (!small(*ls)) continue;
    const uint64_t R = ls->entry.config.rows, C = ls->entry.config.cols;
    run_gemm(*ls, Gemm{3, 200, 2}, rng);
    run_gemm(*ls, Gemm{R + 1, 300, C + 1}, rng, Codes::Large);
    run_gemm(*ls, Gemm{2, 1000, 1}, rng, Codes::Large);
  }
}

TEST_CASE("lockstep: random port traffic", "[lockstep]") {
  for (Lockstep* ls : lockstep_arrays()) {
    if (!small(*ls)) continue;
    run_random(*ls, 20000 * QMAC_TEST_SCALE, 60);
    run_random(*ls, 5000, 100); // a beat on every edge
    run_random(*ls, 5000, 8);   // sparse
  }
}

TEST_CASE("lockstep: a waveform of the RTL array", "[waveform]") {
  std::mt19937_64 rng(26);
  REQUIRE(!lockstep_arrays().empty());
  for (Lockstep* ls : lockstep_arrays()) {
    const std::string path = "rtl_array_trace_" + std::to_string(rng() % 1000000) + ".vcd";
    try {
      ls->rtl->start_trace(path);
    } catch (const std::logic_error&) {
      QMAC_SKIP(ls->describe() << " is built without --trace (arrays.txt: mark it `trace`)");
    }
    run_gemm(*ls, Gemm{3, 5, 4}, rng);
    ls->rtl->stop_trace();
    std::ifstream vcd(path);
    std::string text((std::istreambuf_iterator<char>(vcd)), std::istreambuf_iterator<char>());
    CHECK(text.find("$enddefinitions") != std::string::npos);
    CHECK(text.find("#10") != std::string::npos);
    std::remove(path.c_str());
  }
}

TEST_CASE("lockstep: benchmark sizes", "[bench]") {
  std::mt19937_64 rng(24);
  REQUIRE(!lockstep_arrays().empty());
  for (Lockstep* ls : lockstep_arrays()) {
    const uint64_t R = ls->entry.config.rows, C = ls->entry.config.cols;
    run_gemm(*ls, Gemm{1, 1, 1}, rng);
    run_gemm(*ls, Gemm{R, R, C}, rng);
    run_gemm(*ls, Gemm{R + 1, 2 * R + 1, C + 1}, rng);
    run_gemm(*ls, Gemm{2 * R + 3, R - (R > 1), 2 * C - 1}, rng);
    run_random(*ls, 3000, 60);
    run_gemm(*ls, Gemm{3, 20 * R, 2}, rng, Codes::Large);
  }
}

TEST_CASE("a broken RTL array is caught", "[fault]") {
  REQUIRE(!selection().faulty.empty());
  std::mt19937_64 rng(25);
  for (auto& ls : selection().faulty) {
    const uint64_t R = ls->entry.config.rows, C = ls->entry.config.cols;
    Outcome o;
    for (int j = 0; j < 50 && !o.mismatches; ++j)
      o = run_gemm(*ls, Gemm{R + 1 + rng() % (2 * R), 1 + rng() % (3 * R), C + 1 + rng() % C}, rng,
                   Codes::Uniform, true);
    INFO(ls->describe());
    CHECK(o.mismatches > 0);
    if (o.mismatches)
      std::cout << ls->describe() << ": GEMMs: caught, " << o.mismatches << " cycles differ; "
                << o.first_mismatch << "\n";
    const Outcome r = run_random(*ls, 2000, 60, true);
    CHECK(r.mismatches > 0);
    if (r.mismatches)
      std::cout << ls->describe() << ": random traffic: caught, " << r.mismatches
                << " cycles differ; " << r.first_mismatch << "\n";
  }
}
