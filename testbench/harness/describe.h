// How the checkers print states and beats in their reports.
#pragma once

#include <string>

#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

// "0x<register> [flags]", the register in the unit's width.
std::string describe(const Unit& unit, const PeState& s);
// "valid=1 clear=0 a=0x38 (1) b=0xb8 (-1)": codes with their exact values.
std::string describe(const Unit& unit, const Beat& b);
// A code with its exact value: "0x38 (1)".
std::string describe_code(const Format& f, uint16_t code);

// "valid=1 start=0 c=0x3f800000 (1) a=[0x38 (1), ...] b=[...]".
std::string describe(const DotRtlUnit& unit, const dot::DotBeat& beat);
// A dot unit's result register: "0x48440000 (200704)".
std::string describe_result(const DotRtlUnit& unit, uint64_t code);

} // namespace qmac::rtl
