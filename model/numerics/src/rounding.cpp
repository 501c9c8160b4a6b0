#include "qmac/numerics/rounding.h"

#include <algorithm>

#include "bits.h"

namespace qmac {

Rounding parse_rounding(std::string_view name) {
  if (name == "rne") return Rounding::NearestEven;
  if (name == "rtz") return Rounding::TowardZero;
  if (name == "rna") return Rounding::NearestAway;
  if (name == "stochastic") return Rounding::Stochastic;
  throw InputError("unknown rounding mode '" + std::string(name) +
                   "' (expected rne, rtz, rna or stochastic)");
}

const char* rounding_name(Rounding r) {
  switch (r) {
  case Rounding::NearestEven:
    return "rne";
  case Rounding::TowardZero:
    return "rtz";
  case Rounding::NearestAway:
    return "rna";
  case Rounding::Stochastic:
    return "stochastic";
  }
  return "?";
}

namespace {

// Where the exact magnitude falls on the format's grid: the code of the grid
// point at or below it, and what was cut off, as a fraction of one quantum.
struct Floored {
  uint64_t code = 0;     // magnitude code of the grid point at or below |x|
  uint64_t fraction = 0; // the cut-off part, scaled so that 2^64 is one quantum
  bool tail = false;     // more nonzero bits below `fraction`
  bool overflow = false; // |x| is beyond the format's top binade (flint, integers)
};

bool rounds_up(const Floored& fl, const RoundingOptions& o) {
  const uint64_t half = 1ull << 63;
  switch (o.mode) {
  case Rounding::TowardZero:
    return false;
  case Rounding::NearestAway:
    return fl.fraction >= half;
  case Rounding::NearestEven:
    if (fl.fraction != half) return fl.fraction > half;
    return fl.tail || (fl.code & 1);
  case Rounding::Stochastic: {
    if (fl.fraction == 0 && !fl.tail) return false;
    uint64_t u = o.random64(o.random_state);
    // Up with probability fraction / 2^64 (plus the tail's share at the 2^-64 step).
    return u < fl.fraction || (u == fl.fraction && fl.tail);
  }
  }
  return false;
}

} // namespace

Rounder::Rounder(const Format& f, const RoundingOptions& o)
    : opts_(o), kind_(f.kind), fnu_(f.kind == Kind::Float && f.specials == Specials::Fnu),
      is_signed_(f.is_signed), negative_zero_(f.has_negative_zero()), man_bits_(f.man_bits),
      emin_(f.emin()), lsb_exp_(f.lsb_exp), magnitude_bits_(f.magnitude_bits()),
      code_mask_(f.code_mask()), sign_bit_(f.sign_bit()), nan_code_(f.has_nan() ? f.nan_code() : 0),
      flush_(o.flush_subnormals && f.kind == Kind::Float && !fnu_) {
  switch (f.kind) {
  case Kind::Integer:
    top_binade_ = f.bits + f.lsb_exp;
    break;
  case Kind::Float:
    top_binade_ = f.emax() + 1;
    break;
  case Kind::Flint:
    top_binade_ = 2 * f.magnitude_bits() - 2;
    break;
  }
  max_magnitude_[0] = f.max_finite_code();
  max_magnitude_[1] = f.kind == Kind::Integer ? uint64_t(-f.min_integer()) : f.max_finite_code();
  // Overflow: with --saturate, toward zero, or without Inf and NaN: the largest
  // finite value; otherwise Inf where the format has it, else NaN.
  bool clamp = o.saturate || o.mode == Rounding::TowardZero || (!f.has_inf() && !f.has_nan());
  for (int neg = 0; neg < 2; ++neg)
    overflow_code_[neg] = clamp ? signed_code(neg, max_magnitude_[neg])
                                : (f.has_inf() ? f.inf_code(neg) : f.nan_code());
}

uint64_t Rounder::signed_code(bool negative, uint64_t magnitude) const {
  if (kind_ == Kind::Integer) return (negative ? uint64_t(0) - magnitude : magnitude) & code_mask_;
  if (negative && (magnitude != 0 || negative_zero_)) return magnitude | sign_bit_;
  return magnitude;
}

// Exponent of the quantum (grid spacing) in the binade [2^t, 2^(t+1)).
// Floats use an unbounded exponent above emax, as the rounding rule demands.
template <Kind K> int Rounder::quantum_exponent(int t) const {
  if constexpr (K == Kind::Integer) {
    return lsb_exp_;
  } else if constexpr (K == Kind::Float) {
    return std::max(t, emin_) - man_bits_;
  } else {
    const int n = magnitude_bits_;
    if (t <= n - 2) return 0;
    if (t <= 2 * n - 3) return 2 * (t - n + 1) + 1;
    return t; // the last code, 2^(2n-2), alone in its binade
  }
}

// The magnitude code of kept * 2^quantum_exponent(t), the grid point in binade t.
template <Kind K> uint64_t Rounder::code_of(int t, uint64_t kept) const {
  if constexpr (K == Kind::Integer) {
    return kept;
  } else if constexpr (K == Kind::Float) {
    if (fnu_) return (uint64_t(t - emin_) << man_bits_) + kept - (1ull << man_bits_);
    if (t < emin_) return kept; // subnormal: exponent field 0
    return (uint64_t(t - emin_) << man_bits_) + kept;
  } else {
    const int n = magnitude_bits_;
    if (t <= n - 2) return kept;
    if (t == 2 * n - 2) return (1ull << n) - 1;
    int k = t - n + 1; // leading ones after the first bit
    int r = n - 2 - k; // mantissa bits left
    return (((1ull << (k + 1)) - 1) << (r + 1)) | (kept - (1ull << r));
  }
}

template <Kind K> uint64_t Rounder::round(const Unrounded& x) const {
  if (x.significand == 0) {
    if (fnu_) return nan_code_; // e8m0fnu has no zero
    return is_signed_ ? signed_code(x.negative, 0) : 0;
  }
  if (!is_signed_ && x.negative) return fnu_ ? nan_code_ : 0;
  const int t = x.exponent + bit_length(x.significand) - 1;
  if (t > top_binade_) return overflow_code_[x.negative];
  // Below 2^-127 the nearest value of a format without zero is its smallest.
  if (fnu_ && t < emin_) return 0;

  // Floor onto the grid, keeping the cut-off part as a 64-bit fraction of a quantum.
  Floored fl;
  const int shift = quantum_exponent<K>(t) - x.exponent;
  if (shift <= 0) {
    // Exact on the grid; a sticky tail here would straddle the rounding point,
    // which the Unrounded contract rules out (see rounding.h).
    fl.code = code_of<K>(t, x.significand << -shift);
    fl.tail = x.sticky;
  } else if (shift < 64) {
    fl.code = code_of<K>(t, x.significand >> shift);
    fl.fraction = x.significand << (64 - shift);
    fl.tail = x.sticky;
  } else {
    fl.code = code_of<K>(t, 0);
    fl.fraction = shift == 64 ? x.significand : (shift < 128 ? x.significand >> (shift - 64) : 0);
    fl.tail = x.sticky || (shift > 64 && (shift >= 128 || (x.significand << (128 - shift)) != 0));
  }
  uint64_t code = fl.code + (rounds_up(fl, opts_) ? 1 : 0);
  if (code > max_magnitude_[x.negative]) return overflow_code_[x.negative];
  if (flush_ && code < (1ull << man_bits_)) code = 0;
  return signed_code(x.negative, code);
}

uint64_t Rounder::operator()(const Unrounded& x) const {
  switch (kind_) {
  case Kind::Float:
    return round<Kind::Float>(x);
  case Kind::Integer:
    return round<Kind::Integer>(x);
  case Kind::Flint:
    return round<Kind::Flint>(x);
  }
  return 0;
}

uint64_t round_to_code(const Unrounded& x, const Format& f, const RoundingOptions& o) {
  return Rounder(f, o)(x);
}

} // namespace qmac
