// The cross-checks: Verilated RTL against the golden model, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "compare.h"
#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

// The compiled unit of that name (any spelling parse_unit accepts). Throws
// InputError for malformed names and for units not built into this binary.
const UnitEntry& compiled_unit(const std::string& name);

// Runs the directed beats and then random dot products (`vectors` beats in
// all, at least the directed ones) through the Verilated PE and its golden
// twin, comparing the state after every clock edge. On a mismatch, re-runs
// the stream with tracing on and writes `waveform_dir`/MODULE.vcd of the
// cycles leading to the first failure.
CheckReport check_pe(const UnitEntry& entry, uint64_t vectors, uint64_t seed,
                     const std::string& waveform_dir);

// Every (a, b) pair of every pair of bank formats: the exact product's sign,
// value and NaN/Inf flags against qmac::multiply.
CheckReport check_multiplier_bank();

// Every (accumulator state, a, b) triple of a unit with a step top and a
// float accumulator of at most 16 bits, on `threads` threads; `progress` is
// called with the fraction done. `state_stride` > 1 checks every stride-th
// accumulator state only (with all (a, b) pairs), for quick runs.
CheckReport check_step_exhaustive(const UnitEntry& entry, int threads,
                                  const std::function<void(double)>& progress = {},
                                  uint32_t state_stride = 1);

} // namespace qmac::rtl
