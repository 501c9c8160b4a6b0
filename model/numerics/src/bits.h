// Bit-twiddling helpers shared by the numerics sources (not installed).
#pragma once

#include <cstdint>

namespace qmac {

// Number of bits needed to write x (0 for 0).
inline int bit_length(uint64_t x) {
  return x ? 64 - __builtin_clzll(x) : 0;
}
inline int bit_length(unsigned __int128 x) {
  uint64_t hi = uint64_t(x >> 64);
  return hi ? 64 + bit_length(hi) : bit_length(uint64_t(x));
}
inline int count_trailing_zeros(uint64_t x) {
  return x ? __builtin_ctzll(x) : 64;
}

} // namespace qmac
