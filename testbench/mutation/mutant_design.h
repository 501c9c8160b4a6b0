// The Yosys side of mutation testing: one design's mutants sampled and
// built into one netlist behind a control input (so that one Verilated
// model serves a whole family), and the Yosys runs the proofs of
// equivalence.h make.
//
// Every Yosys run reads the design the same way (prepare_script): the
// mutation commands name cells by names Yosys numbers as it goes, so the
// netlist a mutation is applied to must be made by the same commands as
// the one it was listed on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "mutations.h"
#include "qmac/cost/subprocess.h"
#include "qmac/cost/synthesis.h"

namespace qmac::rtl::mutation {

// A design a family mutates: the clocked top of a MAC unit ("pe"), of a dot
// unit ("dot") or of a MAC array ("array", unit "UNIT/RxC/ws|os", the
// array key with slashes for spaces) over the RTL sources (the designs
// synthesis reads). Throws InputError for an unknown kind or unit.
// "UNIT/RxC/ws|os" -> the array key "UNIT RxC ws|os" (testbench/arrays).
std::string array_key_of(const std::string& unit);

cost::Design mutant_design(const std::string& kind, const std::string& unit,
                           const cost::SynthesisOptions& options = {});

// Reads the design, elaborates it (hierarchy.il: the dump that names the
// instance sites) and flattens it with `prep`, which keeps source locations.
std::string prepare_script(const cost::Design& design);

struct SampleSpec {
  std::set<std::string> files; // the family's RTL files ("qmac_multiplier.v")
  size_t count = 30;           // mutants in the sample
  uint64_t seed = 1;
  size_t candidates = 4000; // `mutate -list` size the sample is drawn from
};

// The module name of every mutant netlist (so that the build can verilate
// it without knowing the design's).
inline constexpr const char* kMutantTop = "qmac_mutant";

// Lists the design's mutations, samples the family's, and writes into
// `dir`: the generated top, `mutated.v` (module kMutantTop: the top with
// every sampled mutation behind the input `mutsel`) and `mutations.txt`
// (to_text).
// Returns the sample. ToolError when Yosys fails; InputError when the
// design has no mutation in the family's files.
std::vector<Mutation> build_mutants(const cost::Design& design, const SampleSpec& spec,
                                    const std::string& yosys, const std::string& dir);

// Runs `script` on the design in `dir` (where the design's generated
// sources are written first), logging to dir/yosys.log; a deadline of 0
// seconds is none.
cost::ProcessResult run_yosys(const cost::Design& design, const std::string& script,
                              const std::string& yosys, const std::filesystem::path& dir,
                              long seconds);

// What a failed Yosys run in `dir` said: its log's ERROR line, else the end
// of the log and output.
std::string yosys_complaint(const std::filesystem::path& dir, const std::string& output);

} // namespace qmac::rtl::mutation
