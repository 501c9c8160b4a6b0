// The dot PE cross-check: Verilated qmac_dot_pe against its golden twin (the
// dot PE cycle model of model/dot), bit for bit after every clock edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "qmac/units/dot_rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

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

// The compiled dot unit of that name (any spelling parse_dot_rtl_unit
// accepts). Throws InputError for bad names and units not built in.
const DotUnitEntry& compiled_dot_unit(const std::string& name);

// The directed blocks and then random ones (`vectors` beats in all, at least
// the directed ones) through the Verilated dot PE and its golden twin. On a
// mismatch, runs the stream again with tracing and writes
// `waveform_dir`/MODULE.vcd of the cycles before the first failure.
DotCheckReport check_dot_pe(const DotUnitEntry& entry, uint64_t vectors, uint64_t seed,
                            const std::string& waveform_dir);

// "valid=1 start=0 c=0x3f800000 (1) a=[0x38 (1), ...] b=[...]".
std::string describe(const DotRtlUnit& unit, const dot::DotBeat& beat);
// A result register: "0x48440000 (200704)".
std::string describe_result(const DotRtlUnit& unit, uint64_t code);

} // namespace qmac::rtl
