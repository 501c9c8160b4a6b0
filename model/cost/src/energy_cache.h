// The energy cache: the raw counts of one (toggle simulator, operand stream)
// pair, one small text file per key under CACHE/energy/. Internal to
// qmac_cost. Counts are stored, not energies, so a change of weights or
// clock cost needs no new simulation.
#pragma once

#include <optional>
#include <string>

#include "qmac/cost/toggles.h"

namespace qmac::cost::detail {

struct CachedCounts {
  std::string name; // the unit, as a check against key collisions
  long macs = 0;
  ToggleCounts counts;
};

std::optional<CachedCounts> load_energy(const std::string& root, const std::string& key);

// Atomic (temporary file renamed into place); a failure to write is ignored.
void store_energy(const std::string& root, const std::string& key, const CachedCounts& entry);

} // namespace qmac::cost::detail
