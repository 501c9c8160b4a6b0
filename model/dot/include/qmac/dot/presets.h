// The published dot-product units by name, chosen by part and input format as
// the hardware does (qmac dot --list prints this table).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::dot {

// One mode of a part: the input formats it multiplies, the outputs it writes
// and its unit's keys.
struct PresetMode {
  std::vector<std::string> inputs;  // either operand may be any of these (element or block
                                    // formats); empty: any element format
  std::vector<std::string> outputs; // --acc formats; empty: any float format or intN/fx+G
  std::string keys;                 // apply_keys() text
};

struct Preset {
  std::string name;   // h100, arm-fdot4, exact, ...
  std::string part;   // what it models
  std::string source; // where its parameters come from
  std::vector<PresetMode> modes;
};

const std::vector<Preset>& presets();

// The unit a --unit text names for these operands: a preset name, optionally
// followed by ",key=value" overrides ("h100,sticky=yes"), or keys alone
// ("n=32,bits=14,round=rz"). Throws InputError for an unknown preset, formats
// the preset's part does not take, or a bad key.
DotUnit resolve_unit(std::string_view text, const DotInput& a, const DotInput& b,
                     const AccumulatorSpec& out);

} // namespace qmac::dot
