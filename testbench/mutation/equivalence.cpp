#include "equivalence.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "mutant_design.h"
#include "qmac/cost/subprocess.h"
#include "qmac/cost/tool_error.h"
#include "qmac/cost/work_dir.h"

namespace qmac::rtl::mutation {
namespace {

namespace fs = std::filesystem;

// The miter of the design ("gold") and the mutant ("gate"), both reading
// the same netlist, as an AIGER file whose latches start in the reset
// state. Undriven bits (an output's unused top) are tied to 0 in both, or
// the miter would compare undefined values.
std::string miter_script(const cost::Design& design, const Mutation& m) {
  std::ostringstream s;
  s << prepare_script(design) << "design -save original\n"
    << m.command << "\nrename " << design.top << " gate\ndesign -stash mutant\n"
    << "design -load original\nrename " << design.top << " gold\n"
    << "design -copy-from mutant gate\n"
    << "setundef -undriven -zero\n"
    << "miter -equiv -flatten gold gate miter\nhierarchy -top miter\n"
    // One reset cycle, its end state written back as the initial values.
    << "sim -clock in_clk -reset in_rst -rstlen 1 -n 1 -w\n"
    << "opt -fast\ndffunmap\ntechmap\naigmap\nsetundef -zero\nopt_clean\n"
    << "write_aiger -zinit -map miter.map miter.aig\n";
  return s.str();
}

// First a bounded search from reset (ABC's bmc3; dprove's own search stops at
// a conflict limit and missed a trace bmc3 found in 10 s), then the proof.
std::string search_command(long seconds) {
  return "read_aiger miter.aig; bmc3 -F 10 -T " + std::to_string(seconds) +
         "; write_cex -n cex.txt";
}
constexpr const char* kProve = "read_aiger miter.aig; dprove; write_cex -n cex.txt";

std::string abc_beside(const std::string& yosys) {
  const size_t slash = yosys.rfind('/');
  return (slash == std::string::npos ? std::string() : yosys.substr(0, slash + 1)) + "yosys-abc";
}

std::string hex_of(const std::vector<bool>& bits) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t top = (bits.size() + 3) / 4; top-- > 0;) {
    int d = 0;
    for (int k = 3; k >= 0; --k)
      d = 2 * d + (4 * top + k < bits.size() && bits[4 * top + k]);
    if (!out.empty() || d != 0 || top == 0) out += digits[d];
  }
  return "0x" + out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

const char* proof_name(Proof p) {
  switch (p) {
  case Proof::Equivalent:
    return "equivalent";
  case Proof::Different:
    return "different";
  case Proof::Undecided:
    return "undecided";
  case Proof::TimedOut:
    return "timed out";
  }
  return "?";
}

std::vector<CycleInputs> parse_counterexample(const std::string& cex, const std::string& map) {
  struct Bit {
    std::string port;
    size_t bit;
  };
  std::map<size_t, Bit> inputs;
  std::vector<std::string> ports; // in order of first appearance
  std::map<std::string, size_t> width;
  std::istringstream m(map);
  for (std::string kind; m >> kind;) {
    std::string rest;
    std::getline(m, rest);
    if (kind != "input") continue;
    std::istringstream f(rest);
    size_t index, bit;
    std::string port;
    if (!(f >> index >> bit >> port)) continue;
    if (port.rfind("in_", 0) == 0) port = port.substr(3);
    if (port == "clk") continue;
    if (!width.count(port)) ports.push_back(port);
    width[port] = std::max(width[port], bit + 1);
    inputs[index] = {port, bit};
  }
  std::vector<std::map<std::string, std::vector<bool>>> cycles;
  static const std::regex line(R"(pi(\d+)@(\d+)=([01]))");
  std::istringstream c(cex);
  for (std::string l; std::getline(c, l);) {
    std::smatch g;
    if (!std::regex_match(l, g, line)) continue;
    const auto in = inputs.find(std::stoul(g[1]));
    if (in == inputs.end()) continue;
    const size_t cycle = std::stoul(g[2]);
    if (cycles.size() <= cycle) cycles.resize(cycle + 1);
    auto& bits = cycles[cycle][in->second.port];
    bits.resize(width[in->second.port]);
    bits[in->second.bit] = g[3] == "1";
  }
  std::vector<CycleInputs> out;
  for (auto& cycle : cycles) {
    CycleInputs row;
    for (const std::string& port : ports) {
      auto& bits = cycle[port];
      bits.resize(width[port]);
      row.emplace_back(port, hex_of(bits));
    }
    out.push_back(row);
  }
  return out;
}

std::string trace_text(const std::vector<CycleInputs>& trace) {
  std::ostringstream s;
  for (size_t t = 0; t < trace.size(); ++t) {
    s << (t ? "; " : "") << t << ':';
    for (const auto& [port, value] : trace[t])
      s << ' ' << port << '=' << value;
  }
  return s.str();
}

ProofResult prove_equivalent(const cost::Design& design, const Mutation& m,
                             const std::string& yosys, long seconds, const fs::path& keep) {
  ProofResult r;
  r.script = miter_script(design, m);
  std::optional<cost::WorkDir> scratch;
  fs::path dir = keep;
  if (dir.empty()) {
    scratch.emplace(fs::temp_directory_path(), "qmac-proof");
    dir = scratch->path();
  } else {
    fs::create_directories(dir);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const cost::ProcessResult miter = run_yosys(design, r.script, yosys, dir, seconds);
  if (miter.timed_out) {
    r.proof = Proof::TimedOut;
    r.seconds = seconds_since(t0);
    return r;
  }
  if (miter.exit_status != 0)
    throw cost::ToolError("Yosys failed writing the miter of a mutant of " + design.name + ": " +
                          yosys_complaint(dir, miter.output));
  const std::string abc = abc_beside(yosys);
  auto left = [&] { return std::max(1L, seconds - long(seconds_since(t0))); };
  const std::string search = search_command(std::max(1L, std::min(20L, left() / 3)));
  r.abc = search + "\n" + kProve;
  cost::ProcessResult run = cost::run_process_for({abc, "-c", search}, dir.string(), left());
  std::string said = run.output;
  const bool found = !run.timed_out && run.exit_status == 0 &&
                     run.output.find("was asserted in frame") != std::string::npos;
  if (!found && !run.timed_out && run.exit_status == 0) {
    run = cost::run_process_for({abc, "-c", kProve}, dir.string(), left());
    said += run.output;
  }
  r.seconds = seconds_since(t0);
  if (run.timed_out) {
    r.proof = Proof::TimedOut;
  } else if (run.exit_status != 0) {
    throw cost::ToolError("ABC failed on the miter of a mutant of " + design.name + ": " +
                          run.output.substr(0, 400));
  } else if (!found && (run.output.find("Networks are equivalent") != std::string::npos ||
                        run.output.find("UNSATISFIABLE") != std::string::npos)) {
    // (A miter whose flip-flops all merged, gold with gate, has none left:
    // dprove runs a combinational check, which answers (UN)SATISFIABLE.)
    r.proof = Proof::Equivalent;
  } else if (found || run.output.find("Networks are NOT EQUIVALENT") != std::string::npos ||
             run.output.find("was asserted in frame") != std::string::npos ||
             run.output.find("SATISFIABLE") != std::string::npos) {
    r.proof = Proof::Different;
    std::error_code ec;
    if (fs::exists(dir / "cex.txt", ec))
      r.counterexample = parse_counterexample(cost::read_file(dir / "cex.txt"),
                                              cost::read_file(dir / "miter.map"));
  } else {
    r.proof = Proof::Undecided;
  }
  if (!keep.empty()) { // the scripts and what the tools said, to rerun it by hand
    cost::write_file(dir / "abc.log", said);
    cost::write_file(dir / "prove.sh",
                     "#!/bin/sh\n# Writes the miter, searches it for a trace, then proves it.\n"
                     "cd \"$(dirname \"$0\")\" && " +
                         yosys + " -q -l yosys.log -s driver.ys && " + abc + " -c '" + search +
                         "' && " + abc + " -c '" + kProve + "'\n");
    std::error_code ec;
    for (const char* big : {"miter.aig", "hierarchy.il"})
      fs::remove(dir / big, ec);
  }
  return r;
}

} // namespace qmac::rtl::mutation
