// The SystemC arrays run GEMMs of many shapes (dividing the array size and
// not, smaller and larger than it) and must
//  - give every output register and flag of the golden GEMM: each output the
//    products k = 0..K-1 in order from +0, one Accumulator::add each (the
//    Accumulator is checked against MPFR and Boost.Multiprecision elsewhere);
//  - take exactly the cycles and buffer traffic of the analytical model.
// Codes are uniform over each format, NaN and Inf codes included.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <sstream>

#include "qmac/array/cycle_model.h"
#include "qmac/numerics/mac.h"
#include "qmac/sc/array_simulation.h"

using namespace qmac;
using array::ArrayConfig;
using array::Dataflow;
using array::Gemm;

namespace {

struct Case {
  const char* a;
  const char* b;
  const char* acc;
  uint32_t rows, cols;
  Dataflow dataflow;
  int pipeline;
};

// Every simulation the tests use, elaborated before the first run.
const std::vector<Case> kCases = {
    {"int8", "int8", "int32", 4, 4, Dataflow::WeightStationary, 1},
    {"int8", "int8", "int32", 4, 4, Dataflow::OutputStationary, 1},
    {"int8", "int8", "int16", 3, 5, Dataflow::WeightStationary, 0},
    {"int8", "int8", "int16", 5, 3, Dataflow::OutputStationary, 2},
    {"e4m3fn", "e4m3fn", "fp16", 4, 3, Dataflow::WeightStationary, 2},
    {"e4m3fn", "e4m3fn", "fp16", 3, 4, Dataflow::OutputStationary, 0},
    {"e5m2", "e4m3fn", "bf16", 2, 6, Dataflow::WeightStationary, 3},
    {"e5m2", "e5m2", "fx+12", 6, 2, Dataflow::OutputStationary, 1},
    {"e4m3", "e4m3", "fp32", 1, 1, Dataflow::WeightStationary, 1},
    {"flint8", "flint8", "int32", 1, 1, Dataflow::OutputStationary, 1},
    {"float4_e2m1fn", "int8", "fx+4", 1, 7, Dataflow::WeightStationary, 0},
    {"e4m3fnuz", "e4m3fnuz", "fp16", 7, 1, Dataflow::OutputStationary, 3},
    {"int4", "int4", "int8", 8, 8, Dataflow::WeightStationary, 1},
    {"e3m4", "e3m4", "e5m10fn", 8, 8, Dataflow::OutputStationary, 1},
};

ArrayConfig config_of(const Case& c) {
  ArrayConfig cfg;
  cfg.rows = c.rows;
  cfg.cols = c.cols;
  cfg.dataflow = c.dataflow;
  cfg.pipeline = c.pipeline;
  cfg.a = parse_format(c.a);
  cfg.b = parse_format(c.b);
  cfg.acc = parse_accumulator(c.acc, cfg.a, cfg.b);
  return cfg;
}

std::vector<std::unique_ptr<sc::ArraySimulation>>& simulations() {
  static std::vector<std::unique_ptr<sc::ArraySimulation>> sims;
  if (sims.empty())
    for (size_t i = 0; i < kCases.size(); ++i)
      sims.push_back(
          std::make_unique<sc::ArraySimulation>(config_of(kCases[i]), "sim" + std::to_string(i)));
  return sims;
}

std::string describe(const Case& c, const Gemm& g) {
  std::ostringstream os;
  os << c.a << "x" << c.b << "->" << c.acc << " " << c.rows << "x" << c.cols << " "
     << (c.dataflow == Dataflow::WeightStationary ? "ws" : "os") << " p" << c.pipeline << " GEMM "
     << g.M << "x" << g.K << "x" << g.N;
  return os.str();
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

void run_and_check(size_t index, const Gemm& g, std::mt19937_64& rng) {
  const Case& c = kCases[index];
  sc::ArraySimulation& sim = *simulations()[index];
  const ArrayConfig& cfg = sim.config();
  std::vector<uint32_t> A(g.M * g.K), B(g.K * g.N);
  for (auto& x : A)
    x = uint32_t(rng() & cfg.a.code_mask());
  for (auto& x : B)
    x = uint32_t(rng() & cfg.b.code_mask());
  std::vector<AccState> got;
  const array::ArrayRun run = sim.run(g, A, B, &got);
  const array::ArrayRun model = array::analytic_run(cfg, g);
  INFO(describe(c, g));
  CHECK(run.cycles == model.cycles);
  CHECK(run.tiles == model.tiles);
  CHECK(run.macs == g.M * g.K * g.N);
  CHECK(run.traffic.a_reads == model.traffic.a_reads);
  CHECK(run.traffic.b_reads == model.traffic.b_reads);
  CHECK(run.traffic.acc_reads == model.traffic.acc_reads);
  CHECK(run.traffic.acc_writes == model.traffic.acc_writes);
  const std::vector<AccState> want = golden(cfg, g, A, B);
  size_t wrong = 0, first = 0;
  for (size_t i = want.size(); i-- > 0;)
    if (want[i] != got[i]) ++wrong, first = i;
  if (wrong) {
    std::ostringstream os;
    os << wrong << " wrong outputs; first C[" << first / g.N << "][" << first % g.N << "] want "
       << want[first] << " got " << got[first];
    FAIL_CHECK(os.str());
  }
}

} // namespace

// SystemC's library owns main() and calls sc_main.
int sc_main(int argc, char** argv) {
  simulations(); // elaborate everything before the first sc_start
  return Catch::Session().run(argc, argv);
}

TEST_CASE("shapes around the array size: bit-exact and cycle-exact") {
  std::mt19937_64 rng(11);
  for (size_t i = 0; i < kCases.size(); ++i) {
    const Case& c = kCases[i];
    const uint64_t R = c.rows, C = c.cols;
    // Below, at and above each array side; 1 everywhere; K much longer.
    std::vector<uint64_t> ms = {1, 2, R, R + 1, 2 * R + 3}, ks = {1, R - (R > 1), R, R + 1, 3 * R},
                          ns = {1, C, C + 1, 2 * C + 1};
    for (uint64_t m : ms)
      for (uint64_t k : ks)
        for (uint64_t n : ns)
          run_and_check(i, Gemm{m, k, n}, rng);
    run_and_check(i, Gemm{3, 200, 2}, rng); // long sums: overflow, saturation, ties
  }
}

TEST_CASE("random shapes") {
  std::mt19937_64 rng(12);
  const int per_case = 12 * QMAC_TEST_SCALE;
  for (size_t i = 0; i < kCases.size(); ++i)
    for (int j = 0; j < per_case; ++j)
      run_and_check(i, Gemm{1 + rng() % 40, 1 + rng() % 40, 1 + rng() % 40}, rng);
}

TEST_CASE("a run leaves nothing behind: the same GEMM twice gives the same result and cycles") {
  std::mt19937_64 rng(13);
  for (size_t i : {size_t(0), size_t(1), size_t(4)}) {
    sc::ArraySimulation& sim = *simulations()[i];
    const Gemm g{9, 7, 5};
    std::vector<uint32_t> A(g.M * g.K), B(g.K * g.N);
    for (auto& x : A)
      x = uint32_t(rng() & sim.config().a.code_mask());
    for (auto& x : B)
      x = uint32_t(rng() & sim.config().b.code_mask());
    std::vector<AccState> r1, r2;
    const auto run1 = sim.run(g, A, B, &r1);
    const auto run2 = sim.run(g, A, B, &r2);
    CHECK(run1.cycles == run2.cycles);
    CHECK(r1 == r2);
  }
}
