// The Yosys side of mutation testing: one design's mutants sampled and
// built into one netlist behind a control input (so that one Verilated
// model serves a whole family), and the proof that a surviving mutant is
// equivalent to the design at its outputs.
//
// Every Yosys run reads the design the same way (prepare_script): the
// mutation commands name cells by names Yosys numbers as it goes, so the
// netlist a mutation is applied to must be made by the same commands as
// the one it was listed on.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "mutations.h"
#include "qmac/cost/synthesis.h"

namespace qmac::rtl::mutation {

// A design a family mutates: the clocked top of a MAC unit ("pe") or of a
// dot unit ("dot") over the RTL sources (the designs synthesis reads).
// Throws InputError for an unknown kind or unit.
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

enum class Proof {
  Equivalent, // proved: the outputs agree on every input sequence
  NotProved,  // the induction did not close (a real difference, or too weak)
  TimedOut,   // no answer within the time given
};
const char* proof_name(Proof p);

struct ProofResult {
  Proof proof = Proof::NotProved;
  double seconds = 0;
  std::string script; // the Yosys script that decides it (to run it by hand)
};

// Is the design with `m` applied equivalent to the design? Yosys's
// equivalence checker (equiv_make, equiv_simple, equiv_induct) pairs the
// two netlists' ports and flip-flop outputs (every other net is renamed
// apart, so that the mutated net is never assumed equal) and proves every
// pair by temporal induction; all pairs proven is a proof of equivalence
// from any common state. ToolError if Yosys cannot run.
ProofResult prove_equivalent(const cost::Design& design, const Mutation& m,
                             const std::string& yosys, long seconds);

} // namespace qmac::rtl::mutation
