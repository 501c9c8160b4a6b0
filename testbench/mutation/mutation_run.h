// A family's mutation run: every mutant of a mutant model through the same
// check `qmac verify` runs (compare.h: the directed beats, then random
// ones, against the golden twin), stopping at the first mismatch; each
// survivor then through the equivalence check from reset (equivalence.h).
//
// Results are kept per mutant in DIR/FAMILY.UNIT.tsv, each survivor's proof
// in DIR/proofs (proof_dir), and the TSV is rewritten whole after
// each mutant (model/files' write_atomically), so an interrupted run loses
// nothing and the next one starts where it stopped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "equivalence.h"
#include "mutant_models.h"
#include "mutations.h"

namespace qmac::rtl::mutation {

enum class Outcome {
  Killed,     // the check failed on it
  Equivalent, // survived, and proved equivalent at the outputs from reset
  Hole,       // survived, and the proof found an input trace that tells them apart
  Undecided,  // survived; the proof gave up: counted as a hole
  TimedOut,   // survived; the proof ran out of time: counted as a hole
  Survived,   // survived; no proof tried (--no-proof)
};
const char* outcome_name(Outcome o);

struct MutantResult {
  size_t id = 0;     // 1-based: the control value that selects it
  Mutation mutation; // location and command
  Outcome outcome = Outcome::Survived;
  uint64_t vectors = 0;       // beats run: until the kill, or all of them
  double seconds = 0;         // check and proof
  std::string counterexample; // Hole: the trace that kills it (trace_text)
};

struct RunOptions {
  uint64_t vectors = 200000; // beats per mutant (at least the directed ones)
  uint64_t seed = 1;         // of the random beats, as qmac verify's --seed
  int jobs = 1;
  bool prove = true;
  long proof_seconds = 300;
  std::string out_dir; // empty: keep nothing
};

// The file a model's results are kept in: "FAMILY.UNIT.tsv" (unit spelled
// as a module name).
std::string results_file(const MutantModel& m);

// Where a survivor's proof is kept (its prove.sh reruns it):
// OUT_DIR/proofs/FAMILY.UNIT.ID.
std::string proof_dir(const std::string& out_dir, const MutantModel& m, size_t id);

// Runs the model's mutants not yet in its results file, on `jobs` threads;
// `progress` is told of each result. Throws std::runtime_error if the
// design itself (mutant 0) fails the check: the mutants of a broken model
// score nothing.
std::vector<MutantResult> run_model(const MutantModel& model, const RunOptions& options,
                                    const std::function<void(const MutantResult&)>& progress = {});

// A family's score: killed over the mutants not proved equivalent (every
// survivor that is not proved equivalent is a hole), and the median beats
// to a kill.
struct Score {
  size_t mutants = 0, killed = 0, equivalent = 0, holes = 0;
  double killed_fraction = 0; // killed / (mutants - equivalent); 1 when none are left
  uint64_t median_vectors = 0;
};
Score score(const std::vector<MutantResult>& results);

// The results as a TSV (header, one line per mutant) and back.
std::string to_tsv(const std::vector<MutantResult>& results);
std::vector<MutantResult> from_tsv(const std::string& text);

} // namespace qmac::rtl::mutation
