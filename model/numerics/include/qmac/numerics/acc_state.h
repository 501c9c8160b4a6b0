// An accumulator's state as hardware holds it: the register bits and four
// flags. The RTL PE's ports, the SystemC array's partial sums and the
// checkers all exchange this one struct.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>

namespace qmac {

class Accumulator;

// Flag bits beside the register (intN and fx+G; always 0 for floats).
enum AccFlag : uint8_t { kOverflow = 1, kSpecialNan = 2, kSpecialInf = 4, kSpecialNeg = 8 };

// The register (up to 128 bits, low word first, bits above the register's
// width zero) and the flags {special_neg, special_inf, special_nan, overflow}.
struct AccState {
  std::array<uint64_t, 2> reg{};
  uint8_t flags = 0;
  bool operator==(const AccState& o) const { return reg == o.reg && flags == o.flags; }
  bool operator!=(const AccState& o) const { return !(*this == o); }
};

// 0xREGISTER, and /FLAGS when any flag is set.
std::ostream& operator<<(std::ostream& os, const AccState& s);

// The state of an Accumulator (Accumulator::load_state is the inverse).
AccState state_of(const Accumulator& acc);

} // namespace qmac
