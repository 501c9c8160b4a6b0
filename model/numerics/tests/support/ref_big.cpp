#include "ref_big.h"

#include <cmath>
#include <stdexcept>

namespace qmac_test {

cpp_rational pow2(int e) {
  cpp_int one = 1;
  return e >= 0 ? cpp_rational(one << e) : cpp_rational(cpp_int(1), one << -e);
}

cpp_rational rational_of(long double v) {
  if (!std::isfinite(v)) throw std::logic_error("rational_of: not finite");
  if (v == 0) return 0;
  int e;
  long double m = std::frexp(std::fabs(v), &e); // v = m * 2^e, m in [0.5, 1)
  // 64 bits of significand hold every long double exactly.
  uint64_t sig = uint64_t(std::ldexp(m, 64));
  cpp_rational r = cpp_rational(cpp_int(sig)) * pow2(e - 64);
  return v < 0 ? cpp_rational(-r) : r;
}

cpp_rational rational_of(bool negative, uint64_t significand, int exponent) {
  cpp_rational r = cpp_rational(cpp_int(significand)) * pow2(exponent);
  return negative ? cpp_rational(-r) : r;
}

std::string decimal_of(const cpp_int& n, int exp2) {
  if (n == 0) return "0";
  bool neg = n < 0;
  cpp_int m = neg ? cpp_int(-n) : n;
  std::string s;
  if (exp2 >= 0) {
    s = cpp_int(m << exp2).str();
  } else {
    int k = -exp2;
    cpp_int five = 1;
    for (int i = 0; i < k; ++i)
      five *= 5;
    std::string digits = cpp_int(m * five).str(); // n * 2^-k = n * 5^k / 10^k
    if (digits.size() <= size_t(k)) digits.insert(0, size_t(k) + 1 - digits.size(), '0');
    digits.insert(digits.size() - size_t(k), ".");
    while (digits.back() == '0')
      digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
    s = digits;
  }
  return neg ? "-" + s : s;
}

std::string decimal_of(const cpp_rational& r) {
  cpp_int num = numerator(r), den = denominator(r);
  int k = 0;
  while (den > 1) {
    if (den % 2 != 0) throw std::logic_error("decimal_of: not a dyadic rational");
    den /= 2;
    ++k;
  }
  return decimal_of(num, -k);
}

cpp_int low_bits(const cpp_int& n, int width) {
  cpp_int mod = cpp_int(1) << width;
  cpp_int r = n % mod; // sign follows n
  if (r < 0) r += mod;
  return r;
}

std::vector<uint64_t> limbs_of(const cpp_int& n, size_t limbs) {
  cpp_int u = low_bits(n, int(64 * limbs));
  std::vector<uint64_t> out;
  for (size_t i = 0; i < limbs; ++i)
    out.push_back(uint64_t(cpp_int((u >> (64 * i)) & cpp_int(~0ull))));
  return out;
}

cpp_int wrap_signed(const cpp_int& n, int width) {
  cpp_int r = low_bits(n, width);
  if (r >= (cpp_int(1) << (width - 1))) r -= cpp_int(1) << width;
  return r;
}

std::string hex_of(const cpp_int& n, int width) {
  cpp_int u = low_bits(n, width);
  int digits = (width + 3) / 4;
  std::string s(size_t(digits), '0');
  for (int d = 0; d < digits; ++d) {
    int nib = int(cpp_int((u >> (4 * d)) & 15));
    s[size_t(digits - 1 - d)] = "0123456789abcdef"[nib];
  }
  return "0x" + s;
}

} // namespace qmac_test
