#include "compare.h"

#include <algorithm>
#include <deque>

#include "dot_vectors.h"

namespace qmac::rtl {

CheckReport compare_pe(PeModel& pe, const Unit& unit, const std::vector<Beat>& beats,
                       bool stop_at_first) {
  CheckReport r;
  r.unit = unit.name;
  array::PeCycleModel golden = golden_pe(unit);
  pe.reset();
  golden.reset();
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t c = 0;
  for (; c < beats.size(); ++c) {
    const PeState want = golden.cycle(beats[c]);
    const PeState got = pe.cycle(beats[c]);
    if (want == got) continue;
    // Report the beat that reached the accumulator on this edge.
    const size_t p = size_t(unit.pipeline);
    if (!r.first) r.first = Mismatch{c, c >= p ? beats[c - p] : Beat{}, {}, want, got};
    ++r.mismatches;
    if (stop_at_first) {
      ++c;
      break;
    }
  }
  r.seconds = seconds_since(t0);
  r.vectors = c;
  return r;
}

DotCheckReport compare_dot_pe(DotPeModel& pe, const DotRtlUnit& unit, uint64_t vectors,
                              uint64_t stream_seed, bool stop_at_first) {
  DotCheckReport r;
  r.unit = unit.name;
  DotBeats beats(unit, stream_seed);
  const uint64_t total = std::max<uint64_t>(vectors, beats.directed_count());
  dot::DotPeCycleModel golden = golden_dot_pe(unit);
  pe.reset();
  golden.reset();
  // The beats in flight, to name the one whose result arrives (latency).
  std::deque<dot::DotBeat> recent;
  dot::DotBeat beat;
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t c = 0;
  for (; c < total; ++c) {
    beats.next(beat);
    recent.push_back(beat);
    if (recent.size() > size_t(unit.pipeline) + 1) recent.pop_front();
    const uint64_t want = golden.cycle(beat);
    const uint64_t got = pe.cycle(beat);
    if (want == got) continue;
    if (!r.first)
      r.first =
          DotMismatch{c, recent.size() > size_t(unit.pipeline) ? recent.front() : beat, want, got};
    ++r.mismatches;
    if (stop_at_first) {
      ++c;
      break;
    }
  }
  r.seconds = seconds_since(t0);
  r.vectors = c;
  return r;
}

} // namespace qmac::rtl
