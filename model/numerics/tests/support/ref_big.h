// Exact big-number helpers for the tests (Boost.Multiprecision; tests only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

namespace qmac_test {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

// 2^e as a rational (e may be negative).
cpp_rational pow2(int e);
// An exact long double as a rational.
cpp_rational rational_of(long double v);
// significand * 2^exponent, signed.
cpp_rational rational_of(bool negative, uint64_t significand, int exponent);

// Exact decimal text of n * 2^exp2 ("-12.375"; "0" for zero).
std::string decimal_of(const cpp_int& n, int exp2);
// Exact decimal text of a dyadic rational (throws std::logic_error if the
// denominator is not a power of two).
std::string decimal_of(const cpp_rational& r);

// The low `width` bits of n (two's complement), as an unsigned big integer.
cpp_int low_bits(const cpp_int& n, int width);
// n as n 64-bit two's complement limbs, least significant first, sign-extended.
std::vector<uint64_t> limbs_of(const cpp_int& n, size_t limbs);
// n wrapped into the two's complement range of `width` bits.
cpp_int wrap_signed(const cpp_int& n, int width);
// n as `width`-bit two's complement in hex, zero-padded to ceil(width/4) digits, with 0x.
std::string hex_of(const cpp_int& n, int width);

} // namespace qmac_test
