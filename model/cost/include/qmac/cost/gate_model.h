// The analytical gate-count model of one MAC: the method of van Baalen et
// al. 2023 (FP8 versus INT8, section 3.3 and Appendix B) generalized from
// their INT8/FP8 inputs and FX+12/FP16/FP32 accumulators to every element
// format and accumulator qmac has, in formulas over the formats' parameters
// (significand and exponent widths, the span of the value grid, the
// accumulator's width) and the paper's gate costs. Nothing in it is fitted to a
// configuration; test_gate_model.cpp holds it against the paper's Figure 3.
//
// The cost splits as the paper's does:
//   mpy        the significand multiplier, the product's sign, and the
//              pipeline register(s) holding the product
//   alignadd   what brings the product to the accumulator's scale and adds
//              it: exponent logic, special-value detection, alignment
//              shifter, complement, the adder
//   normalize  what makes the sum a register value again: for floats
//              leading-one detection, normalization shift, rounding and the
//              exponent update; for fixed point the carry into the guard bits;
//              and the accumulator register itself
// Every term is listed as a GateItem, so a user can see where the gates go.
#pragma once

#include <string>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::cost {

enum class Block { Mpy, AlignAdd, Normalize };
const char* block_name(Block b); // "mpy", "alignadd", "normalize"

struct GateItem {
  Block block;
  std::string what; // e.g. "4x4 significand multiplier"
  double gates;
};

struct GateCount {
  double mpy = 0, alignadd = 0, normalize = 0;
  std::vector<GateItem> items; // sums to the three blocks
  double total() const { return mpy + alignadd + normalize; }
};

// How an operand format enters the datapath.
struct OperandPath {
  int significand_bits = 0; // into the multiplier: M+1 for floats, the magnitude bits otherwise
  int exponent_bits = 0;    // 0 for integers
  int span_bits = 0;        // binades from the smallest quantum to the largest magnitude
  bool is_signed = false;
  bool detects_specials = false;  // has NaN or Inf codes to recognize
  bool leading_one_coded = false; // flint: the exponent is a leading-one count
  int code_bits = 0;
};
OperandPath operand_path(const Format& f);

// The gates of one MAC of a x b into acc with `pipeline` product registers
// (qmac_pe's PIPELINE; the paper's figure corresponds to 1). Throws
// InputError for what the model does not cover (block formats, pipeline
// outside 0..3).
GateCount analytic_gates(const Format& a, const Format& b, const AccumulatorSpec& acc,
                         int pipeline = 1);

} // namespace qmac::cost
