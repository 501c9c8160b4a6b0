// FNV-1a, 64 bits: the cache key of a synthesis run. Not cryptographic; it
// only has to tell apart the inputs one machine sees. Internal to qmac_cost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qmac::cost::detail {

class Fnv1a {
public:
  // Each field is followed by its length, so ("ab", "c") and ("a", "bc") differ.
  Fnv1a& add(std::string_view field) {
    for (unsigned char c : field)
      mix(c);
    for (uint64_t n = field.size(), i = 0; i < 8; ++i, n >>= 8)
      mix(uint8_t(n));
    return *this;
  }

  // 16 lowercase hex digits.
  std::string hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 0; i < 16; ++i)
      s[size_t(i)] = kDigits[(state_ >> (60 - 4 * i)) & 0xf];
    return s;
  }

private:
  void mix(uint8_t byte) {
    state_ ^= byte;
    state_ *= 0x100000001b3ull;
  }
  uint64_t state_ = 0xcbf29ce484222325ull;
};

} // namespace qmac::cost::detail
