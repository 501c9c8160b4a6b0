#include "sim_common.h"

#include <cstdio>

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
