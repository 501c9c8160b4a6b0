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
  std::vector<uint64_t> m = magnitude;
  while (!m.empty() && m.back() == 0)
    m.pop_back();
  if (m.empty()) return negative ? "-0" : "0";
  while (m[0] == 0) {
    m.erase(m.begin());
    exp2 += 64;
  }
  int tz = __builtin_ctzll(m[0]);
  if (tz) {
    for (size_t i = 0; i < m.size(); ++i)
      m[i] = (m[i] >> tz) | (i + 1 < m.size() ? m[i + 1] << (64 - tz) : 0);
    exp2 += tz;
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
