#include "qmac/dot/dot_engine.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

#include "operands.h"
#include "qmac/numerics/codec.h"
#include "wide_sum.h"

namespace qmac::dot {
namespace {

int bit_length(unsigned __int128 x) {
  const uint64_t hi = uint64_t(x >> 64);
  if (hi) return 128 - __builtin_clzll(hi);
  return x ? 64 - __builtin_clzll(uint64_t(x)) : 0;
}

// A product (or c) as the alignment sees it.
struct Term {
  uint64_t sig; // |term| = sig * 2^lsb
  int32_t lsb;
  int32_t exp; // the exponent it aligns by
  bool neg;
  uint8_t group; // odd-even grouping: the product's index parity
};

uint64_t next_random(void* state) {
  return (*static_cast<std::mt19937_64*>(state))();
}

} // namespace

struct DotEngine::Impl {
  Format a, b;
  AccumulatorSpec out;
  DotUnit unit;
  OperandTable ta, tb;
  bool integer;

  // Float units.
  Format narrow;                  // the output with `bits` significant bits
  bool narrowing = false;         // the result is rounded to `narrow` first
  uint64_t zero_code[2] = {0, 0}; // +0 and -0 in the output
  std::optional<Rounder> round_out, round_narrow, round_late, round_exact;
  std::mt19937_64 rng;         // stochastic rounding
  std::optional<WideSum> wide; // exact units and odd-even grouping
  // The fast path's products (fast_products, fast_window).
  bool fast = false;
  std::vector<uint64_t> fast_sig;
  std::vector<int32_t> fast_lsb;
  std::vector<int64_t> fast_neg;
  std::vector<Term> terms; // a block's terms: the first nterms
  size_t nterms = 0;
  int emax = INT_MIN; // their largest exponent

  Impl(const Format& fa, const Format& fb, const AccumulatorSpec& o, const DotUnit& u)
      : a(fa), b(fb), out(o), unit(u), ta(fa, u.ftz_in), tb(fb, u.ftz_in),
        integer(o.kind != AccKind::Float), rng(u.seed) {
    if (ta.max_sig_bits() + tb.max_sig_bits() > 64)
      throw InputError("a dot unit multiplies codes of at most 64 bits together: " + fa.name +
                       " x " + fb.name + " is wider");
    if (integer)
      check_integer();
    else
      set_up_float();
  }

  void check_integer() {
    const DotUnit plain;
    auto refuse = [&](const char* key) {
      throw InputError(std::string("unit key ") + key +
                       " does not apply to an integer unit (--acc " + out.name +
                       " sums the products exactly)");
    };
    if (!unit.exact()) refuse("bits");
    if (unit.round != plain.round) refuse("round");
    if (unit.sticky) refuse("sticky");
    if (unit.late_c) refuse("late-c");
    if (unit.odd_even) refuse("odd-even");
    if (unit.min_exp) refuse("min-exp");
    if (unit.ftz_out) refuse("ftz-out");
    // The block's exact sum in units of the register's LSB must fit 127 bits.
    const int span = ta.max_top() + tb.max_top() + 2 - out.lsb_exp;
    const int count_bits = unit.whole() ? 40 : bit_length((unsigned __int128)unit.n);
    if (span + count_bits > 126)
      throw InputError("the integer unit's exact sum of " + a.name + " x " + b.name +
                       " products needs more than 126 bits");
  }

