// Runs an external program and captures what it prints. Internal to qmac_cost.
#pragma once

#include <string>
#include <vector>

namespace qmac::cost::detail {

struct ProcessResult {
  int exit_status = 0; // the program's exit status; 128 + N if killed by signal N
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (searched on PATH unless it contains a '/') with the given
// arguments in directory `cwd` (empty: the current one), stdin closed.
// Throws ToolError if the program cannot be started, naming it and why, or
// if it runs past $QMAC_TOOL_TIMEOUT seconds (default 3600; 0: no limit),
// after killing it.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd = "");

} // namespace qmac::cost::detail
