#include "qmac/dot/dot_engine.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

#include "binary32_output.h"
#include "exact_output.h"
#include "fast_block.h"
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
  DotInput a, b;
  AccumulatorSpec out;
  DotUnit unit;
  OperandTable ta, tb;
  bool integer;

  // Float units.
  Format narrow;                  // the output with `bits` significant bits
  bool narrowing = false;         // the result is rounded to `narrow` first
  uint64_t zero_code[2] = {0, 0}; // +0 and -0 in the output
  std::optional<Rounder> round_out, round_narrow, round_late, round_exact;
  std::optional<int> narrow_shift; // IEEE outputs: narrow code -> output code
  std::mt19937_64 rng;             // stochastic rounding
  std::optional<WideSum> wide;     // exact units and odd-even grouping
  // The fast path (fast_block.h), when the operands and the unit fit it.
  std::optional<FastBlock> fast;
  bool binary32_out = false;               // c read from its bits
  std::optional<Binary32Output> fast_fp32; // an fp32 output's rounding by the CPU
  bool fast_late_c = false;                // fp32 late c (RNE) added by the CPU
  // Exact units through exact_dot: the output's rounding of a double, and
  // whether every block's products sum exactly in double
  // whatever the codes (else the blocks' bounds tell).
  bool exact_dot_applies = false;
  std::optional<ExactOutput> exact_out;
  bool products_exact = false;
  OperandTable tc;                          // the output's operands (c as the alignment reads it)
  std::vector<FastBlock::Scan> block_scans; // fast_dot: each block's products
  int product_lsb = 0;                      // the weight of the products' finest bit
  int excess = 0;                           // a product reaches below 2^(its exponent + 2 + excess)
  std::vector<Term> terms;                  // a block's terms: the first nterms
  size_t nterms = 0;
  int emax = INT_MIN; // their largest exponent

  Impl(const DotInput& fa, const DotInput& fb, const AccumulatorSpec& o, const DotUnit& u)
      : a(fa), b(fb), out(o), unit(u), ta(fa, u.ftz_in), tb(fb, u.ftz_in),
        integer(o.kind != AccKind::Float), rng(u.seed), tc(o.format, false) {
    if (ta.max_sig_bits() + tb.max_sig_bits() > 64)
      throw InputError("a dot unit multiplies codes of at most 64 bits together: " + fa.name() +
                       " x " + fb.name() + " is wider");
    if (integer && (fa.block || fb.block))
      throw InputError("block-format operands (" + fa.name() + " x " + fb.name() +
                       ") take a float output, not --acc " + o.name);
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
      throw InputError("the integer unit's exact sum of " + a.name() + " x " + b.name() +
                       " products needs more than 126 bits");
    // The fast path: products on the register's grid, summed exactly.
    if (ta.min_lsb() + tb.min_lsb() >= out.lsb_exp &&
        FastBlock::fits(ta, tb, out.lsb_exp, out.lsb_exp))
      fast.emplace(ta, tb);
  }

  // An integer block by the fast path: false when an operand is Inf or NaN or
  // the sum might not fit 62 bits (the general path takes the block).
  bool fast_integer_block(Accumulator& acc, const uint64_t* pa, const uint64_t* pb, size_t count) {
    const FastBlock::Scan scan = fast->products(pa, pb, count);
    if (scan.special()) return false;
    if (!scan.any_nonzero()) return true; // zeros add nothing
    const int term_bits = scan.emax + 2 - out.lsb_exp;
    if (term_bits + bit_length((unsigned __int128)count) > 61) return false;
    const int64_t s = fast->exact_sum(0, count, out.lsb_exp, term_bits);
    if (s != 0)
      acc.add(Value::finite(s < 0, s < 0 ? uint64_t(0) - uint64_t(s) : uint64_t(s), out.lsb_exp));
    return true;
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
      if (out.format.specials == Specials::Ieee && out.format.is_signed)
        narrow_shift = out.format.man_bits - narrow.man_bits;
    }
    if (unit.exact() || unit.odd_even) {
      // Bit weights a block's terms can reach: products, c, and (odd-even)
      // the two group sums.
      const int base =
          std::min(ta.min_lsb() + tb.min_lsb(), tc.min_lsb()) - (unit.odd_even ? unit.bits + 2 : 0);
      const int top = std::max(ta.max_top() + tb.max_top() + 2, tc.max_top() + 1) + 2;
      wide.emplace(base, top, unit.whole() ? (1L << 40) : long(unit.n) + 1);
    }
    terms.resize(unit.whole() ? 1024 : size_t(unit.n) + 1);
    // The fast path: tabled operands, one window (or none: exact), every term
    // an exact double (c too).
    if (!unit.odd_even && out.format.man_bits < 53 &&
        FastBlock::fits(ta, tb, tc.min_lsb(),
                        std::max(tc.max_top() + 1, unit.min_exp.value_or(INT_MIN + 1) + 1)))
      fast.emplace(ta, tb);
    binary32_out = Binary32Output::is_binary32(out.format);
    if (binary32_out && Binary32Output::rounds(o) && (!narrowing || o.mode == Rounding::TowardZero))
      fast_fp32.emplace(o.mode, narrowing ? unit.bits : 24);
    fast_late_c = binary32_out && unit.late_c == Rounding::NearestEven && !unit.ftz_out &&
                  Binary32Output::rounds(o);
    exact_dot_applies =
        fast && unit.exact() && !unit.late_c && !unit.whole() && out.format.man_bits < 53;
    if (exact_dot_applies) {
      exact_out.emplace(out.format, *round_out);
      const int span = ta.max_top() + tb.max_top() + 2 - (ta.min_lsb() + tb.min_lsb());
      products_exact = span + bit_length((unsigned __int128)unit.n) <= 53;
    }
    product_lsb = ta.min_lsb() + tb.min_lsb();
    excess = ta.max_excess() + tb.max_excess();
  }

  // A whole dot product of an exact unit (c joining each block's sum), its
  // blocks chained on doubles: per block the products' sum in double
  // (exact: statically, or by the block's bounds), plus c, checked exact by
  // TwoSum, and one rounding (ExactOutput); a block whose sum is not exact, or
  // with an Inf or NaN operand or c, goes through general_block. One loop,
  // so that the out-of-order core forms a block's products while the
  // previous block's sum is still being rounded.
  template <bool kBounds, size_t kN = 0>
  void exact_dot(uint64_t& c, const uint64_t* a, const uint64_t* b, size_t k, size_t n) {
    const int count_bits = bit_length((unsigned __int128)n);
    uint64_t code = c;
    double cv = exact_out->value(code);
    for (size_t i = 0; i < k; i += n) {
      const size_t count = std::min(n, k - i);
      FastBlock::BlockBounds bb;
      const double p = kN && count == kN ? fast->block_sum<kBounds, kN>(a + i, b + i, kN, &bb)
                                         : fast->block_sum<kBounds>(a + i, b + i, count, &bb);
      const double s = p + cv;
      // TwoSum (Knuth): the rounding error of p + cv, exactly (NaN when p or
      // cv is Inf or NaN).
      const double pp = s - cv, cp = s - pp;
      const double err = (p - pp) + (cv - cp);
      if (err != 0 ||
          (kBounds && bb.any_nonzero() && bb.emax + 2 + excess - bb.lsb + count_bits > 53)) {
        code = general_block(code, a + i, b + i, count);
        cv = exact_out->value(code);
      } else if (s == 0) {
        code = zero(std::signbit(s)); // -0 only when every term was -0
        cv = s;
      } else {
        cv = exact_out->round(s, code);
      }
    }
    c = code;
  }

  // exact_dot with its block loop unrolled for the Arm units' n = 2 and 4.
  void exact_dot_of_n(uint64_t& c, const uint64_t* a, const uint64_t* b, size_t k, size_t n) {
    if (products_exact) {
      if (n == 2) return exact_dot<false, 2>(c, a, b, k, n);
      if (n == 4) return exact_dot<false, 4>(c, a, b, k, n);
      return exact_dot<false>(c, a, b, k, n);
    }
    if (n == 2) return exact_dot<true, 2>(c, a, b, k, n);
    if (n == 4) return exact_dot<true, 4>(c, a, b, k, n);
    return exact_dot<true>(c, a, b, k, n);
  }

  // A whole dot product by the fast path: all products formed in one pass,
  // then block by block fast_block, or general_block for a block it does not
  // take. False (nothing done) when an operand is Inf or NaN.
  bool fast_dot(uint64_t& c, const uint64_t* a, const uint64_t* b, size_t k, size_t n) {
    if (fast->products(a, b, k, n, block_scans).special()) return false;
    for (size_t i = 0, j = 0; i < k; i += n, ++j) {
      const size_t end = std::min(i + n, k);
      uint64_t result;
      if (block_scans[j].any_nonzero() && fast_block(c, block_scans[j].emax, i, end, result))
        c = result;
      else
        c = general_block(c, a + i, b + i, end - i);
    }
    return true;
  }

  // A finite output operand's value: exact, its significand has at most 53
  // bits (the fast path's condition).
  static double value_of(const Operand& o) {
    const double v = double(o.sig) * FastBlock::power_of_two(o.lsb);
    return o.neg ? -v : v;
  }

  // The addend c as the alignment reads it.
  Operand c_operand(uint64_t c) const { return binary32_out ? Binary32Output::operand(c) : tc[c]; }

  // One block by the fast path from the products in slots from..to-1 (no
  // Inf or NaN among them, at least one nonzero) and c; false when c is Inf
  // or NaN or the window would not fit 62 bits (the general path takes the
  // block).
  [[gnu::always_inline]] bool fast_block(uint64_t c, int emax_products, size_t from, size_t to,
                                         uint64_t& result) {
    int e = emax_products, grid_exact = product_lsb, top = emax_products + 2 + excess;
    Operand co;
    if (!unit.late_c) {
      co = c_operand(c);
      if (co.cls == Operand::Inf || co.cls == Operand::NaN) return false;
      if (co.cls == Operand::Finite) {
        e = std::max(e, co.exp);
        grid_exact = std::min(grid_exact, co.lsb);
        top = std::max(top, co.exp + 1);
      }
    }
    const bool c_term = co.cls == Operand::Finite;
    const int count_bits = bit_length((unsigned __int128)(to - from + 1));
    int64_t s;
    int lsb;
    if (unit.exact()) {
      // A grid under every term's last bit: the window sum is exact.
      if (top - grid_exact + count_bits > 61) return false;
      s = fast->exact_sum(from, to, grid_exact, top - grid_exact);
      if (c_term) {
        const int64_t v = int64_t(co.sig << (co.lsb - grid_exact));
        s += co.neg ? -v : v;
      }
      lsb = grid_exact;
    } else {
      // A term lies below 2^(emax + 2 + excess): term_bits grid units.
      const int term_bits = unit.bits + 1 + excess + (unit.sticky ? 1 : 0);
      if (term_bits + 2 + count_bits > 62) return false;
      if (unit.min_exp) e = std::max(e, *unit.min_exp);
      const int grid = e - unit.bits + 1;
      s = fast->window_sum(from, to, grid, unit.sticky, term_bits);
      if (c_term) {
        s += FastBlock::window_term(value_of(co), grid, unit.sticky);
      }
      lsb = unit.sticky ? grid - 1 : grid;
    }
    // A nonzero product took part: an exact zero sum is +0.
    const uint64_t sum = fast_rounded_sum(s, lsb);
    if (!unit.late_c) {
      result = sum;
    } else if (!fast_late_c || !Binary32Output::add_nearest_even(c, sum, result)) {
      result = accumulate_decoded(out.format, *round_late, decode(out.format, c),
                                  decode(out.format, sum));
    }
    return true;
  }

  // The code of the exact (or sticky-tailed) magnitude x in the output format,
  // through the narrowed format first when the unit keeps fewer bits.
  uint64_t finish(const Unrounded& x) const {
    if (!narrowing) return (*round_out)(x);
    const uint64_t code = (*round_narrow)(x);
    if (narrow_shift) {
      // IEEE layouts differing only in the significand's width: the narrow
      // code's magnitude, shifted, is the output's code of the same value
      // (subnormals and Inf too).
      const uint64_t sign = code & narrow.sign_bit();
      return ((code ^ sign) << *narrow_shift) | (sign ? out.format.sign_bit() : 0);
    }
    // The narrow format's values are the output's: the second rounding is exact.
    const Value v = decode(narrow, code);
    if (v.is_nan()) return out.format.nan_code(); // an RNE overflow where there is no Inf
    if (v.is_inf()) return out.format.inf_code(v.negative);
    if (v.is_zero()) return zero_code[v.negative];
    return (*round_exact)(Unrounded{v.negative, v.significand, v.exponent, false});
  }

  // rounded_sum(s, lsb, false) by the CPU's conversion where it applies.
  uint64_t fast_rounded_sum(int64_t s, int lsb) const {
    uint64_t code;
    if (fast_fp32 && s != 0 && fast_fp32->round(s, lsb, code)) return code;
    return rounded_sum(s, lsb, false);
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
        kept = t[i].sig << -shift; // below 2^(bits + 1 + excess) (at most 2^51)
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
      const FastBlock::Scan scan = fast->products(pa, pb, count);
      uint64_t result;
      if (!scan.special() && scan.any_nonzero() && fast_block(c, scan.emax, 0, count, result))
        return result;
    }
    return general_block(c, pa, pb, count);
  }

  // The block by the definition: Operand terms, WideSum or the window, the
  // Rounder (any block; the fast path's reference).
  [[gnu::noinline]] uint64_t general_block(uint64_t c, const uint64_t* pa, const uint64_t* pb,
                                           size_t count) {
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
    if (fast && fast_integer_block(acc, pa, pb, count)) return;
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

DotEngine::DotEngine(const DotInput& a, const DotInput& b, const AccumulatorSpec& out,
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
  if (!impl_->integer && !on_block) {
    // The chain of blocks with c kept as a code, not loaded into acc each time.
    uint64_t c = acc.code();
    bool done = true;
    if (impl_->exact_dot_applies)
      impl_->exact_dot_of_n(c, a, b, k, n);
    else
      done = impl_->fast && k > 0 && impl_->fast_dot(c, a, b, k, n);
    if (!done)
      for (size_t i = 0; i < k; i += n)
        c = impl_->float_block(c, a + i, b + i, std::min(n, k - i));
    acc.load(c);
    return;
  }
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
