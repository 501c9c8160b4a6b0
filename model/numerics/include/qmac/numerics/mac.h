// Multiply-accumulate: MAC sequences, dot products and the golden GEMM.
//
// Accumulation order (the contract the cycle simulator and the RTL are checked
// against): every output starts from +0 (integer 0, fixed-point 0) and takes
// the products a[k] * b[k] for k = 0, 1, ..., K-1 in that order, each with the
// accumulator's single rounding. Products are exact.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"

namespace qmac {

// Exact products of codes of two formats, decoding narrow formats by table.
class Multiplier {
public:
  Multiplier(Format a, Format b);
  const Format& a() const { return a_; }
  const Format& b() const { return b_; }
  Value operand_a(uint64_t code) const { return table_a_ ? (*table_a_)[code] : decode(a_, code); }
  Value operand_b(uint64_t code) const { return table_b_ ? (*table_b_)[code] : decode(b_, code); }
  Value operator()(uint64_t a_code, uint64_t b_code) const {
    return multiply(operand_a(a_code), operand_b(b_code));
  }

private:
  Format a_, b_;
  std::shared_ptr<const DecodeTable> table_a_, table_b_;
};

// Accumulates a[k] * b[k] for k in order into acc (which is not cleared first).
void mac_sequence(const Multiplier& mul, Accumulator& acc, const uint64_t* a, const uint64_t* b,
                  size_t n, size_t stride_a = 1, size_t stride_b = 1);

// The register of every output of a GEMM, as 64-bit words (one per output for
// float and integer accumulators; width/64+2 limbs for fixed point).
struct GemmResult {
  size_t rows = 0, cols = 0, words_per_output = 1;
  std::vector<uint64_t> words;
  std::vector<std::string> hex;     // the register, as `qmac mac` prints it
  std::vector<std::string> decimal; // its exact value
};

// C = A * B with A row-major M x K codes, B row-major K x N codes, in the order above.
GemmResult gemm(const Multiplier& mul, const AccumulatorSpec& acc, size_t M, size_t K, size_t N,
                const std::vector<uint64_t>& A, const std::vector<uint64_t>& B);

} // namespace qmac
