// Exact decimal text of a binary fraction of any width (internal).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qmac {

// "-12.375" for negative, magnitude (64-bit limbs, least significant first), exp2:
// the exact decimal expansion of magnitude * 2^exp2, without trailing zeros.
std::string binary_to_decimal(bool negative, const std::vector<uint64_t>& magnitude, int exp2);

} // namespace qmac
