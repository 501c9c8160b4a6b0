// qmac-mutate: mutation coverage of the RTL checks. Runs every mutant of the
// mutant models built into it (families.txt) through qmac verify's check,
// decides each survivor from reset (Yosys's miter, ABC's dprove), and scores
// each family.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mutation_run.h"
#include "qmac/files/atomic_file.h"
#include "qmac/numerics/format.h"

namespace {

using namespace qmac::rtl::mutation;

const char* kHelp = R"(usage: qmac-mutate [--family NAME]... [-j N] [--vectors N] [--seed S]
                   [--no-proof] [--proof-seconds T] -o DIR
       qmac-mutate --list

Mutation coverage of the RTL checks (docs/correctness.md): each family's
mutants (Yosys `mutate`, sampled from the family's RTL files, all in one
Verilated model) run through the check qmac verify runs (directed beats,
then random ones, against the golden model), stopping at the first
mismatch. A survivor is then decided from reset: proved equivalent to the
design at its outputs (Yosys writes the miter, ABC's dprove proves it), or a
hole, with the input trace that tells it apart; a proof that gives up or runs
out of time counts as a hole too.
  --family NAME     only this family (repeatable; default: all)
  -j N              threads (default 1)
  --vectors N       beats per mutant (default 200000)
  --seed S          the random beats' seed (default 1)
  --no-proof        leave survivors undecided
  --proof-seconds T give each proof T seconds (default 300)
  --min-killed P    exit 1 if a family kills less than P percent of its
                    mutants not proved equivalent
  -o DIR            DIR/FAMILY.UNIT.tsv per model (a rerun resumes from
                    them), DIR/proofs/FAMILY.UNIT.ID/prove.sh per survivor
                    (reruns its proof) and DIR/summary.md, the score table
)";

struct Args {
  std::set<std::string> families;
  RunOptions run;
  bool list = false;
  double min_killed = 0; // percent
};

[[noreturn]] void bad(const std::string& why) {
  std::fprintf(stderr, "qmac-mutate: %s\n", why.c_str());
  std::exit(2);
}

uint64_t number(const std::string& flag, const char* text, uint64_t lo, uint64_t hi) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno || !*text || *end || *text == '-' || v < lo || v > hi)
    bad("bad " + flag + " '" + text + "': expected an integer from " + std::to_string(lo) + " to " +
        std::to_string(hi));
  return v;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) bad(f + " needs a value");
      return argv[++i];
    };
    if (f == "--help" || f == "-h") {
      std::fputs(kHelp, stdout);
      std::exit(0);
    } else if (f == "--list") {
      a.list = true;
    } else if (f == "--family") {
      a.families.insert(value());
    } else if (f == "-j") {
      a.run.jobs = int(number(f, value(), 1, 256));
    } else if (f == "--vectors") {
      a.run.vectors = number(f, value(), 1, 1ull << 40);
    } else if (f == "--seed") {
      a.run.seed = number(f, value(), 0, UINT64_MAX);
    } else if (f == "--no-proof") {
      a.run.prove = false;
    } else if (f == "--proof-seconds") {
      a.run.proof_seconds = long(number(f, value(), 1, 86400));
    } else if (f == "--min-killed") {
      a.min_killed = double(number(f, value(), 0, 100));
    } else if (f == "-o") {
      a.run.out_dir = value();
    } else {
      bad("unknown argument '" + f + "' (see --help)");
    }
  }
  if (!a.list && a.run.out_dir.empty()) bad("-o DIR is required (see --help)");
  std::set<std::string> known;
  for (const MutantModel& m : mutant_models())
    known.insert(m.family);
  for (const std::string& f : a.families)
    if (!known.count(f)) bad("unknown family '" + f + "' (see --list)");
  return a;
}

std::string percent(double x) {
  char s[16];
  std::snprintf(s, sizeof s, "%.1f%%", 100 * x);
  return s;
}

} // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  if (args.list) {
    for (const MutantModel& m : mutant_models())
      std::printf("%-16s %-4s %-40s %zu mutants of %s\n", m.family, m.kind, m.unit,
                  from_text(m.mutations).size(), m.files);
    return 0;
  }
  try {
    std::filesystem::create_directories(args.run.out_dir);
    std::map<std::string, std::vector<MutantResult>> by_family;
    std::map<std::string, std::string> family_units;
    std::vector<std::string> broken; // models whose design fails its own check
    for (const MutantModel& m : mutant_models()) {
      if (!args.families.empty() && !args.families.count(m.family)) continue;
      std::vector<MutantResult> results;
      try {
        results = run_model(m, args.run);
      } catch (const std::runtime_error& e) { // this model only: the others still run
        std::fprintf(stderr, "qmac-mutate: %s\n", e.what());
        broken.push_back(std::string(m.family) + " " + m.unit);
        continue;
      }
      const Score s = score(results);
      std::printf("%s %s: %zu mutants, %zu killed, %zu equivalent, %zu holes: %s killed, median "
                  "%llu beats to a kill\n",
                  m.family, m.unit, s.mutants, s.killed, s.equivalent, s.holes,
                  percent(s.killed_fraction).c_str(), (unsigned long long)s.median_vectors);
      for (const MutantResult& r : results)
        if (r.outcome != Outcome::Killed && r.outcome != Outcome::Equivalent)
          std::printf("  hole: mutant %zu at %s (%s): %s%s%s\n", r.id, r.mutation.location.c_str(),
                      r.mutation.mode.c_str(), outcome_name(r.outcome),
                      r.counterexample.empty() ? "" : ", killed by ", r.counterexample.c_str());
      auto& all = by_family[m.family];
      all.insert(all.end(), results.begin(), results.end());
      std::string& units = family_units[m.family];
      units += (units.empty() ? "" : ", ") + std::string(m.unit);
    }
    std::string table =
        "| family | units | mutants | killed | equivalent | holes | killed of "
        "non-equivalent | median beats to a kill |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& [family, results] : by_family) {
      const Score s = score(results);
      table += "| " + family + " | " + family_units[family] + " | " + std::to_string(s.mutants) +
               " | " + std::to_string(s.killed) + " | " + std::to_string(s.equivalent) + " | " +
               std::to_string(s.holes) + " | " + percent(s.killed_fraction) + " | " +
               std::to_string(s.median_vectors) + " |\n";
    }
    const std::string why = qmac::files::write_atomically(
        std::filesystem::path(args.run.out_dir) / "summary.md", table);
    if (!why.empty()) throw std::runtime_error("cannot write summary.md: " + why);
    std::fputs(table.c_str(), stdout);
    int status = 0;
    for (const std::string& model : broken) {
      std::fprintf(stderr, "qmac-mutate: %s was not scored: the design fails its own check\n",
                   model.c_str());
      status = 1;
    }
    for (const auto& [family, results] : by_family)
      if (100 * score(results).killed_fraction < args.min_killed) {
        std::fprintf(
            stderr, "qmac-mutate: family %s kills %s of its mutants, under --min-killed %g\n",
            family.c_str(), percent(score(results).killed_fraction).c_str(), args.min_killed);
        status = 1;
      }
    return status;
  } catch (const qmac::InputError& e) {
    std::fprintf(stderr, "qmac-mutate: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qmac-mutate: %s\n", e.what());
    return 1;
  }
}
