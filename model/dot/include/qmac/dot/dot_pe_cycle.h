// The cycle model of a dot-product PE (rtl/qmac_dot_pe.v): what its result
// register holds after each rising edge. The RTL's golden twin, and what the
// SystemC dot PE wraps.
//
// Each edge the PE takes one block: n pairs and the addend c, which is the
// beat's c_in when it starts a dot product and otherwise the result register
// (the previous block's result comes back as the next block's c). A bubble
// (valid low) passes c through unchanged. The block's result travels through
// PIPELINE stages and then into the result register, so the latency is
// PIPELINE + 1 edges; the register's value when a beat is presented is the
// result of the beat presented PIPELINE + 1 edges earlier. The PE therefore
// interleaves PIPELINE + 1 independent dot products: the beat at cycle t
// belongs to stream t mod (PIPELINE + 1), and a stream's next block always
// sees its previous block's result, with no stall. reset(): every stage and
// the register hold code 0 (+0).
#pragma once

#include <cstdint>
#include <vector>

#include "qmac/dot/dot_engine.h"

namespace qmac::dot {

// One cycle's inputs of a dot PE: n pairs (fewer are read as zero codes)
// and the addend used when `start` is set.
struct DotBeat {
  bool valid = false, start = false;
  std::vector<uint64_t> a, b;
  uint64_t c = 0;
};

class DotPeCycleModel {
public:
  // The unit's n must be a number (not `all`); integer outputs up to 64 bits.
  // Block inputs (DotInput) take packed SCALE:ELEMENT codes.
  DotPeCycleModel(const DotInput& a, const DotInput& b, const AccumulatorSpec& out,
                  const DotUnit& unit, int pipeline);
  void reset();
  // One rising edge; returns the result register after it.
  uint64_t cycle(const DotBeat& beat);
  uint64_t result() const { return result_; }
  int latency() const { return int(stages_.size()) + 1; }

private:
  uint64_t block(uint64_t c, const DotBeat& beat);

  DotEngine engine_;
  Accumulator scratch_; // integer outputs: the register the block adds into
  size_t n_;
  uint64_t mask_a_, mask_b_, mask_out_;
  std::vector<uint64_t> stages_; // a ring of the PIPELINE results in flight
  size_t oldest_ = 0;
  uint64_t result_ = 0;
  std::vector<uint64_t> pa_, pb_;
};

} // namespace qmac::dot
