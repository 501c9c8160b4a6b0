// The SystemC array of dot-product units runs GEMMs of many shapes (tiles
// that divide the array and not, K a multiple of n and not, fewer tiles
// than interleaved lanes) and must
//  - give every output the golden dot GEMM gives: one dot product per
//    output through qmac's golden DotEngine (the library's reference model,
//    proven against MPFR and an exact-rational model in model/dot's tests);
//    the array reaches it through its PE cycle models, interleaving,
//    tiling and zero padding, which is what is under test here;
//  - take exactly the cycles, tiles and buffer traffic of
//    qmac::array::analytic_dot_run.
// Codes are uniform over each format, NaN and Inf codes included; block
// formats (MX, NVFP4) also get realistic tensors, quantized in blocks along K.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <sstream>

#include "qmac/array/dot_array.h"
#include "qmac/numerics/tensor.h"
#include "qmac/sc/dot_array_simulation.h"

using namespace qmac;
using array::Gemm;

namespace {

struct Case {
  const char* unit;
  const char* a;
  const char* b;
  const char* out;
  uint32_t rows, cols;
  int pipeline;
};

// Every simulation the tests use, elaborated before the first run.
const std::vector<Case> kCases = {
    {"h100,n=4", "e4m3fn", "e4m3fn", "fp32", 2, 3, 0},
    {"h100,n=4", "e4m3fn", "e4m3fn", "fp32", 3, 2, 1},
    {"b200,n=8", "e5m2", "e4m3fn", "fp32", 4, 4, 2},
    {"arm-fdot4", "e4m3fn", "e4m3fn", "fp16", 1, 5, 3},
    {"n=16", "int8", "int8", "int32", 3, 3, 1},
    {"n=2,bits=26,round=rz", "flint8", "flint8", "fp32", 5, 1, 0},
    {"n=1,bits=exact", "float4_e2m1fn", "float4_e2m1fn", "fp32", 2, 2, 1},
    {"mx", "mxfp8_e4m3", "mxfp8_e4m3", "fp32", 2, 3, 1},
    {"mx,n=8", "nvfp4", "nvfp4", "fp32", 3, 2, 0},
    {"mx,n=16,bits=24,round=rz", "mxfp4", "mxint8", "fp32", 2, 2, 2},
};

array::DotArrayConfig config_of(const Case& c) {
  const dot::DotInput a = dot::DotInput::parse(c.a), b = dot::DotInput::parse(c.b);
  return array::dot_array_config(c.unit, a, b, parse_accumulator(c.out, a.element, b.element),
                                 c.rows, c.cols, c.pipeline);
}

// A block format's operand as a quantizer makes it: blocks along K (A's rows,
// B's columns), one scale each.
std::vector<uint32_t> block_operand(const BlockFormat& f, uint64_t rows, uint64_t k, bool transpose,
                                    std::mt19937_64& rng) {
  const std::vector<uint32_t> t =
      quantized_block_tensor(f, rows * k, Distribution::Gaussian, rng, k);
  if (!transpose) return t;
  std::vector<uint32_t> out(t.size());
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t j = 0; j < k; ++j)
      out[j * rows + r] = t[r * k + j];
  return out;
}

std::vector<std::unique_ptr<sc::DotArraySimulation>>& simulations() {
  static std::vector<std::unique_ptr<sc::DotArraySimulation>> sims;
  if (sims.empty())
    for (size_t i = 0; i < kCases.size(); ++i)
      sims.push_back(std::make_unique<sc::DotArraySimulation>(config_of(kCases[i]),
                                                              "dot" + std::to_string(i)));
  return sims;
}

std::string describe(const Case& c, const Gemm& g) {
  std::ostringstream os;
  os << c.unit << ":" << c.a << ":" << c.b << ":" << c.out << " " << c.rows << "x" << c.cols << " p"
     << c.pipeline << " GEMM " << g.M << "x" << g.K << "x" << g.N;
  return os.str();
}

