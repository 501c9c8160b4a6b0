#include "qmac/sc/dot_array_simulation.h"

#include "qmac/dot/dot_engine.h"
#include "qmac/numerics/accumulator.h"

namespace qmac::sc {

DotGemmDriver::DotGemmDriver(const sc_core::sc_module_name& name,
                             const array::DotArrayConfig& config)
    : sc_module(name), config_(config) {
  SC_HAS_PROCESS(DotGemmDriver);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void DotGemmDriver::start(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                          const std::vector<uint32_t>& B) {
  schedule_ = array::dot_schedule(config_, gemm);
  if (A.size() != gemm.M * gemm.K || B.size() != gemm.K * gemm.N)
    throw InputError("the operands are not M x K and K x N");
  gemm_ = gemm;
  A_ = &A;
  B_ = &B;
  armed_ = true;
  done_ = false;
  step_ = 0;
  collected_ = 0;
  results_.assign(gemm.M * gemm.N, 0);
  run_ = {};
  run_.macs = gemm.macs();
  run_.tiles = schedule_.tiles;
}

// Issue beat i of the schedule: group, block and lane; a bubble for a lane
// past the last tile; zero codes past K and past the GEMM's edge.
DotArrayBeat DotGemmDriver::beat_of(uint64_t i) {
  DotArrayBeat b = idle_dot_beat(config_);
  const uint64_t L = config_.lanes(), B = schedule_.blocks, n = uint64_t(config_.unit.n);
  const uint64_t group = i / (L * B), block = i % (L * B) / L, lane = i % L;
  const uint64_t tile = group * L + lane;
  if (tile >= schedule_.tiles) return b;
  b.valid = true;
  b.start = block == 0;
  b.last = block == B - 1;
  const uint64_t m0 = tile / schedule_.n_tiles * config_.rows,
                 n0 = tile % schedule_.n_tiles * config_.cols, k0 = block * n;
  for (uint64_t k = k0; k < k0 + n && k < gemm_.K; ++k) {
    for (uint64_t r = 0; r < config_.rows && m0 + r < gemm_.M; ++r, ++run_.traffic.a_reads)
      b.a[r * n + (k - k0)] = (*A_)[(m0 + r) * gemm_.K + k];
    for (uint64_t c = 0; c < config_.cols && n0 + c < gemm_.N; ++c, ++run_.traffic.b_reads)
      b.b[c * n + (k - k0)] = (*B_)[k * gemm_.N + n0 + c];
  }
  return b;
}

// Step s writes what the array samples at its next edge: s = 0 holds reset,
// beat i goes out at step i + 1 (schedule edge i + 1). The output read at
// step s is the array's after schedule edge s - 2.
void DotGemmDriver::on_edge() {
  if (!armed_) return;
  const DotArrayOutput& o = out.read();
  if (step_ >= 2 && o.valid) {
    const uint64_t tile = collected_++;
    const uint64_t m0 = tile / schedule_.n_tiles * config_.rows,
                   n0 = tile % schedule_.n_tiles * config_.cols;
    for (uint64_t r = 0; r < config_.rows && m0 + r < gemm_.M; ++r)
      for (uint64_t c = 0; c < config_.cols && n0 + c < gemm_.N; ++c, ++run_.traffic.acc_writes)
        results_[(m0 + r) * gemm_.N + n0 + c] = o.acc[r * config_.cols + c];
    if (collected_ == schedule_.tiles) {
      run_.cycles = step_ - 2;
      armed_ = false;
      done_ = true;
      rst.write(true);
      beat.write(idle_dot_beat(config_));
      sc_core::sc_pause();
      return;
    }
  }
  rst.write(step_ == 0);
  beat.write(step_ >= 1 && step_ - 1 < schedule_.beats ? beat_of(step_ - 1)
                                                       : idle_dot_beat(config_));
  ++step_;
}

DotArraySimulation::DotArraySimulation(const array::DotArrayConfig& config, const std::string& name,
                                       const std::string& trace_path)
    : config_(config), name_(name), clk_((name + "_clk").c_str(), 1, sc_core::SC_NS),
      rst_((name + "_rst").c_str(), true), beat_((name + "_beat").c_str(), idle_dot_beat(config)),
      out_((name + "_out").c_str(), idle_dot_output(config)) {
  array_ = std::make_unique<DotArray>((name + "_pes").c_str(), config_);
  bind(trace_path);
}

DotArraySimulation::DotArraySimulation(const array::DotArrayConfig& config,
                                       std::unique_ptr<DotArrayModule> array,
                                       const std::string& name)
    : config_(config), name_(name), clk_((name + "_clk").c_str(), 1, sc_core::SC_NS),
      rst_((name + "_rst").c_str(), true), beat_((name + "_beat").c_str(), idle_dot_beat(config)),
      out_((name + "_out").c_str(), idle_dot_output(config)), array_(std::move(array)) {
  array::validate(config_);
  bind("");
}

void DotArraySimulation::bind(const std::string& trace_path) {
  driver_ = std::make_unique<DotGemmDriver>((name_ + "_driver").c_str(), config_);
  array_->clk(clk_);
  array_->rst(rst_);
  array_->in(beat_);
  array_->out(out_);
  driver_->clk(clk_);
  driver_->rst(rst_);
  driver_->beat(beat_);
  driver_->out(out_);
  if (!trace_path.empty()) {
    trace_ = sc_core::sc_create_vcd_trace_file(trace_path.c_str());
    sc_core::sc_trace(trace_, clk_, "clk");
    sc_core::sc_trace(trace_, rst_, "rst");
    sc_trace(trace_, beat_.read(), "in");
    sc_trace(trace_, out_.read(), "out");
  }
}

DotArraySimulation::~DotArraySimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
}

array::ArrayRun DotArraySimulation::run(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                                        const std::vector<uint32_t>& B,
                                        std::vector<uint64_t>* results) {
  driver_->start(gemm, A, B);
  while (!driver_->done())
    sc_core::sc_start(); // returns at the driver's sc_pause
  if (results) *results = driver_->results();
  return driver_->run();
}

std::vector<uint64_t> golden_dot_gemm(const array::DotArrayConfig& c, const array::Gemm& g,
                                      const std::vector<uint32_t>& A,
                                      const std::vector<uint32_t>& B) {
  dot::DotEngine engine(c.a, c.b, c.out, c.unit);
  std::vector<uint64_t> out(g.M * g.N), a(g.K), b(g.K);
  for (uint64_t m = 0; m < g.M; ++m)
    for (uint64_t n = 0; n < g.N; ++n) {
      for (uint64_t k = 0; k < g.K; ++k) {
        a[k] = A[m * g.K + k];
        b[k] = B[k * g.N + n];
      }
      Accumulator acc(c.out);
      engine.dot(acc, a.data(), b.data(), g.K);
      out[m * g.N + n] = acc.code();
    }
  return out;
}

} // namespace qmac::sc
