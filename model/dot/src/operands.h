// Input codes as the alignment logic reads them (not installed).
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/dot/dot_input.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/value.h"

namespace qmac::dot {

// One decoded input: |x| = sig * 2^lsb, with the exponent the unit aligns by.
struct Operand {
  enum Class : uint8_t { Zero, Finite, Inf, NaN };
  uint64_t sig = 0;
  int32_t lsb = 0;
  // floor(log2|x|), or the minimum normal exponent for a float subnormal: a
  // subnormal keeps its leading zeros, as the block-FMA model's inputs do.
  int32_t exp = 0;
  Class cls = Zero;
  bool neg = false;
};

// The Operand of an exact value of format f (ftz: float subnormals read as
// zero of their sign).
Operand operand_of(const Format& f, const Value& v, bool ftz);

// Every code of an input of at most 16 bits, decoded once; wider formats
// decode on each read. A block input's code is SCALE:ELEMENT packed
// (dot_input.h): its operand is the element's times the scale's (a NaN scale,
// or an E4M3 scale with its sign bit set, makes it NaN).
class OperandTable {
public:
  OperandTable(const DotInput& in, bool ftz);
  Operand operator[](uint64_t code) const {
    if (!table_.empty()) return table_[code & mask_]; // inline: the alignment's inner loop
    return operand_of(f_, decode(f_, code), ftz_);
  }
  // A bound on the significands' bit length, and the range of lsb over the
  // input's finite nonzero values (for sizing exact sums).
  int max_sig_bits() const { return max_sig_bits_; }
  int min_lsb() const { return min_lsb_; }
  int max_top() const { return max_top_; } // largest floor(log2|x|)
  // How far a value can reach above its alignment exponent: |x| <
  // 2^(exp + 1 + excess). 0 for element formats; 1 for NVFP4 operands, whose
  // E4M3 scale significand in [1, 2) multiplies the element's.
  int max_excess() const { return max_excess_; }
  // Whether every code is decoded once (formats of at most 16 bits).
  bool tabled() const { return !table_.empty(); }
  uint64_t mask() const { return mask_; }

private:
  void tabulate_block(const BlockFormat& bf);

  Format f_;
  bool ftz_;
  std::vector<Operand> table_;
  uint64_t mask_ = 0;
  int max_sig_bits_ = 0, min_lsb_ = 0, max_top_ = 0, max_excess_ = 0;
};

} // namespace qmac::dot
