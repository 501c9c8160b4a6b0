#include "wide_sum.h"

#include <algorithm>

namespace qmac::dot {

WideSum::WideSum(int base, int top, long terms) : base_(base) {
  int carry_bits = 2;
  while ((1L << carry_bits) < terms + 1)
    ++carry_bits;
  // One more limb than the bits need: room for the sign and a 3-limb term.
  limbs_.assign(size_t((top - base + carry_bits) / 64 + 3), 0);
}

void WideSum::clear() {
  std::fill(limbs_.begin(), limbs_.end(), 0);
}

void WideSum::add(bool neg, unsigned __int128 mag, int lsb) {
  if (mag == 0) return;
  const int p = lsb - base_;
  const size_t at = size_t(p / 64);
  const int off = p % 64;
  // mag << off as three words.
  uint64_t w[3] = {uint64_t(mag << off), uint64_t((mag << off) >> 64),
                   off ? uint64_t(mag >> (128 - off)) : 0};
  unsigned __int128 carry = 0;
  for (size_t i = at; i < limbs_.size(); ++i) {
    const uint64_t word = i - at < 3 ? w[i - at] : 0;
    if (i - at >= 3 && carry == 0) break;
    if (!neg) {
      unsigned __int128 s = (unsigned __int128)limbs_[i] + word + carry;
      limbs_[i] = uint64_t(s);
      carry = s >> 64;
    } else {
      // Subtract word and borrow; carry holds the borrow.
      unsigned __int128 d = (unsigned __int128)limbs_[i] - word - carry;
      limbs_[i] = uint64_t(d);
      carry = (d >> 64) ? 1 : 0;
    }
  }
}

bool WideSum::is_zero() const {
  return std::all_of(limbs_.begin(), limbs_.end(), [](uint64_t w) { return w == 0; });
}

Unrounded WideSum::unrounded() const {
  Unrounded u;
  std::vector<uint64_t> m = limbs_;
  u.negative = (m.back() >> 63) != 0;
  if (u.negative) { // two's complement negation
    uint64_t carry = 1;
    for (uint64_t& w : m) {
      w = ~w + carry;
      carry = carry && w == 0;
    }
  }
  size_t hi = m.size();
  while (hi > 0 && m[hi - 1] == 0)
    --hi;
  if (hi == 0) return u;
  const int top_bit = int(hi - 1) * 64 + (63 - __builtin_clzll(m[hi - 1]));
  if (top_bit < 64) {
    u.significand = m[0];
    u.exponent = base_;
    return u;
  }
  // The 64 bits [top_bit - 63, top_bit], and whether any bit below is set.
  const int low = top_bit - 63;
  const size_t at = size_t(low / 64);
  const int off = low % 64;
  u.significand = off ? (m[at] >> off) | (m[at + 1] << (64 - off)) : m[at];
  u.exponent = base_ + low;
  bool tail = off && (m[at] & ((1ull << off) - 1)) != 0;
  for (size_t i = 0; i < at && !tail; ++i)
    tail = m[i] != 0;
  u.sticky = tail;
  return u;
}

} // namespace qmac::dot
