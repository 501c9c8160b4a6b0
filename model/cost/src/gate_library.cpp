#include "qmac/cost/gate_library.h"

#include <array>
#include <utility>

#include "yosys_cells.h"

namespace qmac::cost::gates {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

} // namespace

bool is_yosys_flip_flop(std::string_view type) {
  // Yosys's fine-grained flip-flops: $_DFF_P_, $_DFFE_PN0P_, $_SDFF_PP0_,
  // $_SDFFE_..., $_SDFFCE_..., $_DFFSR_..., $_DFFSRE_..., $_ALDFF_...,
  // $_ALDFFE_..., and $_FF_ (global clock). Latches are not flip-flops.
  for (std::string_view prefix : {"$_DFF", "$_SDFF", "$_ALDFF"})
    if (starts_with(type, prefix)) return true;
  return type == "$_FF_";
}

double yosys_cell_weight(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, double>, 16> kWeights{{
      {"$_BUF_", kBuffer},
      {"$_NOT_", kInverter},
      {"$_AND_", kNand2},
      {"$_NAND_", kNand2},
      {"$_OR_", kNand2},
      {"$_NOR_", kNand2},
      // a 2-input gate with one inverted input: one NAND2/NOR2 in CMOS
      {"$_ANDNOT_", kNand2},
      {"$_ORNOT_", kNand2},
      {"$_XOR_", kXor2},
      {"$_XNOR_", kXor2},
      {"$_MUX_", kMux2},
      {"$_NMUX_", kMux2},
      // ~((A & B) | C) and its dual: AO21/OA21 inverted
      {"$_AOI3_", kAo21},
      {"$_OAI3_", kAo21},
      // ~((A & B) | (C & D)) and its dual: AO22/OA22 inverted
      {"$_AOI4_", kAo22},
      {"$_OAI4_", kAo22},
  }};
  for (const auto& [name, weight] : kWeights)
    if (name == type) return weight;
  if (is_yosys_flip_flop(type)) return kFlipFlop;
  return -1;
}

} // namespace qmac::cost::gates
