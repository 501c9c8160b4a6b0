// The analytical gate-count model of an N-term dot-product unit (model/dot),
// the MAC model's method (gate_model.h: van Baalen et al. 2023's component
// costs, nothing fitted) extended to the block-FMA datapath rtl/qmac_dot_unit.v
// builds:
//   mpy        N significand multipliers (flint decoders, product signs), the
//              products' exponent sums and special-value detection, and the
//              pipeline registers after them (PIPELINE >= 2)
//   alignadd   the maximum-exponent tree over the terms (none for an exact
//              unit), one alignment shifter per term onto the window of
//              `bits` + 1 bits (+1 sticky), or the exact (Kulisch) window, the
//              terms' complements, the carry-save tree of 3:2 compressors
//              (window + ceil(log2 terms) + 1 bits) and its carry-propagate adder
//   normalize  sign-magnitude, leading-one detection, the normalization
//              shifter, one rounding, the exponent, a late c's floating-point
//              addition, the register after the tree (PIPELINE >= 1) and the
//              output register (the PE's accumulator)
// An integer output is the exact adder tree into the register: the products
// placed on the register's grid, the tree, the adder and the register.
// Block-scaled units (MX, NVFP4; qmac_dot_scale.v) add the scale path to mpy:
// the two scales decoded once per beat, their exponents summed and (E4M3)
// significands multiplied; a truncating unit then adds the scale exponent to
// each product's and (E4M3) multiplies each frame by the scales'
// significand, its window 2 bits wider; an exact unit sums the element
// products on their own band, multiplies the sum by the scales' significand
// and adds c with one floating-point addition (qmac_acc_float), which
// replaces the normalize-and-round stage.
// The widths follow the RTL's (qmac_dot_unit.v); test_dot_gate_model.cpp
// holds the model's shape (per-product cost falling with N, the window's
// width, INT8 against FP8), docs/cost.md compares it with synthesis.
#pragma once

#include "qmac/cost/gate_model.h"
#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"

namespace qmac::cost {

// The gates of one dot-product unit of a x b into out with `pipeline`
// register stages (qmac_dot_unit's PIPELINE). Throws InputError for what the
// model does not cover: a whole-dot-product unit (n = all: no fixed N),
// pipeline outside 0..3, block formats into an integer output.
GateCount analytic_dot_gates(const dot::DotInput& a, const dot::DotInput& b,
                             const AccumulatorSpec& out, const dot::DotUnit& unit,
                             int pipeline = 1);

} // namespace qmac::cost
