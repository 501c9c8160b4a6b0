// A failure of an external tool the cost model drives (Yosys, Verilator): not
// found, crashed, or refused the design. The command line maps it to exit
// status 1, as an internal failure; the user's own mistakes are
// qmac::InputError (exit status 2).
#pragma once

#include <stdexcept>

namespace qmac::cost {

class ToolError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace qmac::cost
