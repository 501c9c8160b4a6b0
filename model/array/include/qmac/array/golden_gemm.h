// The golden GEMM the array simulations are checked against: every output
// takes the products k = 0, 1, ..., K-1 in order from +0, one accumulator
// rounding each (the accumulation order of mac.h), as register and flags.
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/array/array_config.h"
#include "qmac/numerics/acc_state.h"

namespace qmac::array {

// A is M x K codes and B is K x N codes, row-major; the result is M x N.
// DotKernel::dot's native loops where they apply, else Accumulator::add: never
// DotKernel::step, the arithmetic of the simulated PEs.
std::vector<AccState> golden_gemm(const ArrayConfig& config, const Gemm& gemm,
                                  const std::vector<uint32_t>& A, const std::vector<uint32_t>& B);

} // namespace qmac::array
