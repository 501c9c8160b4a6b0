#include "fast_block.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

namespace qmac::dot {

bool FastBlock::fits(const OperandTable& a, const OperandTable& b, int lo, int hi) {
  if (!a.tabled() || !b.tabled() || a.max_sig_bits() + b.max_sig_bits() > 53) return false;
  lo = std::min(lo, a.min_lsb() + b.min_lsb());
  hi = std::max(hi, a.max_top() + b.max_top() + 2);
  // Double's normal range is 2^-1022 to 2^1023; a term scaled onto the
  // highest grid is at least 2^(lo - hi).
  return lo >= -900 && hi <= 900 && hi - lo <= 1000;
}

FastBlock::Table::Table(const OperandTable& t) : mask(t.mask()) {
  const size_t size = size_t(t.mask()) + 1;
  value.resize(size);
  exp.resize(size);
  lsb.resize(size);
  for (uint64_t code = 0; code <= t.mask(); ++code) {
    const Operand o = t[code];
    value[code] = std::numeric_limits<double>::quiet_NaN();
    exp[code] = kSpecialExp;
    lsb[code] = -kZeroExp;
    if (o.cls == Operand::Zero) {
      value[code] = o.neg ? -0.0 : 0.0;
      exp[code] = kZeroExp;
    } else if (o.cls == Operand::Finite) {
      const double v = double(o.sig) * power_of_two(o.lsb);
      value[code] = o.neg ? -v : v;
      exp[code] = o.exp;
      lsb[code] = o.lsb;
    }
  }
}

FastBlock::FastBlock(const OperandTable& a, const OperandTable& b) : ta_(a), tb_(b) {}

FastBlock::Scan FastBlock::products(const uint64_t* pa, const uint64_t* pb, size_t count) {
  if (terms_.size() < count + 1) terms_.resize(count + 1);
  double* p = terms_.data();
  int e = 2 * kZeroExp; // no product: as if every product were zero
  for (size_t i = 0; i < count; ++i) {
    const uint64_t ca = pa[i] & ta_.mask, cb = pb[i] & tb_.mask;
    p[i] = ta_.value[ca] * tb_.value[cb];
    e = std::max(e, ta_.exp[ca] + tb_.exp[cb]);
  }
  return {e};
}

FastBlock::Scan FastBlock::products(const uint64_t* pa, const uint64_t* pb, size_t k, size_t n,
                                    std::vector<Scan>& blocks) {
  if (terms_.size() < k + 1) terms_.resize(k + 1);
  blocks.resize((k + n - 1) / n);
  double* p = terms_.data();
  int all = 2 * kZeroExp;
  for (size_t j = 0, i = 0; i < k; ++j) {
    const size_t end = std::min(i + n, k);
    // Two maxima, each over every other product: a single one would chain
    // every product's compare behind the last.
    int e0 = 2 * kZeroExp, e1 = e0;
    auto product = [&](size_t at, int& e) {
      const uint64_t ca = pa[at] & ta_.mask, cb = pb[at] & tb_.mask;
      p[at] = ta_.value[ca] * tb_.value[cb];
      e = std::max(e, ta_.exp[ca] + tb_.exp[cb]);
    };
    for (; i + 2 <= end; i += 2) {
      product(i, e0);
      product(i + 1, e1);
    }
    if (i < end) product(i++, e0);
    blocks[j] = {std::max(e0, e1)};
    all = std::max(all, blocks[j].emax);
  }
  return {all};
}

double FastBlock::products_sum(size_t from, size_t to) const {
  const double* p = terms_.data();
  double sum[2] = {0, 0}; // two chains: the order does not matter, every sum is exact
  size_t i = from;
  for (; i + 2 <= to; i += 2) {
    sum[0] += p[i];
    sum[1] += p[i + 1];
  }
  if (i < to) sum[0] += p[i];
  return sum[0] + sum[1];
}

int64_t FastBlock::exact_sum(size_t from, size_t to, int grid, int term_bits) const {
  const double scale = power_of_two(-grid);
  const int count_bits = 64 - __builtin_clzll(uint64_t(to - from) | 1);
  if (term_bits + count_bits > 53) return scalar_sum(from, to, scale, false);
  // Integers below 2^53 all along: the double sum is exact, in any order.
  return int64_t(products_sum(from, to) * scale);
}

} // namespace qmac::dot
