#include "mutation_run.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "array_check.h"
#include "compare.h"
#include "describe.h"
#include "mutant_design.h"
#include "qmac/cost/work_dir.h"
#include "qmac/files/atomic_file.h"
#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"
#include "vectors.h"

namespace qmac::rtl::mutation {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader =
    "mutant\tlocation\tmode\toutcome\tvectors\tseconds\tcommand\tcounterexample";

Outcome parse_outcome(const std::string& name) {
  for (Outcome o : {Outcome::Killed, Outcome::Equivalent, Outcome::Hole, Outcome::Undecided,
                    Outcome::TimedOut, Outcome::Survived})
    if (name == outcome_name(o)) return o;
  throw std::runtime_error("unknown outcome '" + name + "'");
}

// One model's check, shared by its threads: the PE beats are drawn once;
// an array model's mutants all run at once, up front (array_check.h).
class Checker {
public:
  Checker(const MutantModel& m, const RunOptions& o, size_t mutants) : model_(m), options_(o) {
    if (std::string(m.kind) == "pe") {
      pe_unit_ = parse_unit(m.unit);
      beats_ = check_stream(pe_unit_, o.vectors, o.seed);
    } else if (std::string(m.kind) == "dot") {
      dot_unit_ = parse_dot_rtl_unit(m.unit);
      stream_seed_ = unit_seed(o.seed, dot_unit_.name);
    } else {
      arrays_ = check_array_mutants(m, mutants, o.vectors, unit_seed(o.seed, m.unit));
    }
  }

  struct Run {
    uint64_t vectors = 0; // beats run (an array's: cycles)
    bool failed = false;  // the last one mismatched
    std::string first;    // what it was: "beat N: expected X, got Y"
  };
  Run run(uint32_t mutant) const {
    Run out;
    if (model_.make_pe) {
      auto pe = model_.make_pe(mutant);
      const CheckReport r = compare_pe(*pe, pe_unit_, beats_, true);
      out.vectors = r.vectors;
      if (r.first)
        out.first = "beat " + std::to_string(r.first->cycle) + ": expected " +
                    describe(pe_unit_, r.first->expected) + ", got " +
                    describe(pe_unit_, r.first->got);
    } else if (model_.make_dot_pe) {
      auto pe = model_.make_dot_pe(mutant);
      const DotCheckReport r = compare_dot_pe(*pe, dot_unit_, options_.vectors, stream_seed_, true);
      out.vectors = r.vectors;
      if (r.first)
        out.first = "beat " + std::to_string(r.first->cycle) + ": expected " +
                    describe_result(dot_unit_, r.first->expected) + ", got " +
                    describe_result(dot_unit_, r.first->got);
    } else {
      const uint64_t first = arrays_.first_mismatch.at(mutant);
      out.vectors = first ? first : arrays_.cycles;
      if (first)
        out.first = mutant == 0 ? arrays_.design_mismatch
                                : "cycle " + std::to_string(first) + " of the lockstep check";
    }
    out.failed = !out.first.empty();
    return out;
  }

private:
  const MutantModel& model_;
  const RunOptions& options_;
  Unit pe_unit_;
  std::vector<Beat> beats_;
  DotRtlUnit dot_unit_;
  uint64_t stream_seed_ = 0;
  ArrayCheck arrays_;
};

} // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
  case Outcome::Killed:
    return "killed";
  case Outcome::Equivalent:
    return "equivalent";
  case Outcome::Hole:
    return "hole";
  case Outcome::Undecided:
    return "undecided";
  case Outcome::TimedOut:
    return "proof-timeout";
  case Outcome::Survived:
    return "survived";
  }
  return "?";
}

std::string results_file(const MutantModel& m) {
  return std::string(m.family) + "." + module_name(m.unit) + ".tsv";
}

std::string proof_dir(const std::string& out_dir, const MutantModel& m, size_t id) {
  return (fs::path(out_dir) / "proofs" /
          (std::string(m.family) + "." + module_name(m.unit) + "." + std::to_string(id)))
      .string();
}

std::string to_tsv(const std::vector<MutantResult>& results) {
  std::ostringstream s;
  s << kHeader << '\n';
  s.precision(3);
  for (const MutantResult& r : results)
    s << r.id << '\t' << r.mutation.location << '\t' << r.mutation.mode << '\t'
      << outcome_name(r.outcome) << '\t' << r.vectors << '\t' << std::fixed << r.seconds << '\t'
      << r.mutation.command << '\t' << r.counterexample << '\n';
  return s.str();
}

