// libFuzzer target: the SCALE-Sim topology CSV reader (both layouts).
// Bad text must give qmac::InputError; a parsed workload has layers whose MAC
// counts (and their sum) are computed or refused with InputError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workload.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    qmac::sim::Workload w = qmac::sim::parse_topology(text, "fuzz/topology.csv");
    for (const qmac::sim::GemmShape& g : w.layers) {
      if (g.M == 0 || g.K == 0 || g.N == 0 || g.count == 0) __builtin_trap(); // no empty GEMM
      (void)g.macs();
    }
    (void)w.macs();
  } catch (const qmac::InputError&) {
  }
  return 0;
}
