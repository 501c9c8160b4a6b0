// Gate counts of the datapath components the analytical model is built from,
// in NAND2 equivalents, with the formulas of van Baalen et al. 2023,
// Appendix B where it gives one (adder, incrementer, multiplier, shifter) and
// our stated choices where it does not (leading-one detector, OR trees).
#pragma once

#include "qmac/cost/gate_library.h"

namespace qmac::cost {

// ceil(log2(x)) for x >= 1: the stages of a log shifter, the bits of a count.
constexpr int ceil_log2(long long x) {
  int n = 0;
  while ((1LL << n) < x)
    ++n;
  return n;
}

// N-bit ripple-carry adder: (N-1) full adders and a half adder.
constexpr double adder(int n) {
  return n <= 0 ? 0 : (n - 1) * gates::kFullAdder + gates::kHalfAdder;
}
// N-bit incrementer: a half-adder chain.
constexpr double incrementer(int n) {
  return n <= 1 ? 0 : (n - 1) * gates::kHalfAdder;
}
// An a x b array multiplier: a*b partial-product ANDs, reduced by full adders
// with a half adder per row (the paper's N x N formula for a == b).
constexpr double multiplier(int a, int b) {
  if (a <= 0 || b <= 0) return 0;
  const int lo = a < b ? a : b;
  return a * b * gates::kNand2 + (a - 1) * (b - 1) * gates::kFullAdder +
         (lo - 1) * gates::kHalfAdder;
}
// An n-bit logarithmic shifter over shift amounts [0, k]: a MUX2 per bit per stage.
constexpr double shifter(int n, long long k) {
  return n * ceil_log2(k + 1) * gates::kMux2;
}
// A p-bit value placed at any of the positions 0..k of a w-bit window by a
// logarithmic shifter whose stages are only as wide as the bits that can
// reach them (p + 2^(s+1) - 1 after stage s, at most w): an alignment
// shifter whose input is much narrower than its window (our choice, from
// the same MUX2 per bit per stage as shifter()).
constexpr double placing_shifter(int p, int w, long long k) {
  double muxes = 0;
  for (int s = 0; s < ceil_log2(k + 1); ++s) {
    const long long reach = p + (2LL << s) - 1;
    muxes += double(reach < w ? reach : w);
  }
  return muxes * gates::kMux2;
}
// The n bits at any of k + 1 offsets of a wider value: a log shifter that
// keeps only its n output bits (a normalizer that keeps the rounded
// significand and its guard bits).
constexpr double funnel_shifter(int n, long long k) {
  return n * ceil_log2(k + 1) * gates::kMux2;
}
// An n-input OR (or AND) tree.
constexpr double or_tree(int n) {
  return n <= 1 ? 0 : (n - 1) * gates::kNand2;
}
// A leading-one detector over n bits, priority-encoded: about four gates per
// bit (our choice; the paper's cheapest-option normalizer has no LZA).
constexpr double leading_one_detector(int n) {
  return 4.0 * n;
}
// n flip-flops.
constexpr double registers(int n) {
  return n * gates::kFlipFlop;
}

} // namespace qmac::cost
