// What a dot unit multiplies: the codes of an element format, or of a block
// format (OCP MX, NVFP4) whose operands carry their block's scale.
//
// A block operand is packed as (scale << element bits) | element, and its
// value is scale * element exactly: the scale takes part in each product as
// an exponent add (E8M0) or a multiply (E4M3), so the block-FMA definition
// (dot_unit.h) applies to block-scaled units unchanged: a term's alignment
// exponent is the sum of its element and scale exponents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qmac/numerics/block.h"
#include "qmac/numerics/format.h"

namespace qmac::dot {

struct DotInput {
  Format element; // the element format (of the block, if any)
  std::optional<BlockFormat> block;

  DotInput(const Format& f)
      : element(f) {} // NOLINT(google-explicit-constructor): any format is an input
  DotInput(const BlockFormat& b)
      : element(b.element), block(b) {} // NOLINT(google-explicit-constructor)

  // A block format's name (mxfp8_e4m3, nvfp4) or an element format's.
  static DotInput parse(std::string_view name);

  const std::string& name() const { return block ? block->name : element.name; }
  int code_bits() const { return element.bits + (block ? block->scale.bits : 0); }
  uint64_t code_mask() const { return code_bits() >= 64 ? ~0ull : (1ull << code_bits()) - 1; }
  uint64_t pack(uint64_t scale, uint64_t element_code) const {
    return (scale << element.bits) | (element_code & element.code_mask());
  }
  uint64_t scale_of(uint64_t code) const { return code >> element.bits; }
  uint64_t element_of(uint64_t code) const { return code & element.code_mask(); }
};

// Hardware that takes n products of a block operand per beat reads one scale
// per operand and beat, so n must divide the format's block: throws
// InputError naming both otherwise (element formats always pass).
void require_whole_blocks(const DotInput& in, int n);

} // namespace qmac::dot
