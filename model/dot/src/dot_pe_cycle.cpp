#include "qmac/dot/dot_pe_cycle.h"

#include <stdexcept>

namespace qmac::dot {
namespace {

uint64_t mask_of(int bits) {
  return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

} // namespace

DotPeCycleModel::DotPeCycleModel(const DotInput& a, const DotInput& b, const AccumulatorSpec& out,
                                 const DotUnit& unit, int pipeline)
    : engine_(a, b, out, unit), scratch_(out), n_(size_t(unit.n)), mask_a_(mask_of(a.code_bits())),
      mask_b_(mask_of(b.code_bits())), stages_(size_t(pipeline), 0), pa_(n_), pb_(n_) {
  if (unit.whole()) throw InputError("a dot PE takes a fixed n products per cycle, not n=all");
  if (pipeline < 0) throw InputError("a dot PE's pipeline depth must be at least 0");
  if (out.kind == AccKind::Fixed)
    throw InputError("a dot PE's result register is a float code or intN, not " + out.name);
  if (out.kind == AccKind::Integer && out.int_bits > 64)
    throw InputError("a dot PE's intN register is at most 64 bits, not " + out.name);
  mask_out_ = mask_of(out.kind == AccKind::Float ? out.format.bits : out.int_bits);
}

void DotPeCycleModel::reset() {
  std::fill(stages_.begin(), stages_.end(), 0);
  oldest_ = 0;
  result_ = 0;
}

uint64_t DotPeCycleModel::block(uint64_t c, const DotBeat& beat) {
  // The ports are n codes wide each: missing pairs are zero codes, and
  // every code is cut to its format's width, as the RTL's ports cut them.
  for (size_t i = 0; i < n_; ++i) {
    pa_[i] = i < beat.a.size() ? beat.a[i] & mask_a_ : 0;
    pb_[i] = i < beat.b.size() ? beat.b[i] & mask_b_ : 0;
  }
  if (!engine_.integer()) return engine_.block(c, pa_.data(), pb_.data(), n_);
  scratch_.load(c);
  engine_.block(scratch_, pa_.data(), pb_.data(), n_);
  return scratch_.code() & mask_out_;
}

uint64_t DotPeCycleModel::cycle(const DotBeat& beat) {
  const uint64_t c = (beat.start ? beat.c : result_) & mask_out_;
  const uint64_t r = beat.valid ? block(c, beat) : c;
  if (stages_.empty()) {
    result_ = r;
  } else {
    result_ = stages_[oldest_];
    stages_[oldest_] = r;
    oldest_ = (oldest_ + 1) % stages_.size();
  }
  return result_;
}

} // namespace qmac::dot
