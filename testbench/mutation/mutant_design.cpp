#include "mutant_design.h"

#include <algorithm>
#include <filesystem>

#include "qmac/array/array_config.h"
#include "qmac/cost/subprocess.h"
#include "qmac/cost/tool_error.h"
#include "qmac/cost/work_dir.h"
#include "qmac/numerics/format.h"
#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::rtl::mutation {

namespace fs = std::filesystem;

std::string yosys_complaint(const fs::path& dir, const std::string& output) {
  std::error_code ec;
  const std::string log =
      (fs::exists(dir / "yosys.log", ec) ? cost::read_file(dir / "yosys.log") : "") + output;
  const size_t at = log.find("ERROR:");
  if (at != std::string::npos) return log.substr(at, log.find('\n', at) - at);
  return log.size() > 400 ? log.substr(log.size() - 400) : log;
}

cost::ProcessResult run_yosys(const cost::Design& design, const std::string& script,
                              const std::string& yosys, const fs::path& dir, long seconds) {
  for (const auto& [file, text] : design.generated)
    cost::write_file(dir / file, text);
  cost::write_file(dir / "driver.ys", script);
  const std::vector<std::string> argv = {yosys, "-q", "-l", "yosys.log", "-s", "driver.ys"};
  cost::ProcessResult run = seconds > 0 ? cost::run_process_for(argv, dir.string(), seconds)
                                        : cost::run_process(argv, dir.string());
  return run;
}

std::string array_key_of(const std::string& unit) {
  std::string key = unit;
  std::replace(key.begin(), key.end(), '/', ' ');
  return key;
}

namespace {

// The array top over the same sources as its unit's PE.
cost::Design array_design(const std::string& unit, const cost::SynthesisOptions& options) {
  const std::string key = array_key_of(unit);
  const size_t s1 = key.find(' '), s2 = key.rfind(' ');
  if (s1 == std::string::npos || s1 == s2)
    throw InputError("bad array '" + unit + "': expected UNIT/RxC/ws|os");
  const Unit u = parse_unit(key.substr(0, s1));
  uint32_t rows = 0, cols = 0;
  array::parse_array_size(key.substr(s1 + 1, s2 - s1 - 1), rows, cols);
  const bool ws = array::parse_dataflow(key.substr(s2 + 1)) == array::Dataflow::WeightStationary;
  cost::Design d = cost::unit_design(u, options);
  d.name = "array " + key;
  d.top = "array_" + module_name(key).substr(5); // unit_X -> array_X
  d.generated = {{d.top + ".v", array_top_verilog(u, rows, cols, ws, d.top)}};
  return d;
}

} // namespace

cost::Design mutant_design(const std::string& kind, const std::string& unit,
                           const cost::SynthesisOptions& options) {
  if (kind == "pe") return cost::unit_design(parse_unit(unit), options);
  if (kind == "dot") return cost::dot_design(parse_dot_rtl_unit(unit), options);
  if (kind == "array") return array_design(unit, options);
  throw InputError("unknown design kind '" + kind + "' (expected pe, dot or array)");
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
                            yosys_complaint(work, run.output));
  };
  yosys_or_throw(prepare + "mutate -list " + std::to_string(spec.candidates) + " -seed " +
                     std::to_string(spec.seed) + " -o all_mutations.txt\n",
                 "listing the mutations");
  const std::vector<Mutation> all =
      parse_mutate_list(cost::read_file(work / "all_mutations.txt"),
                        Hierarchy(cost::read_file(work / "hierarchy.il"), design.top));
  std::vector<Mutation> chosen = sample(all, spec.files, spec.count, spec.seed);
  if (chosen.empty()) {
    std::string files;
    for (const std::string& f : spec.files)
      files += (files.empty() ? "" : ", ") + f;
    throw InputError("no mutation of " + design.name + " lies in " + files);
  }
  cost::write_file(work / "apply.ys", apply_script(chosen));
  yosys_or_throw(prepare + "script apply.ys\nopt_clean\nrename " + design.top + " " + kMutantTop +
                     "\nwrite_verilog -noattr mutated.v\n",
                 "applying the mutations");
  cost::write_file(work / "mutations.txt", to_text(chosen));
  return chosen;
}

} // namespace qmac::rtl::mutation
