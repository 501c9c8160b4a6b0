// qmac-mutants: builds one family's mutant netlist for the build (the
// mutant models of testbench/mutation/families.txt).
//
//   qmac-mutants KIND UNIT FILES COUNT SEED DIR
//
// KIND pe | dot | array, UNIT a unit name (an array's UNIT/RxC/ws|os), FILES
// the family's RTL files separated by commas. Writes DIR/mutated.v (the
// design's top, every sampled mutation behind the input `mutsel`) and
// DIR/mutations.txt. The RTL directory is $QMAC_RTL_DIR or the source
// tree's; Yosys is `yosys` on PATH.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <sstream>
#include <string>

#include "mutant_design.h"

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: qmac-mutants pe|dot|array UNIT FILE[,FILE...] COUNT SEED DIR\n");
    return 2;
  }
  try {
    using namespace qmac::rtl::mutation;
    SampleSpec spec;
    std::istringstream files(argv[3]);
    for (std::string f; std::getline(files, f, ',');)
      if (!f.empty()) spec.files.insert(f);
    spec.count = std::stoul(argv[4]);
    spec.seed = std::stoull(argv[5]);
    const qmac::cost::Design design = mutant_design(argv[1], argv[2]);
    const auto chosen = build_mutants(design, spec, "yosys", argv[6]);
    std::printf("%zu mutants of %s in %s\n", chosen.size(), design.name.c_str(), argv[3]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qmac-mutants: %s\n", e.what());
    return 1;
  }
}