  void set_up_float() {
    RoundingOptions o;
    o.mode = unit.round;
    o.flush_subnormals = unit.ftz_out;
    o.random64 = next_random;
    o.random_state = &rng;
    round_out.emplace(out.format, o);
    zero_code[0] = encode(out.format, Value::zero(false));
    zero_code[1] = encode(out.format, Value::zero(true));
    if (unit.late_c) {
      RoundingOptions l = o;
      l.mode = *unit.late_c;
      round_late.emplace(out.format, l);
    }
    narrowing = unit.narrow && !unit.exact() && unit.bits < out.format.man_bits + 1;
    if (narrowing) {
      narrow =
          float_format(out.format.exp_bits, unit.bits - 1, out.format.bias, out.format.specials);
      round_narrow.emplace(narrow, o);
      round_exact.emplace(out.format, RoundingOptions{}); // never rounds: no random draw
    }
    if (unit.exact() || unit.odd_even) {
      // Bit weights a block's terms can reach: products, c, and (odd-even)
      // the two group sums.
      const OperandTable tc(out.format, false);
      const int base =
          std::min(ta.min_lsb() + tb.min_lsb(), tc.min_lsb()) - (unit.odd_even ? unit.bits + 2 : 0);
      const int top = std::max(ta.max_top() + tb.max_top() + 2, tc.max_top() + 1) + 2;
      wide.emplace(base, top, unit.whole() ? (1L << 40) : long(unit.n) + 1);
    }
    terms.resize(unit.whole() ? 1024 : size_t(unit.n) + 1);
    // The fast path: tabled operands, one window, and a window sum that fits
    // 63 bits (kept terms below 2^(bits + 2), one sticky bit, n + 1 of them).
    fast = ta.compact() && tb.compact() && !unit.exact() && !unit.odd_even && !unit.whole() &&
           unit.bits + 3 + bit_length((unsigned __int128)(unit.n + 1)) <= 62;
    if (fast) {
      fast_sig.resize(size_t(unit.n));
      fast_lsb.resize(size_t(unit.n));
      fast_neg.resize(size_t(unit.n));
    }
  }

  // One block's products by the fast path: false if a product is NaN or Inf
  // (the general path handles the block). Otherwise sets emax, the window
  // sum (units of 2^lsb) and whether every product was a -0.
  bool fast_products(const uint64_t* pa, const uint64_t* pb, size_t count, int& emax_out,
                     bool& all_negative_zero, bool& any_finite) {
    const CompactOperand* xa = ta.compact();
    const CompactOperand* xb = tb.compact();
    const uint64_t ma = ta.mask(), mb = tb.mask();
    uint64_t* sig = fast_sig.data();
    int32_t* tlsb = fast_lsb.data();
    int64_t* tneg = fast_neg.data();
    uint8_t special = 0, negzero = CompactOperand::kZero, finite = 0;
    int e = INT_MIN;
    for (size_t i = 0; i < count; ++i) {
      const CompactOperand x = xa[pa[i] & ma], y = xb[pb[i] & mb];
      const uint8_t f = x.flags | y.flags, neg = (x.flags ^ y.flags) & CompactOperand::kNeg;
      special |= f;
      finite |= uint8_t(~f) & CompactOperand::kZero;        // neither operand zero
      negzero &= uint8_t(f & CompactOperand::kZero & -neg); // a -0 product
      sig[i] = uint64_t(x.sig) * y.sig;
      tlsb[i] = x.lsb + y.lsb;
      tneg[i] = int64_t(neg);
      e = std::max(e, int(x.exp) + int(y.exp));
    }
    if (special & CompactOperand::kSpecial) return false;
    emax_out = e;
    all_negative_zero = negzero != 0;
    any_finite = finite != 0;
    return true;
  }

  // The window sum of the fast path's products and (as one more term) c.
  int64_t fast_window(size_t count, int emax_all, const Operand* c, int& lsb) const {
    int e = emax_all;
    if (c) e = std::max(e, c->exp);
    if (unit.min_exp) e = std::max(e, *unit.min_exp);
    const int grid = e - unit.bits + 1;
    lsb = unit.sticky ? grid - 1 : grid;
    int64_t sum = unit.sticky ? window_terms<true>(count, grid) : window_terms<false>(count, grid);
    if (c) {
      const int64_t v = unit.sticky ? aligned_term<true>(c->sig, grid - c->lsb)
                                    : aligned_term<false>(c->sig, grid - c->lsb);
      sum += c->neg ? -v : v;
    }
    return sum;
  }

  // A term truncated onto the grid, shift = grid - its lsb, without a branch.
  // A nonzero term moves left by at most bits - 1 (its top is at most emax +
  // 1), so the aligned term stays below 2^63 and shifting right by 63 clears
  // it; zero products (sig 0) may ask for any shift, clamped.
  template <bool Sticky> static int64_t aligned_term(uint64_t sig, int shift) {
    const int left = std::clamp(-shift, 0, 63), right = std::clamp(shift, 0, 63);
    const uint64_t aligned = sig << left;
    const uint64_t kept = aligned >> right;
    if constexpr (!Sticky) return int64_t(kept);
    const uint64_t lost = (aligned & ((uint64_t(1) << right) - 1)) != 0;
    return int64_t((kept << 1) | lost);
  }

