// Mutation testing's parts on real Yosys runs and the sample's real mutant
// models: where mutations are located, how a family is sampled, the
// equivalence proof on a mutant known to be equivalent and one known not to
// be, and a run over the sample's mutants (the design itself passes, the
// mutants' outcomes, resuming from the results file).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

#include "array_check.h"
#include "equivalence.h"
#include "mutant_design.h"
#include "mutation_run.h"

namespace {

using namespace qmac::rtl::mutation;
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("qmac_test_mutation_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

const MutantModel& model(const std::string& family) {
  for (const MutantModel& m : mutant_models())
    if (family == m.family) return m;
  FAIL("no mutant model of family " << family);
  throw;
}

} // namespace

TEST_CASE("mutations: located in the cell's own module, sampled by file and seed") {
  // The fx+12 step of e5m2: its own logic (the special-value flags) is in
  // qmac_acc_step.v; the pipeline registers that carry its inputs are
  // qmac_delay.v's, though their wires are declared in qmac_acc_step.v.
  const qmac::cost::Design design = mutant_design("pe", "e5m2:e5m2:fx+12");
  const fs::path dir = scratch("build");
  SampleSpec spec;
  spec.files = {"qmac_acc_step.v"};
  spec.count = 12;
  const auto chosen = build_mutants(design, spec, "yosys", dir.string());
  REQUIRE(chosen.size() == 12);
  for (const Mutation& m : chosen) {
    INFO(m.command);
    CHECK(m.location.rfind("qmac_acc_step.v:", 0) == 0);
    CHECK(m.command.find("$procdff") == std::string::npos); // no register is the step's
  }
  std::ifstream in(dir / "mutations.txt");
  std::stringstream text;
  text << in.rdbuf();
  const auto back = from_text(text.str());
  REQUIRE(back.size() == chosen.size());
  CHECK(back[3].command == chosen[3].command);
  CHECK(back[3].mode == chosen[3].mode);
  // The netlist: every mutation behind mutsel, 4 bits for 12 mutants.
  std::ifstream netlist(dir / "mutated.v");
  std::stringstream v;
  v << netlist.rdbuf();
  CHECK(v.str().find("module qmac_mutant(") != std::string::npos);
  CHECK(v.str().find("input [3:0] mutsel;") != std::string::npos);
  // Sampling: the same seed the same sample, another seed another; a file
  // filter nothing matches is an error naming it.
  const std::vector<Mutation> all = chosen;
  CHECK(to_text(sample(all, spec.files, 5, 7)) == to_text(sample(all, spec.files, 5, 7)));
  CHECK(to_text(sample(all, spec.files, 5, 7)) != to_text(sample(all, spec.files, 5, 8)));
  CHECK(sample(all, {"qmac_pe.v"}, 5, 7).empty());
  spec.files = {"qmac_nowhere.v"};
  CHECK_THROWS_WITH(build_mutants(design, spec, "yosys", scratch("none").string()),
                    Catch::Contains("qmac_nowhere.v"));
}

TEST_CASE("mutations: the proof tells an equivalent mutant from a different one, from reset") {
  // e4m3fn has no Inf, so in its fx+12 PE the Inf flag's OR with an
  // infinite product (qmac_acc_step.v:62) is an OR with a constant 0:
  // forcing that input to 0 changes nothing. Forcing the OR's output to 1
  // sets the Inf flag after every finite product: a different design.
  const qmac::cost::Design design = mutant_design("pe", "e4m3fn:e4m3fn:fx+12");
  const std::string cell = "$flatten\\pe.\\datapath.\\step.$logic_or$" +
                           (fs::path(QMAC_TEST_RTL_DIR) / "qmac_acc_step.v").string() + ":62$522";
  const std::string mutate = "mutate -module unit_e4m3fn_e4m3fn_fx_12 -cell " + cell;
  Mutation same;
  same.command = mutate + " -mode const0 -port B -portbit 0";
  const ProofResult p = prove_equivalent(design, same, "yosys", 300);
  INFO(p.script);
  CHECK(p.proof == Proof::Equivalent);
  CHECK(p.counterexample.empty());

  // The OR's other input is the Inf flag's register, which no e4m3fn
  // product ever sets after a reset: forcing it to 0 is equivalent from
  // reset, though not from every state (an induction over all states
  // would not prove it).
  Mutation unreachable;
  unreachable.command = mutate + " -mode const0 -port A -portbit 0";
  CHECK(prove_equivalent(design, unreachable, "yosys", 300).proof == Proof::Equivalent);

  // The different one comes with an input trace that shows it: every
  // cycle names the ports, and some beat is valid out of reset.
  Mutation other;
  other.command = mutate + " -mode const1 -port Y -portbit 0";
  const ProofResult d = prove_equivalent(design, other, "yosys", 300);
  CHECK(d.proof == Proof::Different);
  REQUIRE(!d.counterexample.empty());
  bool valid_beat = false;
  for (const CycleInputs& cycle : d.counterexample) {
    std::vector<std::string> ports;
    for (const auto& [port, value] : cycle)
      ports.push_back(port);
    std::sort(ports.begin(), ports.end());
    CHECK(ports == std::vector<std::string>{"a", "b", "clear", "rst", "valid"});
    std::map<std::string, std::string> v(cycle.begin(), cycle.end());
    valid_beat = valid_beat || (v["rst"] == "0x0" && v["valid"] == "0x1");
  }
  CHECK(valid_beat);
}

TEST_CASE("mutations: a counterexample is read into per-cycle port values") {
  // ABC's write_cex -n lines against Yosys's write_aiger -map: inputs
  // 0..2 are in_a[0..2], 3 is the clock (left out), 4 is in_rst.
  const std::string map = "input 0 0 in_a\ninput 1 1 in_a\ninput 2 2 in_a\ninput 3 0 in_clk\n"
                          "input 4 0 in_rst\nlatch 0 0 gold.q\noutput 0 0 trigger\n";
  const std::string cex = "# COUNTEREXAMPLE LENGTH: 2\nlo0@0=0\npi0@0=1\npi1@0=0\npi2@0=1\n"
                          "pi3@0=1\npi4@0=1\npi0@1=0\npi1@1=1\npi2@1=1\npi3@1=0\npi4@1=0\n";
  const std::vector<CycleInputs> t = parse_counterexample(cex, map);
  REQUIRE(t.size() == 2);
  CHECK(t[0] == CycleInputs{{"a", "0x5"}, {"rst", "0x1"}});
  CHECK(t[1] == CycleInputs{{"a", "0x6"}, {"rst", "0x0"}});
  CHECK(trace_text(t) == "0: a=0x5 rst=0x1; 1: a=0x6 rst=0x0");
}

TEST_CASE("mutation run: the sample's step mutants are all killed, and a rerun resumes") {
  const MutantModel& step = model("step");
  RunOptions o;
  o.vectors = 20000;
  o.prove = false;
  o.jobs = 2;
  o.out_dir = scratch("run").string();
  const auto results = run_model(step, o);
  REQUIRE(results.size() == from_text(step.mutations).size());
  const Score s = score(results);
  CHECK(s.killed == s.mutants); // every mutant of the step dies (docs/correctness.md)
  CHECK(s.median_vectors > 0);
  for (const MutantResult& r : results)
    CHECK(r.vectors <= o.vectors);
  // The results file holds them all; a rerun reads it and runs nothing.
  std::ifstream in(fs::path(o.out_dir) / results_file(step));
  std::stringstream text;
  text << in.rdbuf();
  CHECK(from_tsv(text.str()).size() == results.size());
  size_t reruns = 0;
  const auto again = run_model(step, o, [&](const MutantResult&) { ++reruns; });
  CHECK(reruns == 0);
  CHECK(to_tsv(again) == to_tsv(results));
}

TEST_CASE("mutation run: an array model's mutants run in one lockstep simulation") {
  // All of the sample's int16 WS array mutants beside one SystemC array, in
  // a forked child: the design itself (mutant 0) passes, most mutants die
  // (docs/correctness.md has the full run's score; the GEMMs alone take
  // about 117,000 cycles), and the check can run again in the same process.
  const MutantModel& arrays = model("array-ws");
  RunOptions o;
  o.vectors = 30000;
  o.prove = false;
  o.out_dir = scratch("array").string();
  const auto results = run_model(arrays, o);
  REQUIRE(results.size() == from_text(arrays.mutations).size());
  const Score s = score(results);
  CHECK(s.killed * 10 >= s.mutants * 8);
  for (const MutantResult& r : results)
    if (r.outcome == Outcome::Killed) CHECK(r.vectors > 0); // the cycle it first differed
  const ArrayCheck again = check_array_mutants(arrays, 3, 3000, 5);
  REQUIRE(again.first_mismatch.size() == 4);
  CHECK(again.first_mismatch[0] == 0);
  CHECK(again.design_mismatch.empty());
  CHECK(again.cycles >= 3000);
}
