// The synthesis cache: what Yosys reported for one key, one small text file
// per key under DIR/synth/. Internal to qmac_cost.
//
// Only the tool's facts are stored (cells by type, depth, the Yosys version
// and how long it took); areas are weighed again on every load, so a change
// of gate weights never needs a new synthesis.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace qmac::cost::detail {

struct CachedRun {
  std::string name; // the unit or design, as a check against key collisions
  std::map<std::string, long> cells;
  int depth = 0;
  std::string yosys_version;
  double seconds = 0;
};

// $QMAC_CACHE_DIR, else $XDG_CACHE_HOME/qmac, else $HOME/.cache/qmac.
std::string default_cache_root();

// The entry for `key` under root/synth/, if there is a well-formed one.
std::optional<CachedRun> load_cached(const std::string& root, const std::string& key);

// Writes the entry atomically (a temporary file renamed into place), so a
// reader sees a whole entry or none. The cache is an optimization: a failure
// to write it is ignored.
void store_cached(const std::string& root, const std::string& key, const CachedRun& run);

} // namespace qmac::cost::detail
