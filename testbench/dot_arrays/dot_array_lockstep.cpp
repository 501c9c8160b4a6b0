// The lockstep check of one Verilated rtl/qmac_dot_array.v configuration
// (compiled in: QMAC_DOT_ARRAY_TOP, its unit and size) against the SystemC
// dot array, qmac::sc::DotArray: both in one SystemC simulation on one
// clock, the SystemC GEMM driver feeding both the same beats, every output
// bit compared on every falling edge, and every GEMM's results against the
// golden dot GEMM.
//
//   qmac_dot_array_lockstep_X GEMMS SEED [--expect-mismatch]
//
// Random GEMM shapes around the array and block size, codes uniform over
// each format (NaN and Inf included). Prints the configuration, GEMMs,
// edges, mismatches and edges per second; exit status 1 on a mismatch (0
// with --expect-mismatch, which a planted fault's build runs: the check of
// the checker), 2 on bad usage.
// (The Verilated model first: see verilated_dot_array.h.)
#include QMAC_DOT_ARRAY_HEADER
#include "verilated_dot_array.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>

#include <systemc>

#include "qmac/sc/dot_array_simulation.h"
#include "qmac/units/dot_rtl_unit.h"

namespace {

using namespace sc_core;

struct Checker : sc_module {
  sc_in<bool> clk;
  sc_in<qmac::sc::DotArrayOutput> golden, rtl;
  uint64_t edges = 0, mismatches = 0;
  std::string first;

  explicit Checker(sc_module_name name) : sc_module(name) {
    SC_HAS_PROCESS(Checker);
    SC_METHOD(on_falling_edge);
    sensitive << clk.neg();
    dont_initialize();
  }
  void on_falling_edge() {
    ++edges;
    if (golden.read() == rtl.read()) return;
    if (first.empty()) {
      std::ostringstream os;
      os << "edge " << edges << ": SystemC " << golden.read() << " | RTL " << rtl.read();
      first = os.str();
    }
    ++mismatches;
  }
};

} // namespace

int sc_main(int argc, char** argv) {
  const bool expect_mismatch = argc == 4 && std::string(argv[3]) == "--expect-mismatch";
  if (argc != 3 && !expect_mismatch) {
    std::fprintf(stderr, "usage: %s GEMMS SEED [--expect-mismatch]\n", argv[0]);
    return 2;
  }
  try {
    const uint64_t gemms = std::stoull(argv[1]), seed = std::stoull(argv[2]);
    const qmac::rtl::DotRtlUnit u = qmac::rtl::parse_dot_rtl_unit(QMAC_DOT_ARRAY_UNIT);
    const qmac::array::DotArrayConfig config =
        qmac::array::dot_array_config(u.name.substr(0, u.name.find(':')), u.input_a(), u.input_b(),
                                      u.out, QMAC_DOT_ARRAY_ROWS, QMAC_DOT_ARRAY_COLS, u.pipeline);

    qmac::sc::DotArraySimulation sim(config, "sc");
    qmac::rtl::VerilatedDotArray<QMAC_DOT_ARRAY_TOP> rtl("rtl", config);
    sc_signal<qmac::sc::DotArrayOutput> rtl_out("rtl_out", qmac::sc::idle_dot_output(config));
    rtl.clk(sim.clock());
    rtl.rst(sim.reset());
    rtl.in(sim.beats());
    rtl.out(rtl_out);
    Checker check("check");
    check.clk(sim.clock());
    check.golden(sim.outputs());
    check.rtl(rtl_out);

    std::mt19937_64 rng(seed);
    const uint64_t n = uint64_t(config.unit.n);
    uint64_t wrong_results = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t g = 0; g < gemms; ++g) {
      const qmac::array::Gemm shape{1 + rng() % (2 * config.rows + 1), 1 + rng() % (5 * n + 3),
                                    1 + rng() % (2 * config.cols + 1)};
      std::vector<uint32_t> A(shape.M * shape.K), B(shape.K * shape.N);
      for (auto& x : A)
        x = uint32_t(rng() & config.a.code_mask());
      for (auto& x : B)
        x = uint32_t(rng() & config.b.code_mask());
      std::vector<uint64_t> results;
      sim.run(shape, A, B, &results);
      if (results != qmac::sc::golden_dot_gemm(config, shape, A, B)) ++wrong_results;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s %ux%u%s: %llu GEMMs, %llu edges, %llu mismatches, %.3g edges/s\n",
                QMAC_DOT_ARRAY_UNIT, config.rows, config.cols,
                expect_mismatch ? " (planted fault)" : "", (unsigned long long)gemms,
                (unsigned long long)check.edges, (unsigned long long)check.mismatches,
                s > 0 ? double(check.edges) / s : 0.0);
    if (!check.first.empty()) std::printf("first mismatch at %s\n", check.first.c_str());
    if (wrong_results)
      std::printf("%llu GEMMs differ from the golden dot GEMM\n",
                  (unsigned long long)wrong_results);
    const bool failed = check.mismatches > 0 || wrong_results > 0 || check.edges == 0;
    return expect_mismatch ? (check.mismatches > 0 ? 0 : 1) : (failed ? 1 : 0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 2;
  }
}
