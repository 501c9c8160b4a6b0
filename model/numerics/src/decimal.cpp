#include "decimal.h"

#include <algorithm>
#include <cstdlib>

namespace qmac {
namespace {

constexpr uint32_t kBase = 1000000000u; // nine decimal digits per limb

// A nonnegative integer in base 10^9, least significant limb first.
class DecimalDigits {
public:
  void multiply_add(uint64_t factor, uint64_t addend) { // factor, addend < 2^32
    uint64_t carry = addend;
    for (uint32_t& limb : limbs_) {
      uint64_t t = uint64_t(limb) * factor + carry;
      limb = uint32_t(t % kBase);
      carry = t / kBase;
    }
    for (; carry; carry /= kBase)
      limbs_.push_back(uint32_t(carry % kBase));
  }
  bool zero() const { return limbs_.empty(); }
  std::string text() const {
    if (limbs_.empty()) return "0";
    std::string s = std::to_string(limbs_.back());
    for (size_t i = limbs_.size() - 1; i-- > 0;) {
      std::string part = std::to_string(limbs_[i]);
      s += std::string(9 - part.size(), '0') + part;
    }
    return s;
  }

private:
  std::vector<uint32_t> limbs_;
};

} // namespace

std::string binary_to_decimal(bool negative, const std::vector<uint64_t>& magnitude, int exp2) {
  // Strip trailing zero bits into the exponent, so the expansion has no trailing zeros.
  size_t first = 0, last = magnitude.size();
  while (last > 0 && magnitude[last - 1] == 0)
    --last;
  if (last == 0) return negative ? "-0" : "0";
  while (magnitude[first] == 0)
    ++first;
  exp2 += int(64 * first);
  const int tz = __builtin_ctzll(magnitude[first]);
  exp2 += tz;
  std::vector<uint64_t> m;
  for (size_t i = first; i < last; ++i) {
    uint64_t next = i + 1 < last ? magnitude[i + 1] : 0;
    m.push_back(tz ? (magnitude[i] >> tz) | (next << (64 - tz)) : magnitude[i]);
  }
  DecimalDigits d;
  for (size_t i = m.size(); i-- > 0;) {
    d.multiply_add(1ull << 32, m[i] >> 32);
    d.multiply_add(1ull << 32, m[i] & 0xffffffffu);
  }
  // m * 2^e = m * 2^e for e >= 0; m * 5^-e / 10^-e for e < 0.
  for (int left = std::abs(exp2); left > 0; left -= 13) {
    int step = std::min(left, 13);
    uint64_t factor = 1;
    for (int i = 0; i < step; ++i)
      factor *= exp2 > 0 ? 2 : 5;
    d.multiply_add(factor, 0);
  }
  std::string digits = d.text();
  if (exp2 < 0) {
    size_t frac = size_t(-exp2);
    if (digits.size() <= frac) digits.insert(0, frac - digits.size() + 1, '0');
    digits.insert(digits.size() - frac, ".");
  }
  return (negative ? "-" : "") + digits;
}

} // namespace qmac
