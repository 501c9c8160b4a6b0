// Codes to exact values and back.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"

namespace qmac {

// The exact value of a code (only the low f.bits bits are read).
Value decode(const Format& f, uint64_t code);

// Rounds an exact value to a code (Inf and NaN follow the format's rules;
// NaN into a format without NaN throws InputError).
uint64_t encode(const Format& f, const Value& v, const RoundingOptions& opts = {});

// Rounds a double (exactly a dyadic rational) to a code.
uint64_t quantize(const Format& f, double x, const RoundingOptions& opts = {});

// Exponent of the smallest nonzero magnitude (the finest quantum) of a format.
int smallest_quantum_exponent(const Format& f);
// The largest magnitude of a format (for two's complement, that of the minimum).
Value largest_magnitude(const Format& f);

// All values of a narrow format, indexed by code: the hot paths decode by lookup.
class DecodeTable {
public:
  explicit DecodeTable(const Format& f);
  const Value& operator[](uint64_t code) const { return values_[code]; }
  size_t size() const { return values_.size(); }

private:
  std::vector<Value> values_;
};

// Parses a code written in hex with 0x ("0x7e"); checks it fits the format.
uint64_t parse_code(std::string_view text, const Format& f);
// The code in hex, zero-padded to the format width ("0x07").
std::string format_code(uint64_t code, int bits);

} // namespace qmac