void run_and_check(size_t index, const Gemm& g, std::mt19937_64& rng) {
  const Case& c = kCases[index];
  sc::DotArraySimulation& sim = *simulations()[index];
  const array::DotArrayConfig& cfg = sim.config();
  std::vector<uint32_t> A(g.M * g.K), B(g.K * g.N);
  for (auto& x : A)
    x = uint32_t(rng() & cfg.a.code_mask());
  for (auto& x : B)
    x = uint32_t(rng() & cfg.b.code_mask());
  if (rng() & 1) { // block formats: quantized tensors, one scale per block along K
    if (cfg.a.block) A = block_operand(*cfg.a.block, g.M, g.K, false, rng);
    if (cfg.b.block) B = block_operand(*cfg.b.block, g.N, g.K, true, rng);
  }
  std::vector<uint64_t> got;
  const array::ArrayRun run = sim.run(g, A, B, &got);
  const array::ArrayRun model = array::analytic_dot_run(cfg, g);
  INFO(describe(c, g));
  CHECK(run.cycles == model.cycles);
  CHECK(run.tiles == model.tiles);
  CHECK(run.macs == g.macs());
  CHECK(run.traffic == model.traffic);
  const std::vector<uint64_t> want = sc::golden_dot_gemm(cfg, g, A, B);
  size_t wrong = 0, first = 0;
  for (size_t i = want.size(); i-- > 0;)
    if (want[i] != got[i]) ++wrong, first = i;
  if (wrong) {
    std::ostringstream os;
    os << wrong << " wrong outputs; first C[" << first / g.N << "][" << first % g.N << "] want "
       << std::hex << want[first] << " got " << got[first];
    FAIL_CHECK(os.str());
  }
}

} // namespace

// SystemC's library owns main() and calls sc_main.
int sc_main(int argc, char** argv) {
  simulations(); // elaborate everything before the first sc_start
  return Catch::Session().run(argc, argv);
}

TEST_CASE("dot arrays: shapes around the array and block size, bit-exact and cycle-exact") {
  std::mt19937_64 rng(17);
  for (size_t i = 0; i < kCases.size(); ++i) {
    const Case& c = kCases[i];
    const uint64_t n = uint64_t(simulations()[i]->config().unit.n);
    for (const Gemm& g :
         {Gemm{1, 1, 1}, Gemm{c.rows, n, c.cols}, Gemm{c.rows + 1, 3 * n + 1, 1},
          Gemm{2 * c.rows, 2 * n, 2 * c.cols + 1}, Gemm{5, 37, 7}, Gemm{1, 4 * n, 3 * c.cols}})
      run_and_check(i, g, rng);
  }
}

TEST_CASE("dot arrays: random shapes, back to back in one simulation") {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 20 * QMAC_TEST_SCALE; ++trial) {
    const size_t i = rng() % kCases.size();
    const Gemm g{1 + rng() % 9, 1 + rng() % 70, 1 + rng() % 9};
    run_and_check(i, g, rng);
  }
}

TEST_CASE("the analytic dot-array model: interleaving hides the pipeline, and bad configs") {
  const Format f = parse_format("e4m3fn");
  const AccumulatorSpec fp32 = parse_accumulator("fp32", f, f);
  // Enough tiles to fill the lanes: a deeper pipeline costs only its drain.
  const Gemm g{64, 4096, 64};
  const auto p0 = array::analytic_dot_run(array::dot_array_config("h100", f, f, fp32, 4, 8, 0), g);
  const auto p3 = array::analytic_dot_run(array::dot_array_config("h100", f, f, fp32, 4, 8, 3), g);
  CHECK(p0.cycles == 16 * 8 * 128); // T = 128 tiles of B = 128 blocks, one edge each
  CHECK(p3.cycles == p0.cycles + 3);
  CHECK(p0.macs == 64ull * 4096 * 64);
  for (const auto& [unit, rows, pipeline] : std::vector<std::tuple<const char*, uint32_t, int>>{
           {"exact", 4, 1}, {"h100", 0, 1}, {"h100", 4, 4}, {"n=128,bits=14", 4, 1}}) {
    INFO(unit << " " << rows << " p" << pipeline);
    CHECK_THROWS_AS(array::dot_array_config(unit, f, f, fp32, rows, 4, pipeline), InputError);
  }
}
