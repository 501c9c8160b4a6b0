#include "qmac/cost/dot_gate_model.h"

#include <algorithm>

#include "gate_tally.h"
#include "qmac/cost/components.h"
#include "qmac/numerics/codec.h"

namespace qmac::cost {
namespace {

using namespace detail;

// floor(log2 |largest value|) and the smallest quantum's exponent of a format.
int top_of(const Format& f) {
  const Value v = largest_magnitude(f);
  int bits = 0;
  for (uint64_t s = v.significand; s; s >>= 1)
    ++bits;
  return v.exponent + bits - 1;
}

std::string times(int n) {
  return n > 1 ? ", x" + std::to_string(n) : "";
}

// The exact sum of N integer-grid products into an integer register (the
// RTL's integer datapath).
void integer_tree(Tally& t, const OperandPath& A, const OperandPath& B, int n, int product_bits,
                  const AccumulatorSpec& out) {
  const int W = out.register_bits();
  const bool signed_product = A.is_signed || B.is_signed;
  const int P = std::min(W, A.span_bits + B.span_bits + (signed_product ? 1 : 0));
  const int exponent_bits = std::max(A.exponent_bits, B.exponent_bits);
  if (exponent_bits > 0) {
    t.add(Block::AlignAdd,
          "exponent sums (the shift amounts), " + bits_text(exponent_bits) + times(n),
          n * adder(exponent_bits));
    exponent_front(t, Block::AlignAdd, A, B, n);
    t.add(Block::AlignAdd, "placing shifters, " + bits_text(P) + times(n),
          n * shifter(P, std::max(0, P - product_bits)));
  }
  if (signed_product)
    t.add(Block::AlignAdd, "conditional complements, " + bits_text(P) + times(n),
          n * P * gates::kXor2);
  // The N products and the register's value (c) in a carry-save tree as wide
  // as the register (the sum wraps modulo 2^W).
  const int terms = n + 1;
  t.add(Block::AlignAdd,
        "carry-save tree, " + std::to_string(terms) + " terms of " + bits_text(W) +
            " (3:2 compressors)",
        (terms - 2) * W * gates::kFullAdder);
  t.add(Block::AlignAdd, "carry-propagate adder, " + bits_text(W), adder(W));
  t.add(Block::Normalize, "output register, " + bits_text(W), registers(W));
}

// A floating-point addition of two output-format values rounded once (a
// late c): the MAC model's float accumulation without the product's side.
void late_c_adder(Tally& t, int E, int M) {
  const int n = M + 1, w = n + 4, v = n + 1;
  t.add(Block::Normalize, "late c: exponent difference and select, " + bits_text(E + 1),
        adder(E + 1) + E * gates::kMux2);
  t.add(Block::Normalize, "late c: operand swap and alignment, " + bits_text(w),
        2 * n * gates::kMux2 + shifter(w, w) + w * gates::kNand2);
  t.add(Block::Normalize, "late c: complement and significand adder, " + bits_text(w + 1),
        w * gates::kXor2 + adder(w + 1));
  t.add(Block::Normalize, "late c: normalize and round",
        leading_one_detector(v) + shifter(v, v) + incrementer(n) + adder(E) + gates::kAo21);
}

// The block scales, once per beat (qmac_dot_scale.v): E8M0 a bias
// subtraction and a NaN detector, E4M3 a decoder; the two exponents summed,
// and two E4M3 significands multiplied. Returns the bits of the scales'
// significand product that multiplies the products (0: none, E8M0 only).
int scale_front(Tally& t, const dot::DotInput& a, const dot::DotInput& b) {
  int e4m3 = 0;
  for (const dot::DotInput* in : {&a, &b}) {
    if (!in->block) continue;
    if (in->block->power_of_two_scale) {
      t.add(Block::Mpy, "E8M0 scale: bias and NaN, 9-bit", adder(9) + or_tree(8));
    } else {
      ++e4m3;
      t.add(Block::Mpy, "E4M3 scale decode (hidden bit, NaN, sign)",
            or_tree(4) + or_tree(7) + 2 * gates::kNand2);
    }
  }
  t.add(Block::Mpy, "scale exponent sum, 10-bit", adder(10));
  if (e4m3 == 2) t.add(Block::Mpy, "scale significand product, 4 x 4", multiplier(4, 4));
  return e4m3 == 0 ? 0 : e4m3 == 1 ? 4 : 8;
}

// The registers on a float unit's output: PIPELINE - 2 retiming stages
// (PIPELINE >= 3) and the PE's result register.
void output_registers(Tally& t, int pipeline, int bits) {
  if (pipeline >= 3)
    t.add(Block::Normalize,
          std::to_string(pipeline - 2) + " output register(s), " + bits_text(bits),
          (pipeline - 2) * registers(bits));
  t.add(Block::Normalize, "output register, " + bits_text(bits), registers(bits));
}

// c added to an exact unit's scaled sum (p_bits wide) with one rounding, as
// qmac_acc_float does it: the sum normalized, the two aligned, added,
// normalized and rounded into the output.
void split_c_adder(Tally& t, int E, int M, int p_bits, int ex) {
  const int f = std::max(p_bits, M + 1), w = f + 4;
  t.add(Block::Normalize, "c + scaled sum: the sum normalized, " + bits_text(p_bits),
        leading_one_detector(p_bits) + shifter(p_bits, p_bits) + adder(ex));
  t.add(Block::Normalize, "c + scaled sum: exponent difference and select, " + bits_text(ex),
        adder(ex) + ex * gates::kMux2);
  t.add(Block::Normalize, "c + scaled sum: operand swap and alignment, " + bits_text(w),
        2 * f * gates::kMux2 + shifter(w, w) + w * gates::kNand2);
  t.add(Block::Normalize, "c + scaled sum: complement and adder, " + bits_text(w + 1),
        w * gates::kXor2 + adder(w + 1));
  t.add(Block::Normalize, "c + scaled sum: normalize and round",
        leading_one_detector(w) + shifter(w, w) + incrementer(M + 1) + adder(E) + gates::kAo21);
}

} // namespace

GateCount analytic_dot_gates(const dot::DotInput& a_in, const dot::DotInput& b_in,
                             const AccumulatorSpec& out, const dot::DotUnit& unit, int pipeline) {
  const Format &a = a_in.element, &b = b_in.element;
  const bool scaled = a_in.block || b_in.block;
  if (scaled && out.kind != AccKind::Float)
    throw InputError("block-format operands take a float output, not " + out.name);
  if (pipeline < 0 || pipeline > 3)
    throw InputError("pipeline " + std::to_string(pipeline) + " out of range (0..3)");
  if (unit.whole())
    throw InputError("the gate model needs a fixed number of products per block, not n = all");
  const int n = unit.n;
  const OperandPath A = operand_path(a), B = operand_path(b);
  Tally t;
  int product_bits = product_multipliers(t, A, B, n);
  const int scale_sig_bits = scaled ? scale_front(t, a_in, b_in) : 0;
  // Exact block-scaled units split: the element products' exact sum, scaled,
  // then c with one floating-point addition.
  const bool split = scaled && unit.exact();
  const int exponent_bits = std::max(A.exponent_bits, B.exponent_bits);

  if (out.kind != AccKind::Float) {
    if (pipeline >= 2)
      t.add(Block::Mpy, "product registers, " + bits_text(product_bits + 1) + times(n),
            n * registers(product_bits + 1));
    integer_tree(t, A, B, n, product_bits, out);
    if (pipeline >= 1)
      t.add(Block::Normalize, "register after the tree, " + bits_text(out.register_bits()),
            registers(out.register_bits()));
    return t.take();
  }

  // Float output: the block-FMA datapath.
  const Format& f = out.format;
  const int E = f.exp_bits, M = f.man_bits;
  const bool c_term = !unit.late_c && !split;
  const int terms = n + (c_term ? 1 : 0);
  // A product's exponent (a sum one bit wider), and the terms' exponents in
  // one range with c's (and the scales': 2 x 127 either way).
  const int ex = std::max({exponent_bits + 1, c_term ? E + 1 : 0, scaled ? 10 : 0}) + 1;
  if (exponent_bits > 0) {
    t.add(Block::Mpy, "product exponent sums, " + bits_text(exponent_bits + 1) + times(n),
          n * adder(exponent_bits + 1));
    exponent_front(t, Block::Mpy, A, B, n);
  } else {
    t.add(Block::Mpy, "product exponents (leading-one detectors)" + times(n),
          n * leading_one_detector(product_bits));
  }
  // A truncating block-scaled unit scales each term before the alignment:
  // the scale exponent added to each product's, each frame times the scales'
  // significand (E4M3), which the window keeps 2 bits more of.
  int scaled_extra = 0;
  if (scaled && !split) {
    t.add(Block::Mpy, "scaled product exponents, " + bits_text(ex) + times(n), n * adder(ex));
    if (scale_sig_bits > 0) {
      t.add(Block::Mpy,
            "products times the scales' significand, " + std::to_string(product_bits) + " x " +
                std::to_string(scale_sig_bits) + times(n),
            n * multiplier(product_bits, scale_sig_bits));
      product_bits += scale_sig_bits;
      scaled_extra = 2;
    }
  }
  if (pipeline >= 2)
    t.add(Block::Mpy, "product registers, " + bits_text(product_bits + ex + 2) + times(n),
          n * registers(product_bits + ex + 2));

  // The window: bits + 1 (+ sticky) kept bits per term, or every bit a term
  // can have (from the finest product or c quantum to the largest top). An
  // exact unit's products reach only their own band of it (the products'
  // span): they are placed and summed there, and the band's sum joins c
  // across the whole window.
  int term_bits, band_bits;
  if (unit.exact()) {
    const int lo = smallest_quantum_exponent(a) + smallest_quantum_exponent(b);
    const int hi = top_of(a) + top_of(b) + 2;
    band_bits = hi - lo;
    term_bits = c_term ? std::max(hi, top_of(f) + 1) - std::min(lo, smallest_quantum_exponent(f))
                       : band_bits;
  } else {
    term_bits = band_bits = unit.bits + 1 + scaled_extra + (unit.sticky ? 1 : 0);
  }
  const int sum_bits = term_bits + ceil_log2(terms) + 1;
  const int band_sum_bits = std::min(sum_bits, band_bits + ceil_log2(n) + 1);

  if (!unit.exact()) {
    t.add(Block::AlignAdd,
          "maximum-exponent tree, " + std::to_string(terms) + " exponents of " + bits_text(ex),
          (terms - 1) * (adder(ex) + ex * gates::kMux2));
    t.add(Block::AlignAdd, "shift amounts (emax - exp), " + bits_text(ex) + times(terms),
          terms * adder(ex));
  } else {
    t.add(Block::AlignAdd,
          "term positions (LSB exponent - window LSB), " + bits_text(ex) + times(terms),
          terms * adder(ex));
  }
  if (c_term)
    t.add(Block::AlignAdd, "c decode (hidden bit, NaN/Inf)",
          or_tree(E) + or_tree(f.bits) + gates::kNand2);
  // Each term (a product's frame, or c's significand) is placed: an exact
  // unit's at any position of its band (c: of the window), a windowed unit's
  // at a shift of up to the window's width (beyond it the term is gone).
  t.add(Block::AlignAdd,
        "alignment shifters onto the " + bits_text(band_bits) + " window" + times(n),
        n * placing_shifter(product_bits + 1, band_bits, band_bits));
  if (c_term)
    t.add(Block::AlignAdd, "c's alignment shifter onto the " + bits_text(term_bits) + " window",
          placing_shifter(M + 1, term_bits, term_bits));
  if (unit.sticky)
    t.add(Block::AlignAdd, "sticky bits (OR of the lost bits)" + times(terms),
          terms * or_tree(std::max(product_bits, M + 1)));
  t.add(Block::AlignAdd, "conditional complements, " + bits_text(band_bits + 1) + times(n),
        n * (band_bits + 1) * gates::kXor2);
  if (c_term) t.add(Block::AlignAdd, "c's conditional complement", (term_bits + 1) * gates::kXor2);
  // The carry-save tree: the products' levels as wide as their band's sum,
  // c's level (when it joins) as wide as the whole sum.
  const double tree = std::max(0, n - 2) * band_sum_bits * gates::kFullAdder +
                      (c_term && n >= 2 ? sum_bits * gates::kFullAdder : 0);
  t.add(Block::AlignAdd,
        "carry-save tree, " + std::to_string(terms) + " terms of " + bits_text(sum_bits) +
            " (3:2 compressors)",
        tree);
  t.add(Block::AlignAdd, "carry-propagate adder, " + bits_text(sum_bits), adder(sum_bits));

  if (pipeline >= 1)
    t.add(Block::Normalize, "register after the tree, " + bits_text(sum_bits + ex + 3),
          registers(sum_bits + ex + 3));
  // One normalize and round of the sum's magnitude into the output (or the
  // narrowed `bits` - 1 mantissa); an exact block-scaled unit instead scales
  // the sum and adds c.
  const int mag = sum_bits - 1;
  if (split) {
    t.add(Block::Normalize, "sign-magnitude, " + bits_text(mag),
          mag * gates::kXor2 + incrementer(mag));
    if (scale_sig_bits > 0)
      t.add(Block::Normalize,
            "sum times the scales' significand, " + std::to_string(mag) + " x " +
                std::to_string(scale_sig_bits),
            multiplier(mag, scale_sig_bits));
    t.add(Block::Normalize, "the sum's exponent plus the scales', " + bits_text(ex), adder(ex));
    split_c_adder(t, E, M, mag + scale_sig_bits, ex);
    output_registers(t, pipeline, f.bits);
    return t.take();
  }
  const int mr = (unit.narrow && !unit.exact() && unit.bits < M + 1) ? unit.bits - 1 : M;
  t.add(Block::Normalize, "sign-magnitude, " + bits_text(mag),
        mag * gates::kXor2 + incrementer(mag));
  t.add(Block::Normalize, "leading-one detector, " + bits_text(mag), leading_one_detector(mag));
  t.add(Block::Normalize,
        "normalization shifter, " + bits_text(mr + 2) + " out of " + bits_text(mag),
        funnel_shifter(mr + 2, mag));
  t.add(Block::Normalize, "sticky and rounding decision",
        or_tree(mag) + gates::kAo21 + gates::kNand2);
  t.add(Block::Normalize, "rounding incrementer, " + bits_text(mr + 1), incrementer(mr + 1));
  t.add(Block::Normalize, "exponent, subnormal and overflow, " + bits_text(ex),
        adder(ex) + shifter(mr + 2, mr + 2) + or_tree(E) + gates::kNand2);
  if (unit.late_c) late_c_adder(t, E, M);
  output_registers(t, pipeline, f.bits);
  return t.take();
}

} // namespace qmac::cost
