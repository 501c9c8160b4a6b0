#include "qmac/array/golden_gemm.h"

#include "qmac/numerics/dot_kernel.h"

namespace qmac::array {

std::vector<AccState> golden_gemm(const ArrayConfig& config, const Gemm& g,
                                  const std::vector<uint32_t>& A, const std::vector<uint32_t>& B) {
  const DotKernel kernel(config.a, config.b, config.acc);
  const bool native = kernel.path() != DotKernel::Path::Generic;
  const Multiplier mul(config.a, config.b);
  Accumulator acc(config.acc);
  std::vector<AccState> out(g.M * g.N);
  std::vector<uint32_t> column(g.K);
  for (uint64_t n = 0; n < g.N; ++n) {
    for (uint64_t k = 0; k < g.K; ++k)
      column[k] = B[k * g.N + n];
    for (uint64_t m = 0; m < g.M; ++m) {
      const uint32_t* row = A.data() + m * g.K;
      if (native) {
        kernel.dot(row, column.data(), g.K, acc);
      } else {
        acc.clear();
        for (uint64_t k = 0; k < g.K; ++k)
          acc.add(mul(row[k], column[k]));
      }
      out[m * g.N + n] = state_of(acc);
    }
  }
  return out;
}

} // namespace qmac::array
