#include "qmac/numerics/exact_sum.h"

#include <utility>

#include "bits.h"

namespace qmac {

Unrounded exact_sum(const Value& a, const Value& b) {
  if (a.significand == 0 && b.significand == 0)
    return Unrounded{a.negative && b.negative, 0, 0, false};
  if (b.significand == 0) return Unrounded{a.negative, a.significand, a.exponent, false};
  if (a.significand == 0) return Unrounded{b.negative, b.significand, b.exponent, false};

  Value hi = a, lo = b;
  int top_hi = hi.exponent + bit_length(hi.significand) - 1;
  int top_lo = lo.exponent + bit_length(lo.significand) - 1;
  if (top_lo > top_hi) {
    std::swap(hi, lo);
    std::swap(top_hi, top_lo);
  }
  // Far below: every rounding point near hi (for precision <= 60) is a multiple
  // of 2^(top_hi-63) and so is hi, so any lo in (0, 2^(top_hi-64)) rounds the
  // same; 2^(top_hi-66) stands in for it, and the sum below stays exact.
  if (top_lo < top_hi - 66) {
    lo.significand = 1;
    lo.exponent = top_hi - 66;
  }
  // Both now within 122 bits of top_hi: the aligned sum fits 128 bits exactly.
  int e = std::min(hi.exponent, lo.exponent);
  unsigned __int128 x = (unsigned __int128)hi.significand << (hi.exponent - e);
  unsigned __int128 y = (unsigned __int128)lo.significand << (lo.exponent - e);
  bool neg = hi.negative;
  unsigned __int128 sum;
  if (hi.negative == lo.negative) {
    sum = x + y;
  } else if (x >= y) {
    sum = x - y;
  } else {
    sum = y - x;
    neg = lo.negative;
  }
  if (sum == 0) return Unrounded{false, 0, 0, false};
  // Down to 64 bits; what falls off is far below any rounding point.
  int n = bit_length(sum);
  if (n <= 64) return Unrounded{neg, uint64_t(sum), e, false};
  int s = n - 64;
  bool sticky = (sum & (((unsigned __int128)1 << s) - 1)) != 0;
  return Unrounded{neg, uint64_t(sum >> s), e + s, sticky};
}

} // namespace qmac