  template <bool Sticky> int64_t window_terms(size_t count, int grid) const {
    const uint64_t* sig = fast_sig.data();
    const int32_t* tlsb = fast_lsb.data();
    const int64_t* neg = fast_neg.data();
    int64_t sum = 0;
    for (size_t i = 0; i < count; ++i) {
      const int64_t v = aligned_term<Sticky>(sig[i], grid - tlsb[i]);
      sum += (v ^ -neg[i]) + neg[i]; // v or -v
    }
    return sum;
  }

  // The code of the exact (or sticky-tailed) magnitude x in the output format,
  // through the narrowed format first when the unit keeps fewer bits.
  uint64_t finish(const Unrounded& x) const {
    if (!narrowing) return (*round_out)(x);
    // The narrow format's values are the output's: the second rounding is exact.
    const Value v = decode(narrow, (*round_narrow)(x));
    if (v.is_nan()) return out.format.nan_code(); // an RNE overflow where there is no Inf
    if (v.is_inf()) return out.format.inf_code(v.negative);
    if (v.is_zero()) return zero_code[v.negative];
    return (*round_exact)(Unrounded{v.negative, v.significand, v.exponent, false});
  }

  static Unrounded unrounded_of(unsigned __int128 s, bool neg, int lsb) {
    Unrounded u;
    u.negative = neg;
    const int len = bit_length(s);
    if (len <= 64) {
      u.significand = uint64_t(s);
      u.exponent = lsb;
    } else {
      const int drop = len - 64;
      u.significand = uint64_t(s >> drop);
      u.exponent = lsb + drop;
      u.sticky = (s & ((((unsigned __int128)1) << drop) - 1)) != 0;
    }
    return u;
  }

  // A window sum (two's complement, units of 2^lsb) rounded into the output;
  // an exact zero is -0 only when negative_zero says every term was -0.
  uint64_t rounded_sum(__int128 s, int lsb, bool negative_zero) const {
    if (s == 0) return zero(negative_zero);
    return finish(unrounded_of(s < 0 ? (unsigned __int128)(-s) : (unsigned __int128)s, s < 0, lsb));
  }

  // The terms of one alignment group truncated onto its grid and summed:
  // returns the sum (two's complement) in units of 2^lsb. emax: the group's
  // largest exponent (INT_MIN: find it here).
  __int128 window_sum(uint8_t group, bool use_group, int emax, int& lsb) const {
    const Term* t = terms.data();
    if (emax == INT_MIN)
      for (size_t i = 0; i < nterms; ++i)
        if (!use_group || t[i].group == group) emax = std::max(emax, t[i].exp);
    if (emax == INT_MIN) {
      lsb = 0;
      return 0;
    }
    if (unit.min_exp) emax = std::max(emax, *unit.min_exp);
    const int grid = emax - unit.bits + 1; // weight of the window's last bit
    lsb = unit.sticky ? grid - 1 : grid;
    __int128 sum = 0;
    for (size_t i = 0; i < nterms; ++i) {
      if (use_group && t[i].group != group) continue;
      const int shift = grid - t[i].lsb;
      uint64_t kept;
      bool lost = false;
      if (shift <= 0) {
        kept = t[i].sig << -shift; // below 2^(bits + 1): the term's top is at most emax + 1
      } else if (shift < 64) {
        kept = t[i].sig >> shift;
        lost = (t[i].sig & ((1ull << shift) - 1)) != 0;
      } else {
        kept = 0;
        lost = t[i].sig != 0;
      }
      const __int128 v = unit.sticky ? (__int128(kept) << 1) | lost : __int128(kept);
      sum += t[i].neg ? -v : v;
    }
    return sum;
  }

  // The products' (and, unless late, c's) sum rounded into the output.
  uint64_t round_terms(bool all_negative_zero) {
    if (unit.exact() || unit.odd_even) {
      wide->clear();
      if (unit.exact()) {
        for (size_t i = 0; i < nterms; ++i)
          wide->add(terms[i].neg, terms[i].sig, terms[i].lsb);
      } else {
        for (uint8_t g = 0; g < 2; ++g) {
          int lsb = 0;
          const __int128 s = window_sum(g, true, INT_MIN, lsb);
          wide->add(s < 0, s < 0 ? (unsigned __int128)(-s) : (unsigned __int128)s, lsb);
        }
      }
      if (wide->is_zero()) return zero(all_negative_zero);
      return finish(wide->unrounded());
    }
    int lsb = 0;
    const __int128 s = window_sum(0, false, emax, lsb);
    return rounded_sum(s, lsb, all_negative_zero);
  }

