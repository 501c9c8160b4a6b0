// The NAND2-equivalent weights of Yosys cells are the paper's gate costs.
#include <catch2/catch.hpp>

#include "qmac/cost/gate_library.h"

namespace gates = qmac::cost::gates;

TEST_CASE("every generic gate of the flow weighs its paper cost") {
  struct Expected {
    const char* type;
    double weight;
  };
  for (const Expected& e : {Expected{"$_NAND_", 1},
                            {"$_NOR_", 1},
                            {"$_AND_", 1},
                            {"$_OR_", 1},
                            {"$_ANDNOT_", 1},
                            {"$_ORNOT_", 1},
                            {"$_AOI3_", 2},
                            {"$_OAI3_", 2},
                            {"$_AOI4_", 3},
                            {"$_OAI4_", 3},
                            {"$_XOR_", 3},
                            {"$_XNOR_", 3},
                            {"$_MUX_", 3},
                            {"$_NOT_", 0.5},
                            {"$_BUF_", 0}}) {
    INFO(e.type);
    CHECK(gates::yosys_cell_weight(e.type) == e.weight);
  }
}

TEST_CASE("every flip-flop flavour weighs one plain flip-flop") {
  for (const char* type : {"$_DFF_P_", "$_DFF_N_", "$_DFFE_PP_", "$_DFF_PP0_", "$_SDFF_PN1_",
                           "$_SDFFE_PP0P_", "$_SDFFCE_PP0P_", "$_DFFSR_PPP_", "$_ALDFF_PP_"}) {
    INFO(type);
    CHECK(gates::yosys_cell_weight(type) == gates::kFlipFlop);
  }
  CHECK(gates::kFlipFlop == 6);
}

TEST_CASE("cell types without a weight are negative, never zero") {
  for (const char* type :
       {"$add", "$_MUX4_", "$_DLATCH_P_", "$_SR_PP_", "$_TBUF_", "NAND", "$_NAND", ""}) {
    INFO(type);
    CHECK(gates::yosys_cell_weight(type) < 0);
  }
}
