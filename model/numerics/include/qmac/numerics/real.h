// Real numbers as users write them, read exactly.
//
// "0.1" is not a dyadic rational, so reading it into a double and rounding
// that double again could round twice. parse_real() keeps track of which side
// of the nearest double the written decimal lies on, and hands round_to_code()
// an exact description of it, so every quantization of a decimal string is
// correctly rounded.
#pragma once

#include <string_view>

#include "qmac/numerics/format.h"
#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"

namespace qmac {

struct Real {
  Value::Class cls = Value::Class::Finite;
  Unrounded magnitude; // sign and magnitude (finite), sign (Inf)
  // The nearest double, exactly (the written value itself when it is dyadic
  // and fits 60 bits); for callers that need a plain Value.
  Value nearest;
};

// Decimal ("-1.5e-3"), C99 hex-float ("0x1.8p-3"), inf, -inf, infinity, nan.
// Throws InputError naming the text when it is none of these.
Real parse_real(std::string_view text);

// Correctly rounds a parsed real to a code of f.
uint64_t quantize(const Format& f, const Real& x, const RoundingOptions& opts = {});

} // namespace qmac