  // An exact zero sum: +0 unless every term was -0 (IEEE, RNE and RZ).
  uint64_t zero(bool negative) const { return zero_code[negative]; }

  void push(const Term& t) {
    if (nterms == terms.size()) terms.resize(2 * nterms);
    terms[nterms++] = t;
    emax = std::max(emax, t.exp);
  }

  uint64_t float_block(uint64_t c, const uint64_t* pa, const uint64_t* pb, size_t count) {
    if (count == 0) return c;
    if (fast) {
      int e = INT_MIN;
      bool negzero = true, any_finite = false;
      if (fast_products(pa, pb, count, e, negzero, any_finite)) {
        const Value cv = decode(out.format, c);
        if (!unit.late_c) {
          const Operand co = operand_of(out.format, cv, false);
          if (co.cls == Operand::Finite) {
            int lsb = 0;
            const int64_t s = fast_window(count, e, &co, lsb);
            return rounded_sum(s, lsb, false);
          }
          if (co.cls == Operand::Zero) {
            int lsb = 0;
            const int64_t s = any_finite ? fast_window(count, e, nullptr, lsb) : 0;
            return rounded_sum(s, lsb, !any_finite && negzero && cv.negative);
          }
          // c is NaN or Inf: the general path below.
        } else {
          int lsb = 0;
          const int64_t s = any_finite ? fast_window(count, e, nullptr, lsb) : 0;
          const uint64_t products = rounded_sum(s, lsb, !any_finite && negzero);
          return accumulate_decoded(out.format, *round_late, cv, decode(out.format, products));
        }
      }
    }
    nterms = 0;
    emax = INT_MIN;
    bool nan = false, inf_pos = false, inf_neg = false, all_negative_zero = true;
    for (size_t i = 0; i < count; ++i) {
      const Operand x = ta[pa[i]], y = tb[pb[i]];
      const bool neg = x.neg != y.neg;
      if (x.cls == Operand::Finite && y.cls == Operand::Finite) { // the common case first
        all_negative_zero = false;
        push({x.sig * y.sig, x.lsb + y.lsb, x.exp + y.exp, neg, uint8_t(i & 1)});
      } else if (x.cls == Operand::NaN || y.cls == Operand::NaN) {
        nan = true;
      } else if (x.cls == Operand::Inf || y.cls == Operand::Inf) {
        if (x.cls == Operand::Zero || y.cls == Operand::Zero)
          nan = true; // 0 x Inf
        else
          (neg ? inf_neg : inf_pos) = true;
      } else {
        all_negative_zero = all_negative_zero && neg; // a zero product takes no part
      }
    }
    const Value cv = decode(out.format, c);
    if (!unit.late_c) {
      const Operand co = operand_of(out.format, cv, false);
      if (co.cls == Operand::NaN) {
        nan = true;
      } else if (co.cls == Operand::Inf) {
        (co.neg ? inf_neg : inf_pos) = true;
      } else if (co.cls == Operand::Zero) {
        all_negative_zero = all_negative_zero && cv.negative;
      } else {
        all_negative_zero = false;
        push({co.sig, co.lsb, co.exp, co.neg, 0});
      }
    }
    uint64_t products;
    if (nan || (inf_pos && inf_neg))
      products = out.format.nan_code();
    else if (inf_pos || inf_neg)
      products = encode(out.format, Value::inf(inf_neg));
    else
      products = round_terms(all_negative_zero);
    if (!unit.late_c) return products;
    // Late c: the products' rounded sum plus c, one more rounding (the same
    // step, and the same Inf/NaN rules, as a per-MAC float accumulator's).
    return accumulate_decoded(out.format, *round_late, cv, decode(out.format, products));
  }

