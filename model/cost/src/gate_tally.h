// What the analytical models of a MAC (gate_model.cpp) and of a dot-product
// unit (dot_gate_model.cpp) share (not installed): the tally of gate items by
// block, and the front of a float product's exponent path.
#pragma once

#include <string>

#include "qmac/cost/gate_model.h"

namespace qmac::cost::detail {

// Collects the terms and sums them per block.
class Tally {
public:
  void add(Block b, std::string what, double gates);
  GateCount take() { return std::move(count_); }

private:
  GateCount count_;
};

std::string bits_text(int n); // "8-bit"

// The hidden bit of each float operand (its exponent field is not zero) and
// the recognition of NaN/Inf codes, wherever a product's exponent is formed;
// `copies` products at once.
void exponent_front(Tally& t, Block b, const OperandPath& A, const OperandPath& B, int copies = 1);

// The significand multiplier of one product (with a flint operand's decoder
// and the product's sign); `copies` of them. Returns the product's bits.
int product_multipliers(Tally& t, const OperandPath& A, const OperandPath& B, int copies = 1);

} // namespace qmac::cost::detail
