// What the synthesis side needs to know about Yosys cell types beyond their
// weights (gate_library.h). Internal to qmac_cost.
#pragma once

#include <string_view>

namespace qmac::cost::gates {

// Any flavour of Yosys fine-grained flip-flop ($_DFF_P_, $_SDFFE_PP0P_, ...).
bool is_yosys_flip_flop(std::string_view type);

} // namespace qmac::cost::gates
