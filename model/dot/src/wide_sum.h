// An exact fixed-point sum of any number of signed terms over a fixed range
// of bit weights: the Kulisch-style register of an exact dot unit (not installed).
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/numerics/rounding.h"

namespace qmac::dot {

class WideSum {
public:
  // Terms whose bits lie in weights [2^base, 2^top); `terms` of them at most
  // (the register's carry room).
  WideSum(int base, int top, long terms);
  void clear();
  // Adds (or, neg, subtracts) mag * 2^lsb, lsb >= base.
  void add(bool neg, unsigned __int128 mag, int lsb);
  bool is_zero() const;
  // The sum ready for one rounding: its 64 leading bits, the rest as the sticky tail.
  Unrounded unrounded() const;

private:
  int base_;
  std::vector<uint64_t> limbs_; // two's complement, least significant first
};

} // namespace qmac::dot
