#include "dot_vectors.h"

#include <cmath>

#include "qmac/numerics/codec.h"

namespace qmac::rtl {
namespace {

uint64_t code_of(const Format& f, double x) {
  RoundingOptions o;
  o.saturate = true;
  return quantize(f, x, o);
}

bool is_finite_code(const Format& f, uint64_t c) {
  return decode(f, c).is_finite();
}

} // namespace

DotBeats::DotBeats(const DotRtlUnit& u, uint64_t seed) : unit_(u), rng_(seed) {
  const Format &fa = u.a, &fb = u.b;
  const size_t n = size_t(u.unit.n);
  const bool float_out = u.out.kind == AccKind::Float;
  const Format of = float_out ? u.out.format : integer_format(u.out.int_bits, true);
  // A block: pairs given as values (quantized, saturating), the rest zero.
  auto block = [&](std::vector<std::pair<uint64_t, uint64_t>> pairs, uint64_t c, bool start) {
    dot::DotBeat b;
    b.valid = true;
    b.start = start;
    b.c = c;
    for (size_t i = 0; i < n; ++i) {
      b.a.push_back(i < pairs.size() ? pairs[i].first : 0);
      b.b.push_back(i < pairs.size() ? pairs[i].second : 0);
    }
    directed_.push_back(b);
  };
  auto va = [&](double x) { return code_of(fa, x); };
  auto vb = [&](double x) { return code_of(fb, x); };
  const uint64_t amax = fa.max_finite_code(), bmax = fb.max_finite_code();
  const uint64_t zero_c = float_out ? encode(of, Value::zero(false)) : 0;

  block({}, zero_c, true);                                                          // all zero
  block({{amax, bmax}}, zero_c, true);                                              // one product
  block(std::vector<std::pair<uint64_t, uint64_t>>(n, {amax, bmax}), zero_c, true); // largest
  if (fa.is_signed) {
    const uint64_t neg = fa.kind == Kind::Integer ? fa.sign_bit() : fa.sign_bit() | amax;
    block(std::vector<std::pair<uint64_t, uint64_t>>(n, {neg, bmax}), zero_c, true);
    // Exact cancellation: x * y - x * y, with and without a tiny term.
    block({{amax, bmax}, {neg, bmax}}, zero_c, true);
    block({{amax, bmax}, {neg, bmax}, {1, 1}}, zero_c, true);
  }
  // Chains of the largest products: intN wraps, floats grow toward overflow.
  for (int i = 0; i < 64; ++i)
    block(std::vector<std::pair<uint64_t, uint64_t>>(n, {amax, bmax}), zero_c, i == 0);
  // Subnormal and smallest codes.
  block(std::vector<std::pair<uint64_t, uint64_t>>(n, {1, 1}), zero_c, true);
  if (float_out) {
    // The truncation boundary (the worked example, where the formats reach
    // it): one large product, one that keeps a grid bit, many that vanish.
    std::vector<std::pair<uint64_t, uint64_t>> ex = {{amax, bmax}, {va(15), vb(1)}};
    for (size_t i = 2; i < n; ++i)
      ex.emplace_back(va(1), vb(1));
    block(ex, zero_c, true);
    ex[1] = {va(8), vb(1)};
    block(ex, zero_c, true);
    ex[1] = {va(-15), vb(1)};
    block(ex, zero_c, true);
    // Signed zeros: -0 products with c = -0 and +0.
    if (fa.is_signed) {
      const uint64_t nz = fa.sign_bit();
      const uint64_t neg_zero = encode(of, Value::zero(true));
      block(std::vector<std::pair<uint64_t, uint64_t>>(n, {nz, 0}), neg_zero, true);
      block(std::vector<std::pair<uint64_t, uint64_t>>(n, {nz, 0}), zero_c, true);
      block({{va(1), vb(1)}, {va(-1), vb(1)}}, neg_zero, true);
      // Negative products onto -0: under a zero scale every one is -0, and
      // so is the sum (a zero scale's flag dropped for one term made it +0).
      block(std::vector<std::pair<uint64_t, uint64_t>>(n, {fa.sign_bit() | amax, bmax}), neg_zero,
            true);
    }
    // The addend: the largest, the smallest subnormal, and one that cancels.
    block({{amax, bmax}}, of.max_finite_code(), true);
    block({{amax, bmax}}, of.max_finite_code() | of.sign_bit(), true);
    block({{1, 1}}, 1, true);
    block({{va(1), vb(1)}}, encode(of, Value::finite(true, 1, 0)), true);
    // Specials: NaN, Inf, Inf - Inf, Inf x 0, an Inf or NaN addend.
    if (fa.has_nan()) block({{fa.nan_code(), vb(1)}}, zero_c, true);
    if (fa.has_inf()) {
      block({{fa.inf_code(false), vb(1)}, {va(1), vb(1)}}, zero_c, true);
      block({{fa.inf_code(false), vb(1)}, {fa.inf_code(true), vb(1)}}, zero_c, true);
      block({{fa.inf_code(false), 0}}, zero_c, true);
      block({{fa.inf_code(true), vb(1)}}, of.max_finite_code(), true);
    }
    if (of.has_inf()) {
      block({{va(1), vb(1)}}, of.inf_code(false), true);
      block({{amax, bmax}}, of.inf_code(true), true);
    }
    if (of.has_nan()) block({{va(1), vb(1)}}, of.nan_code(), true);
  }
  if (u.scaled()) {
    // Under unit scales, then the element blocks again under each pair of
    // scales worth a check: the extremes (whose products overflow or
    // underflow fp32), NaN and, for E4M3, zero and signed scales.
    const size_t element_blocks = directed_.size();
    for (dot::DotBeat& b : directed_)
      pack(b, u.block_a ? unit_scale_code(*u.block_a) : 0,
           u.block_b ? unit_scale_code(*u.block_b) : 0);
    auto scales = [](const std::optional<BlockFormat>& f) {
      if (!f) return std::vector<uint64_t>{0};
      if (f->power_of_two_scale) return std::vector<uint64_t>{0x00, 0xfe, 0xff, 0x7f, 0x70, 0x8e};
      return std::vector<uint64_t>{0x00, 0x01, 0x7e, 0x7f, 0x80 | 0x38, 0x38, 0x08};
    };
    for (uint64_t sa : scales(u.block_a))
      for (uint64_t sb : scales(u.block_b))
        for (size_t i = 0; i < element_blocks; ++i) {
          dot::DotBeat b = directed_[i];
          pack(b, sa, sb);
          directed_.push_back(b);
        }
  }
  // Bubbles carry c; a bubble that starts loads it.
  dot::DotBeat bubble;
  bubble.a.assign(n, 0);
  bubble.b.assign(n, 0);
  directed_.push_back(bubble);
  bubble.start = true;
  bubble.c = float_out ? encode(of, Value::finite(false, 3, 0)) : 3;
  directed_.push_back(bubble);
}

void DotBeats::next(dot::DotBeat& beat) {
  if (next_directed_ < directed_.size()) {
    beat = directed_[next_directed_++];
    return;
  }
  random(beat);
  if (unit_.scaled())
    pack(beat, unit_.block_a ? random_scale(*unit_.block_a) : 0,
         unit_.block_b ? random_scale(*unit_.block_b) : 0);
}

uint64_t DotBeats::random_scale(const BlockFormat& f) {
  if (rng_() % 64 == 0) return rng_() & 0xff; // any code: NaN, signed, extremes
  if (f.power_of_two_scale) {
    if (rng_() % 8 == 0) return rng_() % 255; // anywhere in 2^-127..2^127
    return uint64_t(127 + int(rng_() % 41) - 20);
  }
  return 1 + rng_() % 0x7e; // a positive finite E4M3
}

void DotBeats::pack(dot::DotBeat& beat, uint64_t scale_a, uint64_t scale_b) const {
  const dot::DotInput a = unit_.input_a(), b = unit_.input_b();
  for (uint64_t& c : beat.a)
    c = a.block ? a.pack(scale_a, c) : c;
  for (uint64_t& c : beat.b)
    c = b.block ? b.pack(scale_b, c) : c;
}

uint64_t DotBeats::addend() {
  if (unit_.out.kind != AccKind::Float) return rng_() & ((uint64_t(1) << unit_.out.int_bits) - 1);
  const Format& of = unit_.out.format;
  switch (rng_() % 4) {
  case 0:
    return 0;
  case 1: { // near the products' range
    std::normal_distribution<double> g;
    return code_of(of, g(rng_) * std::ldexp(1.0, int(rng_() % 24) - 8));
  }
  default: { // any finite code, rarely a special one
    uint64_t c = rng_() & of.code_mask();
    if (!is_finite_code(of, c) && rng_() % 8) c &= ~of.sign_bit() >> 1;
    return c;
  }
  }
}

uint64_t DotBeats::operand(const Format& f, Dist d, double scale) {
  const uint64_t any = rng_() & f.code_mask();
  switch (d) {
  case Dist::AnyCode:
    return any;
  case Dist::FiniteCodes:
    return is_finite_code(f, any) ? any : f.max_finite_code();
  case Dist::Gaussian: {
    std::normal_distribution<double> g;
    return code_of(f, g(rng_) * scale);
  }
  case Dist::HeavyTailed: {
    std::student_t_distribution<double> t(2.0);
    return code_of(f, t(rng_) * scale);
  }
  case Dist::Extremes: {
    const uint64_t pick[] = {0, 1, 2, f.max_finite_code(), f.max_finite_code() - 1};
    uint64_t c = pick[rng_() % 5];
    if (f.is_signed && (rng_() & 1)) c |= f.sign_bit();
    return c;
  }
  default:
    return any;
  }
}

void DotBeats::random(dot::DotBeat& beat) {
  const size_t n = size_t(unit_.unit.n);
  beat.valid = rng_() % 16 != 0;
  beat.start = rng_() % 8 == 0;
  beat.c = addend();
  beat.a.resize(n);
  beat.b.resize(n);
  const Dist d = Dist(rng_() % int(Dist::kCount));
  const double scale_a =
      largest_magnitude(unit_.a).to_double() * std::ldexp(1.0, -int(rng_() % 12));
  const double scale_b =
      largest_magnitude(unit_.b).to_double() * std::ldexp(1.0, -int(rng_() % 12));
  // AnyCode blocks are NaN most of the time with 32 pairs: keep them rare.
  const Dist da = d == Dist::AnyCode && rng_() % 4 ? Dist::FiniteCodes : d;
  for (size_t i = 0; i < n; ++i) {
    if (d == Dist::Cancelling && i % 2 == 1) {
      // The negated previous product, sometimes nudged by one code.
      beat.a[i] = unit_.a.is_signed ? beat.a[i - 1] ^ unit_.a.sign_bit() : beat.a[i - 1];
      if (unit_.a.kind == Kind::Integer && unit_.a.is_signed)
        beat.a[i] = (~beat.a[i - 1] + 1) & unit_.a.code_mask();
      beat.b[i] = rng_() % 4 ? beat.b[i - 1] : (beat.b[i - 1] + 1) & unit_.b.code_mask();
      continue;
    }
    const Dist di = d == Dist::Cancelling ? Dist::Gaussian : da;
    beat.a[i] = operand(unit_.a, di, scale_a / 4);
    beat.b[i] = operand(unit_.b, di, scale_b / 4);
  }
}

} // namespace qmac::rtl
