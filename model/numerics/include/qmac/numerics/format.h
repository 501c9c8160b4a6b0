// The Format descriptor: one value type describes every element format qmac knows.
//
// A format is data, not a class: integers, the one parameterized float path
// (exponent bits, mantissa bits, bias, special-value style) and ANT's flint all
// share this struct, and every other part of the project (golden model,
// SystemC, RTL vectors, cost model) reads its parameters from here.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace qmac {

// Thrown for anything the user got wrong: an unknown name, a malformed number,
// a code out of range. The command line turns it into exit status 2.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

enum class Kind : uint8_t {
  Integer, // two's complement (signed) or plain binary (unsigned), times 2^lsb_exp
  Float,   // sign, exponent, mantissa; subnormals always
  Flint,   // ANT's flint: leading-bit coded exponent over an integer grid
};

// How a float format spends its codes on special values.
enum class Specials : uint8_t {
  Ieee, // all-ones exponent: Inf (mantissa 0) and NaN (mantissa != 0)
  Fn,   // no Inf; NaN only where exponent and mantissa are all ones
  Fnuz, // no Inf, no -0; the one NaN is the sign bit alone (0x80 for 8 bits)
  Fin,  // every code is a finite number: no Inf, no NaN
  Fnu,  // e8m0fnu: unsigned exponent-only scale, no zero, NaN at all ones
};

struct Format {
  std::string name; // canonical spelling
  Kind kind = Kind::Integer;
  int bits = 8;          // width of one code
  bool is_signed = true; // Integer: two's complement; Float/Flint: sign-magnitude
  int lsb_exp = 0;       // Integer only: value = integer * 2^lsb_exp (MXINT8 uses -6)
  int exp_bits = 0;      // Float only
  int man_bits = 0;      // Float only
  int bias = 0;          // Float only
  Specials specials = Specials::Fin;

  // Codes are the low `bits` bits of a uint64_t.
  uint64_t code_mask() const { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }
  // Bits that carry the magnitude (everything but the sign for sign-magnitude formats).
  int magnitude_bits() const { return is_signed && kind != Kind::Integer ? bits - 1 : bits; }
  uint64_t sign_bit() const { return 1ull << (bits - 1); }

  // Float: unbiased exponent of the smallest normal and the largest finite binade.
  int emin() const { return specials == Specials::Fnu ? -bias : 1 - bias; }
  int emax() const;

  bool has_inf() const { return kind == Kind::Float && specials == Specials::Ieee; }
  bool has_nan() const;
  bool has_negative_zero() const;

  // Largest code of a positive finite value (sign bit clear).
  uint64_t max_finite_code() const;
  // The canonical NaN code (positive where there is a choice); requires has_nan().
  uint64_t nan_code() const;
  uint64_t inf_code(bool negative) const;
  // Smallest code (as a signed integer for Integer formats) and the code of zero.
  int64_t min_integer() const { return is_signed ? -(int64_t(1) << (bits - 1)) : 0; }
  int64_t max_integer() const {
    return is_signed ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  }

  // Number of distinct finite values (+0 and -0 count once).
  uint64_t distinct_values() const;

  // Same codes, same values (names may differ: e4m3 == e4m3_b7).
  bool operator==(const Format& o) const {
    return kind == o.kind && bits == o.bits && is_signed == o.is_signed && lsb_exp == o.lsb_exp &&
           exp_bits == o.exp_bits && man_bits == o.man_bits && bias == o.bias &&
           specials == o.specials;
  }
  bool operator!=(const Format& o) const { return !(*this == o); }
};

// Parses any element format spelling of docs/cli.md (ml_dtypes names with
// or without the float8_/float6_/float4_ prefix, intN/uintN, eXmY[fn|fnuz|fin][_bBIAS],
// flint). Throws InputError naming the offending spelling.
Format parse_format(std::string_view name);

// The named formats `qmac formats` lists, in a stable order.
const std::vector<std::string>& named_formats();

// Builders used by the parser and by code that needs a format by parameters.
Format integer_format(int bits, bool is_signed, int lsb_exp = 0);
Format float_format(int exp_bits, int man_bits, int bias, Specials specials, std::string name = "");
Format flint_format(int bits, bool is_signed);

} // namespace qmac
