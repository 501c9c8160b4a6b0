#include "operand.h"

#include "qmac/numerics/codec.h"

namespace qmac::cli {

OperandFormat parse_operand_format(std::string_view name) {
  OperandFormat f;
  f.name = std::string(name);
  if ((f.block = find_block_format(name))) {
    f.element = f.block->element;
    return f;
  }
  f.element = parse_format(name);
  f.name = f.element.name;
  return f;
}

Value OperandFormat::value_of(std::string_view token) const {
  if (!block) return decode(element, parse_code(token, element));
  const auto [s, e] = block_codes(token);
  return block_element_value(*block, s, e);
}

std::pair<uint64_t, uint64_t> OperandFormat::block_codes(std::string_view token) const {
  const size_t colon = token.find(':');
  if (colon == std::string_view::npos)
    throw InputError("bad code '" + std::string(token) + "' for " + name +
                     ": block codes are SCALE:ELEMENT, like 0x7f:0x3c");
  return {parse_code(token.substr(0, colon), block->scale),
          parse_code(token.substr(colon + 1), block->element)};
}

std::string OperandFormat::token(uint64_t scale, uint64_t element_code) const {
  return format_code(scale, block->scale.bits) + ":" + format_code(element_code, element.bits);
}

} // namespace qmac::cli
