// Formats as the command line names them: an element format or a block format
// (whose codes are written SCALE:ELEMENT, e.g. 0x7f:0x3c).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "qmac/numerics/block.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/value.h"

namespace qmac::cli {

struct OperandFormat {
  std::string name;
  Format element; // the element format (of the block, if any)
  std::optional<BlockFormat> block;

  // The exact value of a code token ("0x3c", or "0x7f:0x3c" for blocks).
  Value value_of(std::string_view token) const;
  // A block format's token split into its scale and element codes
  // (InputError for a token without the colon or a code the formats lack).
  std::pair<uint64_t, uint64_t> block_codes(std::string_view token) const;
  // The code token of a block element.
  std::string token(uint64_t scale, uint64_t element) const;
};

OperandFormat parse_operand_format(std::string_view name);

} // namespace qmac::cli
