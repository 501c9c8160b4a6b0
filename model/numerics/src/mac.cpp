#include "qmac/numerics/mac.h"

namespace qmac {
namespace {

std::shared_ptr<const DecodeTable> table_for(const Format& f) {
  return f.bits <= 16 ? std::make_shared<const DecodeTable>(f) : nullptr;
}

} // namespace

Multiplier::Multiplier(Format a, Format b)
    : a_(std::move(a)), b_(std::move(b)), table_a_(table_for(a_)),
      table_b_(a_ == b_ ? table_a_ : table_for(b_)) {}

void mac_sequence(const Multiplier& mul, Accumulator& acc, const uint64_t* a, const uint64_t* b,
                  size_t n, size_t stride_a, size_t stride_b) {
  for (size_t k = 0; k < n; ++k)
    acc.add(mul(a[k * stride_a], b[k * stride_b]));
}

GemmResult gemm(const Multiplier& mul, const AccumulatorSpec& spec, size_t M, size_t K, size_t N,
                const std::vector<uint64_t>& A, const std::vector<uint64_t>& B) {
  if (A.size() != M * K || B.size() != K * N)
    throw InputError("gemm operand sizes do not match " + std::to_string(M) + "x" +
                     std::to_string(K) + "x" + std::to_string(N));
  GemmResult r;
  r.rows = M;
  r.cols = N;
  Accumulator acc(spec);
  r.words_per_output = spec.kind == AccKind::Fixed ? acc.fixed().limbs().size() : 1;
  r.words.reserve(M * N * r.words_per_output);
  for (size_t m = 0; m < M; ++m) {
    for (size_t n = 0; n < N; ++n) {
      acc.clear();
      // An empty sum (K = 0) stays +0; its operands are empty vectors, which
      // must not be indexed.
      if (K > 0) mac_sequence(mul, acc, &A[m * K], &B[n], K, 1, N);
      if (spec.kind == AccKind::Fixed)
        r.words.insert(r.words.end(), acc.fixed().limbs().begin(), acc.fixed().limbs().end());
      else
        r.words.push_back(acc.code());
      r.hex.push_back(acc.code_hex());
      r.decimal.push_back(acc.value_decimal());
    }
  }
  return r;
}

} // namespace qmac