  void integer_block(Accumulator& acc, const uint64_t* pa, const uint64_t* pb, size_t count) {
    __int128 sum = 0;
    std::vector<Value> specials;
    for (size_t i = 0; i < count; ++i) {
      const Operand x = ta[pa[i]], y = tb[pb[i]];
      if (x.cls == Operand::NaN || y.cls == Operand::NaN ||
          ((x.cls == Operand::Inf || y.cls == Operand::Inf) &&
           (x.cls == Operand::Zero || y.cls == Operand::Zero))) {
        specials.push_back(Value::nan());
      } else if (x.cls == Operand::Inf || y.cls == Operand::Inf) {
        specials.push_back(Value::inf(x.neg != y.neg));
      } else if (x.cls == Operand::Finite && y.cls == Operand::Finite) {
        const __int128 v = __int128(x.sig * y.sig) << (x.lsb + y.lsb - out.lsb_exp);
        if (__builtin_add_overflow(sum, x.neg != y.neg ? -v : v, &sum))
          throw std::overflow_error("an integer dot unit's exact sum exceeded 127 bits");
      }
    }
    // The block's exact sum, added to the register in one step (at most two
    // Values of 64-bit significands).
    if (sum != 0) {
      const bool neg = sum < 0;
      const unsigned __int128 m = neg ? (unsigned __int128)(-sum) : (unsigned __int128)sum;
      const uint64_t hi = uint64_t(m >> 64), lo = uint64_t(m);
      if (hi == 0) {
        acc.add(Value::finite(neg, lo, out.lsb_exp));
      } else {
        acc.add(Value::finite(neg, hi, out.lsb_exp + 64));
        if (lo) acc.add(Value::finite(neg, lo, out.lsb_exp));
      }
    }
    for (const Value& s : specials)
      acc.add(s);
  }
};

DotEngine::DotEngine(const Format& a, const Format& b, const AccumulatorSpec& out,
                     const DotUnit& unit)
    : impl_(std::make_unique<Impl>(a, b, out, unit)) {}
DotEngine::~DotEngine() = default;
DotEngine::DotEngine(DotEngine&&) noexcept = default;
DotEngine& DotEngine::operator=(DotEngine&&) noexcept = default;

const DotUnit& DotEngine::unit() const {
  return impl_->unit;
}
const AccumulatorSpec& DotEngine::output() const {
  return impl_->out;
}
bool DotEngine::integer() const {
  return impl_->integer;
}

uint64_t DotEngine::block(uint64_t c, const uint64_t* a, const uint64_t* b, size_t count) {
  if (impl_->integer) throw std::logic_error("DotEngine::block(c, ...) is for float outputs");
  return impl_->float_block(c, a, b, count);
}

void DotEngine::block(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t count) {
  if (impl_->integer)
    impl_->integer_block(acc, a, b, count);
  else
    acc.load(impl_->float_block(acc.code(), a, b, count));
}

void DotEngine::dot(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t k,
                    const std::function<void(const Accumulator&)>& on_block) {
  const size_t n = impl_->unit.whole() ? std::max<size_t>(k, 1) : size_t(impl_->unit.n);
  for (size_t i = 0; i < k; i += n) {
    block(acc, a + i, b + i, std::min(n, k - i));
    if (on_block) on_block(acc);
  }
}

PromotedDot::PromotedDot(DotEngine& engine, int interval)
    : engine_(engine), interval_(interval), fp32_(parse_format("fp32")) {
  if (engine.integer())
    throw InputError("--promote applies to float outputs, not --acc " + engine.output().name);
  const DotUnit& u = engine.unit();
  if (interval <= 0 || u.whole() || interval % u.n != 0)
    throw InputError("--promote " + std::to_string(interval) + " must be a positive multiple of " +
                     (u.whole() ? std::string("n, and the unit spans the whole dot product")
                                : "the unit's n = " + std::to_string(u.n)));
}

void PromotedDot::dot(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t k,
                      const std::function<void(const Accumulator&)>& on_block,
                      const std::function<void(uint64_t)>& on_promote) {
  const Format& out = engine_.output().format;
  const Rounder rne32(fp32_, RoundingOptions{});
  uint64_t f = encode(fp32_, decode(out, acc.code())); // c, rounded RNE into fp32
  Accumulator part(engine_.output());
  for (size_t i = 0; i < k; i += size_t(interval_)) {
    part.clear();
    engine_.dot(part, a + i, b + i, std::min(size_t(interval_), k - i), on_block);
    f = float_accumulate(fp32_, rne32, f, decode(out, part.code()));
    if (on_promote) on_promote(f);
  }
  acc.load(encode(out, decode(fp32_, f)));
}

} // namespace qmac::dot
