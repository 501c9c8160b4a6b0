#include "sim_common.h"

#include <cstdio>
#include <random>

namespace qmac::cli {

sim::Workload workload_of(const Args& args) {
  const auto gemm = args.get("--gemm"), name = args.get("--workload"),
             topology = args.get("--topology");
  if (int(bool(gemm)) + int(bool(name)) + int(bool(topology)) != 1)
    throw InputError("give exactly one of --gemm, --workload, --topology");
  if (gemm) return sim::Workload{*gemm, "one GEMM", {sim::parse_gemm(*gemm)}};
  if (name) return sim::builtin_workload(*name);
  return sim::read_topology(*topology);
}

Totals totals_of(const std::vector<Layer>& layers, uint64_t per_cycle) {
  Totals t;
  for (const Layer& l : layers) {
    const uint64_t n = l.shape.count;
    t.cycles += l.run.cycles * n;
    t.work += l.run.macs * n;
    t.traffic.a_reads += l.run.traffic.a_reads * n;
    t.traffic.b_reads += l.run.traffic.b_reads * n;
    t.traffic.acc_reads += l.run.traffic.acc_reads * n;
    t.traffic.acc_writes += l.run.traffic.acc_writes * n;
    t.wrong += l.wrong;
    t.simulated += l.bit_exact.has_value();
  }
  if (t.cycles) t.utilization = double(t.work) / (double(per_cycle) * double(t.cycles));
  return t;
}

std::pair<std::vector<uint32_t>, std::vector<uint32_t>>
layer_operands(const Format& a, const Format& b, const array::Gemm& g, Distribution dist,
               uint64_t seed, size_t i) {
  std::seed_seq seq{seed, uint64_t(i)};
  std::mt19937_64 rng(seq);
  auto A = quantized_tensor(a, g.M * g.K, dist, rng);
  auto B = quantized_tensor(b, g.K * g.N, dist, rng);
  return {std::move(A), std::move(B)};
}

std::pair<std::vector<uint32_t>, std::vector<uint32_t>>
layer_operands(const dot::DotInput& a, const dot::DotInput& b, const array::Gemm& g,
               Distribution dist, uint64_t seed, size_t i) {
  if (!a.block && !b.block) return layer_operands(a.element, b.element, g, dist, seed, i);
  std::seed_seq seq{seed, uint64_t(i)};
  std::mt19937_64 rng(seq);
  std::vector<uint32_t> A = a.block ? quantized_block_tensor(*a.block, g.M * g.K, dist, rng, g.K)
                                    : quantized_tensor(a.element, g.M * g.K, dist, rng);
  if (!b.block) return {std::move(A), quantized_tensor(b.element, g.K * g.N, dist, rng)};
  // B's blocks run along K: drawn as N rows of K, then laid out K x N.
  const std::vector<uint32_t> bt = quantized_block_tensor(*b.block, g.N * g.K, dist, rng, g.K);
  std::vector<uint32_t> B(g.K * g.N);
  for (uint64_t n = 0; n < g.N; ++n)
    for (uint64_t k = 0; k < g.K; ++k)
      B[k * g.N + n] = bt[n * g.K + k];
  return {std::move(A), std::move(B)};
}

const char* const kLayerHeader =
    "layer                        M        K        N  count          cycles  utilization"
    "  bit-exact";

std::string layer_line(const Layer& l, double utilization) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-24s %8llu %8llu %8llu %6llu %15s %12s  %s",
                l.shape.name.c_str(), (unsigned long long)l.shape.M, (unsigned long long)l.shape.K,
                (unsigned long long)l.shape.N, (unsigned long long)l.shape.count,
                with_commas(l.run.cycles * l.shape.count).c_str(), percent(utilization).c_str(),
                bit_exact_text(l).c_str());
  return buf;
}

void layer_json(Json& j, const Layer& l, double utilization, const char* work) {
  j.begin_object();
  j.value("name", l.shape.name).value("M", l.shape.M).value("K", l.shape.K);
  j.value("N", l.shape.N).value("count", l.shape.count);
  j.value("cycles", l.run.cycles * l.shape.count).value(work, l.run.macs * l.shape.count);
  j.value("tiles", l.run.tiles).value("utilization", utilization);
  if (l.bit_exact)
    j.value("bit_exact", *l.bit_exact);
  else
    j.null("bit_exact");
  j.end_object();
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * x);
  return buf;
}

std::string with_commas(uint64_t v) {
  std::string s = std::to_string(v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string bit_exact_text(const Layer& l) {
  if (!l.bit_exact) return "-";
  return *l.bit_exact ? "yes" : "NO: " + std::to_string(l.wrong) + " outputs differ";
}

} // namespace qmac::cli
