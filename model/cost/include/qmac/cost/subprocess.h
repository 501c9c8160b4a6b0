// Runs an external program (Yosys, Verilator, the C++ compiler) and captures
// what it prints: the cost flows and the RTL mutation flow start their tools
// through it.
#pragma once

#include <string>
#include <vector>

namespace qmac::cost {

struct ProcessResult {
  int exit_status = 0; // the program's exit status; 128 + N if killed by signal N
  std::string output;  // stdout and stderr, interleaved
  bool timed_out = false;
};

// Runs argv[0] (searched on PATH unless it contains a '/') with the given
// arguments in directory `cwd` (empty: the current one), stdin closed.
// Throws ToolError if the program cannot be started, naming it and why, or
// if it runs past $QMAC_TOOL_TIMEOUT seconds (default 3600; 0: no limit),
// after killing it.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd = "");

// The same with a deadline of its own: a program still running after
// `seconds` (> 0) is killed and the result says timed_out, for tools whose
// running out of time is an answer (a proof that did not finish).
ProcessResult run_process_for(const std::vector<std::string>& argv, const std::string& cwd,
                              long seconds);

} // namespace qmac::cost
