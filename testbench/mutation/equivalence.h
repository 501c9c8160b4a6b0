// Is a surviving mutant equivalent to the design? Decided from reset, at
// the outputs, by a sequential equivalence check: Yosys builds the miter of
// the design and the mutant (`miter -equiv`), takes its flip-flops' initial
// values from a simulated reset (`sim -w`), and writes it as an AIGER
// netlist. ABC's `bmc3` first searches from reset for an input trace that
// makes the miter's output rise (10 cycles, 20 s at most); failing that, `dprove`
// (signal correspondence, induction, then bounded and property-directed
// search) proves it never rises, or finds the trace.
//
// From reset, not from any state: a mutant that only differs in a state the
// design can never reach (a NaN register holding a non-canonical payload)
// is equivalent, as it is in the hardware.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "mutations.h"
#include "qmac/cost/synthesis.h"

namespace qmac::rtl::mutation {

enum class Proof {
  Equivalent, // proved: the outputs agree on every input sequence from reset
  Different,  // a counterexample: an input trace on which they differ
  Undecided,  // ABC gave up within its own limits
  TimedOut,   // no answer within the time given
};
const char* proof_name(Proof p);

// One clock cycle of a counterexample: each input port (clk aside) and its
// value in hexadecimal, in the miter's port order.
using CycleInputs = std::vector<std::pair<std::string, std::string>>;

struct ProofResult {
  Proof proof = Proof::Undecided;
  double seconds = 0;
  std::string script;                      // the Yosys script that writes the miter
  std::string abc;                         // the ABC commands: search, then proof
  std::vector<CycleInputs> counterexample; // Different: the trace, cycle 0 first
};

// Proves `m` equivalent to the design, or not, in at most `seconds`.
// `yosys` names Yosys; ABC is the yosys-abc beside it. The tools run in a
// scratch directory, or in `keep`, which then holds prove.sh (the commands
// that decide it again), the scripts, the logs and any counterexample.
// ToolError if a tool cannot run.
ProofResult prove_equivalent(const cost::Design& design, const Mutation& m,
                             const std::string& yosys, long seconds,
                             const std::filesystem::path& keep = {});

// A counterexample on one line: "0: rst=0x0 valid=0x1 a=0x41; 1: ...".
std::string trace_text(const std::vector<CycleInputs>& trace);

// ABC's counterexample (`write_cex -n`: lines "piN@F=V") read with the
// AIGER map Yosys wrote (`write_aiger -map`: lines "input N BIT PORT") into
// per-cycle port values; the miter's "in_" prefix is dropped and the clock
// left out. Exposed for the tests.
std::vector<CycleInputs> parse_counterexample(const std::string& cex, const std::string& map);

} // namespace qmac::rtl::mutation
