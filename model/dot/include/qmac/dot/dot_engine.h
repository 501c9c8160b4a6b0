// The golden model of a dot-product unit: blocks of N pairs, each summed as
// dot_unit.h describes and rounded once by qmac's Rounder, chained into long
// dot products, with optional promotion of partial sums to FP32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::dot {

class DotEngine {
public:
  // Throws InputError when the unit does not fit the formats (keys that do not
  // apply to an integer output, products too wide to sum exactly, block
  // inputs into an integer output, ...). Block inputs take packed
  // SCALE:ELEMENT codes (dot_input.h).
  DotEngine(const DotInput& a, const DotInput& b, const AccumulatorSpec& out, const DotUnit& unit);
  ~DotEngine();
  DotEngine(DotEngine&&) noexcept;
  DotEngine& operator=(DotEngine&&) noexcept;

  const DotUnit& unit() const;
  const AccumulatorSpec& output() const;
  // intN or fx+G output: an exact adder tree, no alignment window or rounding.
  bool integer() const;

  // Float output: one block of `count` pairs (count <= n unless the unit is
  // whole) with addend c, a code of the output format; the result's code.
  // count = 0 returns c unchanged (no block runs).
  uint64_t block(uint64_t c, const uint64_t* a, const uint64_t* b, size_t count);

  // Any output: one block into `acc` (float: its code is c and becomes the
  // result; integer: the block's exact sum is added to the register in one step).
  void block(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t count);

  // A dot product of k pairs: consecutive blocks of n pairs (the last may be
  // shorter; one block for a whole unit), each block's result the next
  // block's c. on_block, if given, sees the accumulator after every block.
  void dot(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t k,
           const std::function<void(const Accumulator&)>& on_block = {});

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Promotion of partial sums (the FP8 GEMM recipe of DeepSeek-V3 and
// CUTLASS's 2xAcc kernels): an FP32 accumulator starts at c; every run of
// `interval` elements goes through the unit from +0 and its result is added to
// the FP32 accumulator with one RNE rounding; at the end the FP32 value is
// rounded (RNE) into the output format. Float outputs only; interval a
// multiple of the unit's n.
class PromotedDot {
public:
  PromotedDot(DotEngine& engine, int interval);
  // The dot product's result into acc (whose code is c on entry).
  // on_block sees every block's result, on_promote the FP32 accumulator's
  // code after each run.
  void dot(Accumulator& acc, const uint64_t* a, const uint64_t* b, size_t k,
           const std::function<void(const Accumulator&)>& on_block = {},
           const std::function<void(uint64_t fp32_code)>& on_promote = {});

private:
  DotEngine& engine_;
  int interval_;
  Format fp32_;
};

} // namespace qmac::dot
