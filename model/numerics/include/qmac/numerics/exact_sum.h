// The exact sum of two finite values, ready for one rounding.
#pragma once

#include "qmac/numerics/rounding.h"
#include "qmac/numerics/value.h"

namespace qmac {

// a + b for finite a and b with significands below 2^56 (every code and every
// product of two codes qmac defines). The result is exact, or, when one
// operand is far below the other, exact up to a sticky tail that lies below
// every rounding point of any format of at most 60 bits of precision, so
// round_to_code() of it is the correctly rounded sum. An exact zero sum is +0,
// except -0 + -0 = -0 (IEEE, rounding to nearest or toward zero).
Unrounded exact_sum(const Value& a, const Value& b);

} // namespace qmac
