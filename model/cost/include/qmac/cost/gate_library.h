// The unit of area: NAND2-equivalent gates, with the gate costs of van Baalen
// et al., "FP8 versus INT8 for efficient deep learning inference",
// arXiv:2303.17951, Appendix B. The
// analytical model composes its blocks from these, and the Yosys flow weighs
// the cells of a synthesized netlist with the same numbers, so the two counts
// are comparable.
#pragma once

#include <string_view>

namespace qmac::cost::gates {

// The paper's table.
inline constexpr double kNand2 = 1; // also NOR2, AND2, OR2
inline constexpr double kAo21 = 2;  // AO21/OA21 and their inverted forms
inline constexpr double kMux2 = 3;
inline constexpr double kXor2 = 3; // also XNOR2
inline constexpr double kHalfAdder = 3;
inline constexpr double kFullAdder = 2 * kHalfAdder + kNand2; // 7
inline constexpr double kFlipFlop = 2 * kMux2;                // 6, non-scan

// Where the paper is silent (our choices, documented in docs/cost.md):
// an inverter is half a NAND2 (standard-cell libraries put it at 0.5-0.7),
// a buffer is wiring, and AO22/OA22 (and inverted) are two AND2 and an OR2.
inline constexpr double kInverter = 0.5;
inline constexpr double kBuffer = 0;
inline constexpr double kAo22 = 3;

// The NAND2-equivalent weight of a Yosys internal gate cell ("$_NAND_",
// "$_AOI3_", "$_DFF_P_", ...); negative for a cell type it does not know.
// Every flip-flop flavour counts as one plain flip-flop: the flow legalizes
// enables and resets into logic before counting.
double yosys_cell_weight(std::string_view type);

} // namespace qmac::cost::gates
