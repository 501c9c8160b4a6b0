// Mutations of an RTL design as Yosys's `mutate` pass lists them (the method
// of YosysHQ's mcy): a small change to one cell of the flattened netlist
// (a constant bit, an inverted bit, a bit made to copy its neighbour), named
// by the `mutate -mode ...` command that applies it.
//
// A family of mutants is a seeded sample of a design's mutations whose
// cells come from a set of RTL files (the multipliers: qmac_multiplier.v),
// so that each family is scored on its own module's logic.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qmac::rtl::mutation {

struct Mutation {
  std::string command;  // "mutate -mode inv -module M -cell C -port Y -portbit 3 ..."
  std::string mode;     // const0, const1, inv, cnot0, cnot1
  std::string location; // the mutated cell's own source line: "qmac_acc_float.v:125"
};

// The design before flattening, from Yosys's `dump`: each module's source
// file and instances, and the source locations where one module
// instantiates another (a flattened cell's src attribute lists them next to
// its own).
class Hierarchy {
public:
  Hierarchy(std::string_view rtlil_dump, std::string top);
  // The source file (no directory) of the module a flattened cell comes
  // from, by the cell's name ("$flatten\pe.\datapath.$add$..."): the path
  // of instances leads from the top module to it.
  std::string file_of_cell(const std::string& cell) const;
  bool is_instance_site(const std::string& src) const { return sites_.count(src) > 0; }

private:
  struct Module {
    std::string file;
    std::vector<std::pair<std::string, std::string>> instances; // name, module
  };
  std::string top_;
  std::map<std::string, Module> modules_;
  std::set<std::string> sites_;
};

// The mutations of a `mutate -list` output, each located at its cell's own
// source line: the one Yosys wrote into the cell's name, else the earliest
// src entry in the file of the cell's module (a mutation that names a wire
// also lists the wire's declaration, which may be in another module).
// Lines that are not mutations (the `-mode none` entry) are skipped.
std::vector<Mutation> parse_mutate_list(std::string_view text, const Hierarchy& hierarchy);

// A mutation of a flip-flop's clock input. Sampling leaves these out: a
// clock held at a constant is a fault of the clock tree, not of the logic
// a check at the clock edge judges, and Verilator's scheduling of a
// multiplexed clock did not stop the register (such a mutant of the PE's
// register survived the check that any stuck register fails).
bool mutates_clock(const Mutation& m);

// Up to `count` mutations whose location's file is one of `files` (file
// names without directories) and that leave the clocks alone, drawn without
// replacement by `seed`, in the order of `all`. Deterministic: the same list
// and seed give the same sample.
std::vector<Mutation> sample(const std::vector<Mutation>& all, const std::set<std::string>& files,
                             size_t count, uint64_t seed);

// The control input that selects a mutant at run time: mutant k (1-based)
// is active when mutsel == k; 0 is the design itself.
inline constexpr const char* kControl = "mutsel";
int control_width(size_t mutants); // bits for 0..mutants

// The Yosys commands that apply every mutation behind the control input.
std::string apply_script(const std::vector<Mutation>& mutations);

// A sample as text, one mutation per line ("LOCATION<TAB>COMMAND"), and back.
std::string to_text(const std::vector<Mutation>& mutations);
std::vector<Mutation> from_text(std::string_view text);

} // namespace qmac::rtl::mutation
