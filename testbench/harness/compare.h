// The comparison behind every RTL check: a clocked PE (any PeModel or
// DotPeModel: a verified unit, a fault-injected one, a mutant) against its
// golden twin on one stream of beats, state after state. `qmac verify`
// counts every mismatch; mutation testing stops at the first.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

// Wall-clock seconds since t0: the checks' vectors per second.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Mismatch {
  uint64_t cycle = 0; // PE checks: cycles since reset; exhaustive: the vector index
  Beat beat;          // the inputs applied on that cycle (a, b; acc in `before`)
  PeState before;     // exhaustive step checks: the accumulator state going in
  PeState expected, got;
};

struct CheckReport {
  std::string unit;
  uint64_t vectors = 0, mismatches = 0;
  double seconds = 0;
  std::optional<Mismatch> first;
  std::string waveform; // VCD of the failing run, when there was one
};

struct DotMismatch {
  uint64_t cycle = 0; // cycles since reset
  dot::DotBeat beat;  // the beat whose result reached the register on that edge
  uint64_t expected = 0, got = 0;
};

struct DotCheckReport {
  std::string unit;
  uint64_t vectors = 0, mismatches = 0; // vectors: beats (blocks and bubbles)
  double seconds = 0;
  std::optional<DotMismatch> first;
  std::string waveform;
};

// Resets `pe` and the unit's golden PE, runs `beats` through both and
// compares the state after every clock edge. stop_at_first: return at the
// first mismatch (vectors then counts the beats run, that one included).
CheckReport compare_pe(PeModel& pe, const Unit& unit, const std::vector<Beat>& beats,
                       bool stop_at_first);

// The same for a dot PE: `vectors` beats of the unit's stream from
// `stream_seed` (DotBeats: directed blocks first, at least all of them).
DotCheckReport compare_dot_pe(DotPeModel& pe, const DotRtlUnit& unit, uint64_t vectors,
                              uint64_t stream_seed, bool stop_at_first);

} // namespace qmac::rtl
