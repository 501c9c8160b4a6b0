// Reading what the cost flow (scripts/synth/cost_flow.ys) reports. Internal to
// qmac_cost. Each parser throws ToolError when the text is not what this
// Yosys is known to print, rather than guessing.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace qmac::cost::detail {

// The design-wide "num_cells_by_type" of `stat -json`: cell type -> count.
std::map<std::string, long> parse_stat_cells(std::string_view stat_json);

// N of "Longest topological path in TOP (length=N)" printed by `ltp`.
int parse_ltp_length(std::string_view ltp_text);

// The first line of a Yosys log holding "ERROR:" (a frontend puts the source
// location first: "file.v:52: ERROR: syntax error, ..."), whole and without
// the line break; empty if there is none.
std::string first_error_line(std::string_view log);

} // namespace qmac::cost::detail
