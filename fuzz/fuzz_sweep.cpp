// libFuzzer target: the YAML sweep loader (yaml-cpp underneath). Bad text --
// YAML syntax errors included -- must give qmac::InputError; a loaded sweep has
// points whose keys, identifiers and digest can be computed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "qmac/numerics/format.h"
#include "sweep_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    qmac::cli::SweepConfig c = qmac::cli::parse_sweep_config(text, "fuzz/sweep.yaml");
    if (c.points.empty()) __builtin_trap(); // an empty sweep is refused
    for (const qmac::cli::SweepPoint& p : c.points)
      (void)(p.key() + p.id());
    (void)c.digest();
  } catch (const qmac::InputError&) {
  }
  return 0;
}
