#include "qmac/cost/gate_model.h"

#include <algorithm>

#include "gate_tally.h"
#include "qmac/cost/components.h"
#include "qmac/numerics/codec.h"

namespace qmac::cost {

const char* block_name(Block b) {
  switch (b) {
  case Block::Mpy:
    return "mpy";
  case Block::AlignAdd:
    return "alignadd";
  case Block::Normalize:
    return "normalize";
  }
  return "?";
}

namespace {

using namespace detail;

// Index of the top set bit of a nonzero magnitude value: floor(log2 |v|).
int top_binade(const Value& v) {
  int bits = 0;
  for (uint64_t s = v.significand; s; s >>= 1)
    ++bits;
  return v.exponent + bits - 1;
}

void fixed_point_accumulation(Tally& t, const OperandPath& A, const OperandPath& B,
                              int product_bits, const AccumulatorSpec& acc) {
  const int W = acc.register_bits();
  const bool signed_product = A.is_signed || B.is_signed;
  // The product's two's complement width on the accumulator's grid.
  const int P = A.span_bits + B.span_bits + (signed_product ? 1 : 0);
  const int reach = std::min(P, W);
  const int exponent_sum_bits = std::max(A.exponent_bits, B.exponent_bits);
  if (exponent_sum_bits > 0) {
    // A float product lands at a position given by its exponent sum.
    const int shift_range = std::max(0, P - 1 - product_bits);
    t.add(Block::AlignAdd, "exponent sum (the shift amount), " + bits_text(exponent_sum_bits),
          adder(exponent_sum_bits));
    exponent_front(t, Block::AlignAdd, A, B);
    t.add(Block::AlignAdd,
          "alignment shifter, " + bits_text(product_bits + 2) + " over 0.." +
              std::to_string(shift_range),
          shifter(product_bits + 2, shift_range));
    if (signed_product)
      t.add(Block::AlignAdd, "conditional complement of the placed product", reach * gates::kXor2);
  }
  t.add(Block::AlignAdd, "adder over the product's reach, " + bits_text(reach), adder(reach));
  if (W > P && signed_product) t.add(Block::AlignAdd, "sign into the guard bits", gates::kXor2);
  t.add(Block::Normalize, "accumulator register, " + bits_text(W), registers(W));
  if (W > P)
    t.add(Block::Normalize, "carry into the " + std::to_string(W - P) + " guard bits",
          incrementer(W - P));
  if (acc.kind == AccKind::Integer && acc.saturate)
    t.add(Block::Normalize, "saturation (overflow detect, clip)",
          2 * gates::kXor2 + W * gates::kMux2);
}

void float_accumulation(Tally& t, const OperandPath& A, const OperandPath& B, int product_bits,
                        const AccumulatorSpec& acc) {
  const int Ea = acc.format.exp_bits;
  const int n = acc.format.man_bits + 1; // significand with the hidden bit
  const bool float_product = std::max(A.exponent_bits, B.exponent_bits) > 0;
  // An integer product is a significand one bit wider than its magnitude bits.
  const int product_sig = float_product ? product_bits : product_bits + 1;
  if (float_product) {
    t.add(Block::AlignAdd, "product exponent in the accumulator's range, " + bits_text(Ea + 1),
          adder(Ea + 1));
    exponent_front(t, Block::AlignAdd, A, B);
  } else {
    t.add(Block::AlignAdd, "exponent of the integer product (leading-one detector)",
          leading_one_detector(product_sig));
  }
  t.add(Block::AlignAdd, "accumulator zero/special detection", 2 * or_tree(Ea));
  t.add(Block::AlignAdd, "effective operation and result sign", gates::kXor2 + gates::kMux2);
  t.add(Block::AlignAdd, "exponent difference, " + bits_text(Ea + 1), adder(Ea + 1));
  t.add(Block::AlignAdd, "larger-exponent select", Ea * gates::kMux2);
  t.add(Block::AlignAdd, "operand swap", (2 * n + product_sig) * gates::kMux2);
  // Significand, guard, round, sticky and carry positions.
  const int w = n + 4;
  t.add(Block::AlignAdd, "alignment shifter, " + bits_text(w), shifter(w, w));
  t.add(Block::AlignAdd, "sticky bit", w * gates::kNand2);
  t.add(Block::AlignAdd, "conditional complement", w * gates::kXor2);
  t.add(Block::AlignAdd, "significand adder, " + bits_text(w + 1), adder(w + 1));
  const int v = n + 1;
  t.add(Block::Normalize, "leading-one detector, " + bits_text(v), leading_one_detector(v));
  t.add(Block::Normalize, "normalization shifter, " + bits_text(v), shifter(v, v));
  t.add(Block::Normalize, "round-to-nearest-even decision", gates::kAo21 + gates::kNand2);
  t.add(Block::Normalize, "rounding incrementer, " + bits_text(n), incrementer(n));
  t.add(Block::Normalize, "exponent update, " + bits_text(Ea), adder(Ea));
  t.add(Block::Normalize, "overflow to Inf or clip", or_tree(Ea) + gates::kNand2);
  t.add(Block::Normalize, "accumulator register, " + bits_text(1 + Ea + n - 1), registers(Ea + n));
}

} // namespace

namespace detail {

void Tally::add(Block b, std::string what, double gates) {
  if (gates <= 0) return;
  (b == Block::Mpy        ? count_.mpy
   : b == Block::AlignAdd ? count_.alignadd
                          : count_.normalize) += gates;
  count_.items.push_back({b, std::move(what), gates});
}

std::string bits_text(int n) {
  return std::to_string(n) + "-bit";
}

void exponent_front(Tally& t, Block b, const OperandPath& A, const OperandPath& B, int copies) {
  double hidden = 0;
  for (const OperandPath* p : {&A, &B})
    if (p->exponent_bits > 0 && !p->leading_one_coded) hidden += or_tree(p->exponent_bits);
  const std::string times = copies > 1 ? ", x" + std::to_string(copies) : "";
  t.add(b, "hidden-bit detection (exponent field != 0)" + times, copies * hidden);
  double specials = 0;
  for (const OperandPath* p : {&A, &B})
    if (p->detects_specials) specials += or_tree(p->code_bits);
  if (A.detects_specials || B.detects_specials) specials += gates::kNand2;
  t.add(b, "NaN/Inf code detection" + times, copies * specials);
}

int product_multipliers(Tally& t, const OperandPath& A, const OperandPath& B, int copies) {
  const std::string times = copies > 1 ? ", x" + std::to_string(copies) : "";
  for (const OperandPath* p : {&A, &B})
    if (p->leading_one_coded)
      t.add(Block::Mpy, "flint decoder (leading-one count, mantissa shift)" + times,
            copies * (leading_one_detector(p->code_bits) +
                      shifter(p->significand_bits, p->significand_bits)));
  t.add(Block::Mpy,
        std::to_string(A.significand_bits) + "x" + std::to_string(B.significand_bits) +
            " significand multiplier" + times,
        copies * multiplier(A.significand_bits, B.significand_bits));
  if (A.is_signed || B.is_signed) t.add(Block::Mpy, "product sign" + times, copies * gates::kXor2);
  return A.significand_bits + B.significand_bits;
}

} // namespace detail

OperandPath operand_path(const Format& f) {
  OperandPath p;
  p.code_bits = f.bits;
  p.is_signed = f.is_signed;
  switch (f.kind) {
  case Kind::Integer:
    // A sign and a magnitude multiplier: the paper's INT8 is the symmetric
    // range +-127, and -128 x -128 costs no extra product bit in the register.
    p.significand_bits = f.is_signed ? f.bits - 1 : f.bits;
    p.span_bits = p.significand_bits;
    return p;
  case Kind::Float:
    if (f.specials == Specials::Fnu)
      throw InputError("'" + f.name + "' is a scale format, not a MAC operand");
    p.significand_bits = f.man_bits + 1;
    p.exponent_bits = f.exp_bits;
    p.detects_specials = f.has_nan() || f.has_inf();
    break;
  case Kind::Flint:
    p.significand_bits = f.magnitude_bits() - 1;
    p.leading_one_coded = true;
    break;
  }
  p.span_bits = top_binade(largest_magnitude(f)) - smallest_quantum_exponent(f) + 1;
  if (p.leading_one_coded) p.exponent_bits = ceil_log2(p.span_bits);
  return p;
}

GateCount analytic_gates(const Format& a, const Format& b, const AccumulatorSpec& acc,
                         int pipeline) {
  if (pipeline < 0 || pipeline > 3)
    throw InputError("pipeline " + std::to_string(pipeline) + " out of range (0..3)");
  const OperandPath A = operand_path(a), B = operand_path(b);
  Tally t;
  const int product_bits = product_multipliers(t, A, B);
  // The product register: significand, sign, and the exponent sum (one bit
  // wider than the wider exponent); an integer product in two's complement.
  const int exponent_bits = std::max(A.exponent_bits, B.exponent_bits);
  const int held = exponent_bits > 0 ? product_bits + 1 + exponent_bits + 1 : product_bits + 2;
  t.add(Block::Mpy, std::to_string(pipeline) + " product register(s), " + bits_text(held) + " each",
        pipeline * registers(held));
  if (acc.kind == AccKind::Float)
    float_accumulation(t, A, B, product_bits, acc);
  else
    fixed_point_accumulation(t, A, B, product_bits, acc);
  return t.take();
}

} // namespace qmac::cost
