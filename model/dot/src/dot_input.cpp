#include "qmac/dot/dot_input.h"

namespace qmac::dot {

DotInput DotInput::parse(std::string_view name) {
  if (auto block = find_block_format(name)) return DotInput(*block);
  return DotInput(parse_format(name)); // InputError naming an unknown format
}

} // namespace qmac::dot
