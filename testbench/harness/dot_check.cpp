#include "dot_check.h"

#include <chrono>

#include "check.h"
#include "describe.h"
#include "dot_vectors.h"
#include "qmac/numerics/codec.h"
#include "vectors.h"

namespace qmac::rtl {
namespace {

std::string module_of(const DotRtlUnit& u, const DotUnitEntry& e) {
  std::string m = "dot_";
  for (char c : u.name)
    m += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (e.fault) m += std::string("_fault_") + e.fault; // never over a real unit's
  return m;
}

std::string write_waveform(const DotUnitEntry& entry, const DotRtlUnit& unit, uint64_t seed,
                           uint64_t fail_cycle, const std::string& dir) {
  const std::string path = dir + "/" + module_of(unit, entry) + ".vcd";
  auto pe = entry.make_pe();
  pe->reset();
  DotBeats beats(unit, seed);
  dot::DotBeat beat;
  const uint64_t start = fail_cycle > 2000 ? fail_cycle - 2000 : 0;
  for (uint64_t c = 0; c <= fail_cycle + 8; ++c) {
    beats.next(beat);
    if (c == start) pe->start_trace(path);
    pe->cycle(beat);
  }
  pe->stop_trace();
  return path;
}

} // namespace

const DotUnitEntry& compiled_dot_unit(const std::string& name) {
  const DotRtlUnit u = parse_dot_rtl_unit(name);
  for (const auto& e : compiled_dot_units())
    if (parse_dot_rtl_unit(e.name).name == u.name) return e;
  throw InputError("dot unit '" + u.name +
                   "' is not built into this qmac (see qmac verify --list; add it to "
                   "testbench/dot_units.txt)");
}

DotCheckReport check_dot_pe(const DotUnitEntry& entry, uint64_t vectors, uint64_t seed,
                            const std::string& waveform_dir) {
  const DotRtlUnit unit = parse_dot_rtl_unit(entry.name);
  const uint64_t stream_seed = unit_seed(seed, unit.name);
  auto pe = entry.make_pe();
  DotCheckReport r = compare_dot_pe(*pe, unit, vectors, stream_seed, false);
  if (r.first && !waveform_dir.empty())
    r.waveform = write_waveform(entry, unit, stream_seed, r.first->cycle, waveform_dir);
  return r;
}

} // namespace qmac::rtl
