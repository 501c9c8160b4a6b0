#include "operands.h"

#include <algorithm>
#include <climits>

#include "qmac/numerics/codec.h"

namespace qmac::dot {
namespace {

int bit_length(uint64_t x) {
  return x ? 64 - __builtin_clzll(x) : 0;
}

// An element's operand times its block's scale (a value of the scale format).
Operand scaled(Operand o, const Format& scale_format, const Value& scale) {
  if (o.cls == Operand::NaN) return o;
  if (scale.is_nan() || scale.negative) { // unsigned scales: a sign bit reads as NaN
    o.cls = Operand::NaN;
    return o;
  }
  if (scale.is_zero()) { // NVFP4's zero scale: Inf * 0 is NaN, the rest zero
    if (o.cls == Operand::Inf) {
      o.cls = Operand::NaN;
    } else {
      o.cls = Operand::Zero;
      o.sig = 0;
    }
    return o;
  }
  if (o.cls != Operand::Finite) return o; // Inf or a zero keep their class and sign
  const Operand s = operand_of(scale_format, scale, false);
  o.sig *= s.sig;
  o.lsb += s.lsb;
  o.exp += s.exp;
  return o;
}

} // namespace

Operand operand_of(const Format& f, const Value& v, bool ftz) {
  Operand o;
  o.neg = v.negative;
  if (v.is_nan()) {
    o.cls = Operand::NaN;
  } else if (v.is_inf()) {
    o.cls = Operand::Inf;
  } else if (!v.is_zero()) {
    const int top = v.exponent + bit_length(v.significand) - 1;
    const bool subnormal = f.kind == Kind::Float && top < f.emin();
    if (!(subnormal && ftz)) {
      o.cls = Operand::Finite;
      o.sig = v.significand;
      o.lsb = v.exponent;
      o.exp = subnormal ? f.emin() : top;
    }
  }
  return o;
}

OperandTable::OperandTable(const DotInput& in, bool ftz) : f_(in.element), ftz_(ftz) {
  if (in.block) {
    tabulate_block(*in.block);
    return;
  }
  const Format& f = in.element;
  // The format's extremes: its smallest quantum, its largest magnitude, and
  // the widest significand (at most the format's width).
  min_lsb_ = smallest_quantum_exponent(f);
  const Value top = largest_magnitude(f);
  max_top_ = top.exponent + bit_length(top.significand) - 1;
  max_sig_bits_ = std::min(f.bits, 64);
  mask_ = f.code_mask();
  if (f.bits <= 16) {
    table_.reserve(size_t(1) << f.bits);
    for (uint64_t c = 0; c < (1ull << f.bits); ++c)
      table_.push_back(operand_of(f, decode(f, c), ftz));
  }
}

// Every scale code times every element code: 2^16 operands for 8-bit
// elements; the extremes come from the entries themselves.
void OperandTable::tabulate_block(const BlockFormat& bf) {
  const int element_bits = bf.element.bits, bits = element_bits + bf.scale.bits;
  mask_ = (1ull << bits) - 1;
  max_sig_bits_ = std::min(element_bits, 64) + (bf.power_of_two_scale ? 0 : bf.scale.bits);
  min_lsb_ = INT_MAX;
  max_top_ = INT_MIN;
  std::vector<Operand> elements;
  for (uint64_t e = 0; e < (1ull << element_bits); ++e)
    elements.push_back(operand_of(bf.element, decode(bf.element, e), ftz_));
  table_.reserve(size_t(mask_) + 1);
  for (uint64_t s = 0; s < (1ull << bf.scale.bits); ++s) {
    const Value scale = decode(bf.scale, s);
    for (const Operand& e : elements) {
      const Operand o = scaled(e, bf.scale, scale);
      table_.push_back(o);
      if (o.cls != Operand::Finite) continue;
      const int top = o.lsb + bit_length(o.sig) - 1;
      min_lsb_ = std::min(min_lsb_, o.lsb);
      max_top_ = std::max(max_top_, top);
      max_excess_ = std::max(max_excess_, top - o.exp);
    }
  }
}

} // namespace qmac::dot
