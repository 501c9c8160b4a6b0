// One row of a sweep's results: every figure of one design point. The
// columns are fixed by the configuration (one set of accuracy columns per
// distribution); a point that fails keeps its row, with status "error" and
// the message, and the sweep goes on.
#pragma once

#include <string>
#include <vector>

#include "sweep_config.h"

namespace qmac::cli {

std::vector<std::string> sweep_columns(const SweepConfig& config);

// The row of `point`, in sweep_columns() order. Never throws for the point's
// own failures (bad combinations, tool errors): they become status "error".
std::vector<std::string> evaluate_point(const SweepConfig& config, const SweepPoint& point);

// Columns holding text (the rest are numbers, or empty when not measured).
bool is_text_column(const std::string& column);

} // namespace qmac::cli
