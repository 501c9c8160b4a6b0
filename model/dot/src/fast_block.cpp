#include "fast_block.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qmac::dot {

bool FastBlock::fits(const OperandTable& a, const OperandTable& b, int lo, int hi) {
  if (!a.tabled() || !b.tabled() || a.max_sig_bits() + b.max_sig_bits() > 53) return false;
  lo = std::min(lo, a.min_lsb() + b.min_lsb());
  hi = std::max(hi, a.max_top() + b.max_top() + 2);
  // Double's normal range is 2^-1022 to 2^1023; a term scaled onto the
  // highest grid is at least 2^(lo - hi).
  return lo >= -900 && hi <= 900 && hi - lo <= 1000;
}

std::vector<FastBlock::Entry> FastBlock::table_of(const OperandTable& t) {
  std::vector<Entry> out(size_t(t.mask()) + 1);
  for (uint64_t code = 0; code <= t.mask(); ++code) {
    const Operand o = t[code];
    Entry& e = out[code];
    e = {0.0, o.cls == Operand::Zero ? kZeroExp : kSpecialExp, -kZeroExp};
    if (o.cls == Operand::Finite) {
      e.value = double(o.sig) * power_of_two(o.lsb);
      e.exp = o.exp;
      e.lsb = o.lsb;
      if (o.neg) e.value = -e.value;
    }
  }
  return out;
}

FastBlock::FastBlock(const OperandTable& a, const OperandTable& b)
    : ta_(table_of(a)), tb_(table_of(b)), mask_a_(a.mask()), mask_b_(b.mask()) {}

double FastBlock::power_of_two(int k) {
  const uint64_t bits = uint64_t(k + 1023) << 52;
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

FastBlock::Scan FastBlock::products(const uint64_t* pa, const uint64_t* pb, size_t count) {
  if (terms_.size() < count + 1) terms_.resize(count + 1);
  double* p = terms_.data();
  const Entry* xa = ta_.data();
  const Entry* xb = tb_.data();
  int e = 2 * kZeroExp; // no product: as if every product were zero
  for (size_t i = 0; i < count; ++i) {
    const Entry& x = xa[pa[i] & mask_a_];
    const Entry& y = xb[pb[i] & mask_b_];
    p[i] = x.value * y.value;
    e = std::max(e, x.exp + y.exp);
  }
  return {e};
}

FastBlock::Scan FastBlock::products(const uint64_t* pa, const uint64_t* pb, size_t k, size_t n,
                                    std::vector<BlockBounds>& blocks, bool with_lsb) {
  if (terms_.size() < k + 1) terms_.resize(k + 1);
  blocks.resize((k + n - 1) / n);
  double* p = terms_.data();
  const Entry* xa = ta_.data();
  const Entry* xb = tb_.data();
  int all = 2 * kZeroExp;
  for (size_t j = 0, i = 0; i < k; ++j) {
    const size_t end = std::min(i + n, k);
    // Two maxima (and minima), each over every other product: a single one
    // would chain every product's compare behind the last.
    int e0 = 2 * kZeroExp, e1 = e0, lsb0 = -2 * kZeroExp, lsb1 = lsb0;
    auto product = [&](size_t at, int& e, int& lsb) {
      const Entry& x = xa[pa[at] & mask_a_];
      const Entry& y = xb[pb[at] & mask_b_];
      p[at] = x.value * y.value;
      e = std::max(e, x.exp + y.exp);
      if (with_lsb) lsb = std::min(lsb, x.lsb + y.lsb);
    };
    for (; i + 2 <= end; i += 2) {
      product(i, e0, lsb0);
      product(i + 1, e1, lsb1);
    }
    if (i < end) product(i++, e0, lsb0);
    blocks[j] = {{std::max(e0, e1)}, std::min(lsb0, lsb1)};
    all = std::max(all, blocks[j].emax);
  }
  return {all};
}

int64_t FastBlock::truncated(double x, bool sticky) {
  const int64_t kept = int64_t(x);
  if (!sticky) return kept;
  const int64_t lost = double(kept) != x, neg = x < 0;
  return 2 * kept + ((lost ^ -neg) + neg); // the lost bits' OR, with the term's sign
}

int64_t FastBlock::window_term(double x, int grid, bool sticky) {
  return truncated(x * power_of_two(-grid), sticky);
}

// Slots from..to-1 one at a time, in int64 (any window below 2^62).
int64_t FastBlock::scalar_sum(size_t from, size_t to, double scale, bool sticky) const {
  const double* p = terms_.data();
  int64_t sum = 0;
  for (size_t i = from; i < to; ++i)
    sum += truncated(p[i] * scale, sticky);
  return sum;
}

int64_t FastBlock::window_sum(size_t from, size_t to, int grid, bool sticky, int term_bits) const {
  const double scale = power_of_two(-grid);
#if defined(__SSE2__)
  // Two terms at a time: truncated through int32, summed in double, which is
  // exact while every partial sum is an integer below 2^53.
  const int count_bits = 64 - __builtin_clzll(uint64_t(to - from) | 1);
  if (term_bits <= 31 && term_bits + 1 + count_bits <= 53) {
    const double* p = terms_.data();
    const __m128d vscale = _mm_set1_pd(scale), one = _mm_set1_pd(1.0), sign = _mm_set1_pd(-0.0);
    __m128d acc = _mm_setzero_pd();
    size_t i = from;
    for (; i + 2 <= to; i += 2) {
      const __m128d x = _mm_mul_pd(_mm_loadu_pd(p + i), vscale);
      __m128d kept = _mm_cvtepi32_pd(_mm_cvttpd_epi32(x)); // toward zero
      if (sticky) {
        // 1 where bits were lost, with the term's sign, below the doubled term.
        const __m128d lost =
            _mm_or_pd(_mm_and_pd(_mm_cmpneq_pd(kept, x), one), _mm_and_pd(x, sign));
        kept = _mm_add_pd(_mm_add_pd(kept, kept), lost);
      }
      acc = _mm_add_pd(acc, kept);
    }
    double lanes[2];
    _mm_storeu_pd(lanes, acc);
    return int64_t(lanes[0]) + int64_t(lanes[1]) + scalar_sum(i, to, scale, sticky);
  }
#endif
  (void)term_bits;
  return scalar_sum(from, to, scale, sticky);
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
