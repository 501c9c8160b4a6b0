#include "qmac/dot/dot_input.h"

#include <string>

namespace qmac::dot {

DotInput DotInput::parse(std::string_view name) {
  if (auto block = find_block_format(name)) return DotInput(*block);
  return DotInput(parse_format(name)); // InputError naming an unknown format
}

void require_whole_blocks(const DotInput& in, int n) {
  if (in.block && in.block->block_size % n != 0)
    throw InputError("n = " + std::to_string(n) + " does not divide " + in.block->name +
                     "'s block of " + std::to_string(in.block->block_size) +
                     " (a beat carries one scale per operand)");
}

} // namespace qmac::dot
