#include "operands.h"

#include <algorithm>

#include "qmac/numerics/codec.h"

namespace qmac::dot {
namespace {

int bit_length(uint64_t x) {
  return x ? 64 - __builtin_clzll(x) : 0;
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

OperandTable::OperandTable(const Format& f, bool ftz) : f_(f), ftz_(ftz) {
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

} // namespace qmac::dot
