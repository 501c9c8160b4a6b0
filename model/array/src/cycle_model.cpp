#include "qmac/array/cycle_model.h"

#include <algorithm>

namespace qmac::array {
namespace {

ArrayRun weight_stationary(const ArrayConfig& cfg, const Gemm& g) {
  const uint64_t R = cfg.rows, C = cfg.cols, L = cfg.latency(), M = g.M;
  const uint64_t KT = ceil_div(g.K, R), NT = ceil_div(g.N, C);
  ArrayRun run;
  run.tiles = KT * NT;
  // S of the last two tiles, W of the last one.
  uint64_t s1 = 0, s2 = 0, w = 0;
  for (uint64_t t = 0; t < run.tiles; ++t) {
    const uint64_t kt = t % KT;
    w = t == 0 ? 1 : std::max(w + R, t >= 2 ? s2 + M + L + 1 : 0);
    uint64_t s = w + R;
    if (t > 0) s = std::max({s, s1 + M, kt > 0 ? s1 + L + 2 : 0});
    s2 = s1;
    s1 = s;
  }
  run.cycles = s1 + M + L - 1;
  // Every weight is read once; every A element once per n-tile; every tile
  // writes its M x (columns used) sums, and all but the first k-tile of each
  // n-tile read them back.
  run.traffic.b_reads = g.K * g.N;
  run.traffic.a_reads = M * g.K * NT;
  run.traffic.acc_writes = M * g.N * KT;
  run.traffic.acc_reads = M * g.N * (KT - 1);
  return run;
}

ArrayRun output_stationary(const ArrayConfig& cfg, const Gemm& g) {
  const uint64_t R = cfg.rows, C = cfg.cols;
  const uint64_t MT = ceil_div(g.M, R), NT = ceil_div(g.N, C);
  ArrayRun run;
  run.tiles = MT * NT;
  run.cycles = run.tiles * std::max<uint64_t>(g.K, R) + R + cfg.latency();
  // Each tile reads its rows of A and its columns of B once per k.
  run.traffic.a_reads = g.M * g.K * NT;
  run.traffic.b_reads = g.N * g.K * MT;
  run.traffic.acc_writes = g.M * g.N;
  return run;
}

} // namespace

ArrayRun analytic_run(const ArrayConfig& config, const Gemm& gemm) {
  validate(config);
  validate(gemm);
  ArrayRun run = config.dataflow == Dataflow::WeightStationary ? weight_stationary(config, gemm)
                                                               : output_stationary(config, gemm);
  run.macs = gemm.macs();
  return run;
}

} // namespace qmac::array
