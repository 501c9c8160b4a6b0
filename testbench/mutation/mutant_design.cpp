#include "mutant_design.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "qmac/cost/subprocess.h"
#include "qmac/cost/tool_error.h"
#include "qmac/numerics/format.h"
#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::rtl::mutation {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw cost::ToolError("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The ERROR line of a Yosys log, else its end.
std::string complaint(const std::string& log) {
  const size_t at = log.find("ERROR:");
  if (at != std::string::npos) return log.substr(at, log.find('\n', at) - at);
  return log.size() > 400 ? log.substr(log.size() - 400) : log;
}

// Runs `script` in `dir` (where the design's generated sources are written);
// a deadline of 0 is none. ToolError when Yosys fails.
cost::ProcessResult run_yosys(const cost::Design& design, const std::string& script,
                              const std::string& yosys, const fs::path& dir, long seconds) {
  for (const auto& [file, text] : design.generated)
    write_file(dir / file, text);
  write_file(dir / "driver.ys", script);
  const std::vector<std::string> argv = {yosys, "-q", "-l", "yosys.log", "-s", "driver.ys"};
  cost::ProcessResult run = seconds > 0 ? cost::run_process_for(argv, dir.string(), seconds)
                                        : cost::run_process(argv, dir.string());
  return run;
}

// A scratch directory, removed on every path out.
class Scratch {
public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "qmac-mutant-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw cost::ToolError("cannot create a scratch directory");
    path_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

} // namespace

cost::Design mutant_design(const std::string& kind, const std::string& unit,
                           const cost::SynthesisOptions& options) {
  if (kind == "pe") return cost::unit_design(parse_unit(unit), options);
  if (kind == "dot") return cost::dot_design(parse_dot_rtl_unit(unit), options);
  throw InputError("unknown design kind '" + kind + "' (expected pe or dot)");
}

std::string prepare_script(const cost::Design& design) {
  return cost::yosys_read_script(design) + "tee -q -o hierarchy.il dump\nprep -flatten -top " +
         design.top + "\n";
}

std::vector<Mutation> build_mutants(const cost::Design& design, const SampleSpec& spec,
                                    const std::string& yosys, const std::string& dir) {
  const fs::path work(dir);
  const std::string prepare = prepare_script(design);
  auto yosys_or_throw = [&](const std::string& script, const char* what) {
    const cost::ProcessResult run = run_yosys(design, script, yosys, work, 0);
    if (run.exit_status != 0)
      throw cost::ToolError(std::string("Yosys failed ") + what + " of " + design.name + ": " +
                            complaint(read_file(work / "yosys.log") + run.output));
  };
  yosys_or_throw(prepare + "mutate -list " + std::to_string(spec.candidates) + " -seed " +
                     std::to_string(spec.seed) + " -o all_mutations.txt\n",
                 "listing the mutations");
  const std::vector<Mutation> all =
      parse_mutate_list(read_file(work / "all_mutations.txt"),
                        Hierarchy(read_file(work / "hierarchy.il"), design.top));
  std::vector<Mutation> chosen = sample(all, spec.files, spec.count, spec.seed);
  if (chosen.empty()) {
    std::string files;
    for (const std::string& f : spec.files)
      files += (files.empty() ? "" : ", ") + f;
    throw InputError("no mutation of " + design.name + " lies in " + files);
  }
  write_file(work / "apply.ys", apply_script(chosen));
  yosys_or_throw(prepare + "script apply.ys\nopt_clean\nrename " + design.top + " " + kMutantTop +
                     "\nwrite_verilog -noattr mutated.v\n",
                 "applying the mutations");
  write_file(work / "mutations.txt", to_text(chosen));
  return chosen;
}

const char* proof_name(Proof p) {
  switch (p) {
  case Proof::Equivalent:
    return "equivalent";
  case Proof::NotProved:
    return "not proved";
  case Proof::TimedOut:
    return "timed out";
  }
  return "?";
}

ProofResult prove_equivalent(const cost::Design& design, const Mutation& m,
                             const std::string& yosys, long seconds) {
  // Only ports (which `rename -hide` leaves) and flip-flop outputs keep
  // their names; equiv_make pairs what has the same name in both.
  const std::string hide = "rename -hide w:* t:$*dff* t:$ff %u %co:+[Q] w:* %i %d\n";
  std::ostringstream s;
  s << prepare_script(design) << "design -save original\n"
    << m.command << "\nrename " << design.top << " gate\n"
    << hide << "design -stash mutant\n"
    << "design -load original\nrename " << design.top << " gold\n"
    << hide << "design -copy-from mutant gate\n"
    << "equiv_make gold gate equiv\nhierarchy -top equiv\n"
    << "equiv_simple -seq 2\nequiv_induct -seq 2\nequiv_status -assert\n";
  ProofResult r;
  r.script = s.str();
  Scratch scratch;
  const auto t0 = std::chrono::steady_clock::now();
  const cost::ProcessResult run = run_yosys(design, r.script, yosys, scratch.path(), seconds);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (run.timed_out) {
    r.proof = Proof::TimedOut;
    return r;
  }
  const std::string log = read_file(scratch.path() / "yosys.log");
  if (run.exit_status == 0) {
    r.proof = Proof::Equivalent;
  } else if (log.find("unproven $equiv cells") != std::string::npos) {
    r.proof = Proof::NotProved;
  } else {
    throw cost::ToolError("Yosys failed proving a mutant of " + design.name + ": " +
                          complaint(log + run.output));
  }
  return r;
}

} // namespace qmac::rtl::mutation
