// The dot PE cross-check: Verilated qmac_dot_pe against its golden twin (the
// dot PE cycle model of model/dot), bit for bit after every clock edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "compare.h"
#include "describe.h"
#include "qmac/units/dot_rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

// The compiled dot unit of that name (any spelling parse_dot_rtl_unit
// accepts). Throws InputError for bad names and units not built in.
const DotUnitEntry& compiled_dot_unit(const std::string& name);

// The directed blocks and then random ones (`vectors` beats in all, at least
// the directed ones) through the Verilated dot PE and its golden twin. On a
// mismatch, runs the stream again with tracing and writes
// `waveform_dir`/MODULE.vcd of the cycles before the first failure.
DotCheckReport check_dot_pe(const DotUnitEntry& entry, uint64_t vectors, uint64_t seed,
                            const std::string& waveform_dir);

} // namespace qmac::rtl