std::vector<MutantResult> from_tsv(const std::string& text) {
  std::vector<MutantResult> out;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return out; // another version's: start over
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, '\t');)
      f.push_back(x);
    if (f.size() == 7) f.emplace_back(); // no counterexample
    if (f.size() != 8) continue;
    MutantResult r;
    r.id = std::stoul(f[0]);
    r.mutation.location = f[1];
    r.mutation.mode = f[2];
    r.outcome = parse_outcome(f[3]);
    r.vectors = std::stoull(f[4]);
    r.seconds = std::stod(f[5]);
    r.mutation.command = f[6];
    r.counterexample = f[7];
    out.push_back(r);
  }
  return out;
}

std::vector<MutantResult> run_model(const MutantModel& model, const RunOptions& options,
                                    const std::function<void(const MutantResult&)>& progress) {
  const std::vector<Mutation> mutations = from_text(model.mutations);
  const fs::path file =
      options.out_dir.empty() ? fs::path() : fs::path(options.out_dir) / results_file(model);

  // Earlier results of the same mutant (same id and command) are kept.
  std::map<size_t, MutantResult> done;
  std::error_code ec;
  if (!file.empty() && fs::exists(file, ec))
    for (const MutantResult& r : from_tsv(cost::read_file(file)))
      if (r.id >= 1 && r.id <= mutations.size() &&
          mutations[r.id - 1].command == r.mutation.command)
        done[r.id] = r;

  const Checker checker(model, options, mutations.size());
  if (const auto design_run = checker.run(0); design_run.failed)
    throw std::runtime_error(std::string("the design itself (") + model.unit + ", family " +
                             model.family + ") fails the check at " + design_run.first +
                             ": its mutants cannot be scored");
  cost::Design design;
  if (options.prove) design = mutant_design(model.kind, model.unit);

  std::vector<size_t> pending;
  for (size_t id = 1; id <= mutations.size(); ++id)
    if (!done.count(id)) pending.push_back(id);

  std::mutex mutex;
  std::atomic<size_t> next{0};
  std::string write_error;
  auto save = [&] { // under the mutex
    if (file.empty()) return;
    std::vector<MutantResult> all;
    for (const auto& [id, r] : done)
      all.push_back(r);
    const std::string why = files::write_atomically(file, to_tsv(all));
    if (!why.empty() && write_error.empty()) write_error = file.string() + ": " + why;
  };
  auto mutants = [&] {
    for (size_t i; (i = next++) < pending.size();) {
      const size_t id = pending[i];
      MutantResult r;
      r.id = id;
      r.mutation = mutations[id - 1];
      const auto t0 = std::chrono::steady_clock::now();
      const auto check = checker.run(uint32_t(id));
      r.vectors = check.vectors;
      if (check.failed) {
        r.outcome = Outcome::Killed;
      } else if (options.prove) {
        const fs::path keep =
            file.empty() ? fs::path() : fs::path(proof_dir(options.out_dir, model, id));
        const ProofResult p =
            prove_equivalent(design, r.mutation, "yosys", options.proof_seconds, keep);
        r.outcome = p.proof == Proof::Equivalent  ? Outcome::Equivalent
                    : p.proof == Proof::Different ? Outcome::Hole
                    : p.proof == Proof::TimedOut  ? Outcome::TimedOut
                                                  : Outcome::Undecided;
        r.counterexample = trace_text(p.counterexample);
      }
      r.seconds = seconds_since(t0);
      std::lock_guard<std::mutex> lock(mutex);
      done[id] = r;
      save();
      if (progress) progress(r);
    }
  };
  // A failing tool stops every thread; the results so far are kept.
  std::exception_ptr failure;
  auto work = [&] {
    try {
      mutants();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure) failure = std::current_exception();
      next = pending.size();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::max(1, options.jobs); ++t)
    threads.emplace_back(work);
  work();
  for (std::thread& t : threads)
    t.join();
  if (failure) std::rethrow_exception(failure);
  if (!write_error.empty()) throw std::runtime_error("cannot keep the results: " + write_error);

  std::vector<MutantResult> all;
  for (const auto& [id, r] : done)
    all.push_back(r);
  return all;
}

Score score(const std::vector<MutantResult>& results) {
  Score s;
  std::vector<uint64_t> kills;
  for (const MutantResult& r : results) {
    ++s.mutants;
    if (r.outcome == Outcome::Killed) {
      ++s.killed;
      kills.push_back(r.vectors);
    } else if (r.outcome == Outcome::Equivalent) {
      ++s.equivalent;
    } else {
      ++s.holes;
    }
  }
  const size_t scored = s.mutants - s.equivalent;
  s.killed_fraction = scored == 0 ? 1.0 : double(s.killed) / double(scored);
  if (!kills.empty()) {
    std::sort(kills.begin(), kills.end());
    s.median_vectors = kills[kills.size() / 2];
  }
  return s;
}

} // namespace qmac::rtl::mutation
