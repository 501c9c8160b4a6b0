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

// Exponent of the quantum (grid spacing) in the binade [2^t, 2^(t+1)).
// Floats use an unbounded exponent above emax, as the rounding rule demands.
int quantum_exponent(const Format& f, int t) {
  switch (f.kind) {
  case Kind::Integer:
    return f.lsb_exp;
  case Kind::Float:
    return std::max(t, f.emin()) - f.man_bits;
  case Kind::Flint: {
    int n = f.magnitude_bits();
    if (t <= n - 2) return 0;
    if (t <= 2 * n - 3) return 2 * (t - n + 1) + 1;
    return t; // the last code, 2^(2n-2), alone in its binade
  }
  }
  return 0;
}

// The magnitude code of kept * 2^quantum_exponent(t), the grid point in binade t.
uint64_t code_of(const Format& f, int t, uint64_t kept) {
  switch (f.kind) {
  case Kind::Integer:
    return kept;
  case Kind::Float: {
    int m = f.man_bits;
    if (f.specials == Specials::Fnu) return (uint64_t(t - f.emin()) << m) + kept - (1ull << m);
    if (t < f.emin()) return kept; // subnormal: exponent field 0
    return (uint64_t(t - f.emin()) << m) + kept;
  }
  case Kind::Flint: {
    int n = f.magnitude_bits();
    if (t <= n - 2) return kept;
    if (t == 2 * n - 2) return (1ull << n) - 1;
    int k = t - n + 1; // leading ones after the first bit
    int r = n - 2 - k; // mantissa bits left
    return (((1ull << (k + 1)) - 1) << (r + 1)) | (kept - (1ull << r));
  }
  }
  return 0;
}

// The highest binade that can hold a finite value or round into one.
int top_binade(const Format& f) {
  switch (f.kind) {
  case Kind::Integer:
    return f.bits + f.lsb_exp;
  case Kind::Float:
    return f.emax() + 1;
  case Kind::Flint:
    return 2 * f.magnitude_bits() - 2;
  }
  return 0;
}

Floored floor_to_grid(const Unrounded& x, const Format& f) {
  Floored r;
  if (x.significand == 0) return r;
  int t = x.exponent + bit_length(x.significand) - 1;
  if (t > top_binade(f)) {
    r.overflow = true;
    return r;
  }
  int shift = quantum_exponent(f, t) - x.exponent;
  if (shift <= 0) {
    // Exact on the grid; a sticky tail here would straddle the rounding point,
    // which the Unrounded contract rules out (see rounding.h).
    r.code = code_of(f, t, x.significand << -shift);
    r.tail = x.sticky;
    return r;
  }
  uint64_t kept = shift >= 64 ? 0 : x.significand >> shift;
  uint64_t cut = shift >= 64 ? x.significand : x.significand & ((1ull << shift) - 1);
  if (shift <= 64) {
    r.fraction = shift == 64 ? cut : cut << (64 - shift);
    r.tail = x.sticky;
  } else {
    r.fraction = shift - 64 >= 64 ? 0 : cut >> (shift - 64);
    r.tail = x.sticky || (shift - 64 >= 64 ? cut != 0 : (cut & ((1ull << (shift - 64)) - 1)) != 0);
  }
  r.code = code_of(f, t, kept);
  return r;
}

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

uint64_t signed_code(const Format& f, bool negative, uint64_t magnitude) {
  if (f.kind == Kind::Integer) {
    uint64_t v = negative ? uint64_t(0) - magnitude : magnitude;
    return v & f.code_mask();
  }
  if (negative && (magnitude != 0 || f.has_negative_zero())) return magnitude | f.sign_bit();
  return magnitude;
}

// Largest representable magnitude code on the side of `negative`.
uint64_t max_magnitude(const Format& f, bool negative) {
  if (f.kind == Kind::Integer && negative) return uint64_t(-f.min_integer());
  return f.max_finite_code();
}

} // namespace

uint64_t round_to_code(const Unrounded& x, const Format& f, const RoundingOptions& o) {
  const bool fnu = f.kind == Kind::Float && f.specials == Specials::Fnu;
  if (!f.is_signed && x.negative && (x.significand != 0 || x.sticky)) return fnu ? f.nan_code() : 0;
  if (fnu && x.significand == 0) return f.nan_code(); // e8m0fnu has no zero
  // Below 2^-127 the nearest value of a format without zero is its smallest.
  if (fnu && x.exponent + bit_length(x.significand) - 1 < f.emin()) return 0;

  Floored fl = floor_to_grid(x, f);
  uint64_t code = fl.code;
  if (!fl.overflow && rounds_up(fl, o)) ++code;

  if (fl.overflow || code > max_magnitude(f, x.negative)) {
    bool clamp = o.saturate || o.mode == Rounding::TowardZero || (!f.has_inf() && !f.has_nan());
    if (clamp) return signed_code(f, x.negative, max_magnitude(f, x.negative));
    return f.has_inf() ? f.inf_code(x.negative) : f.nan_code();
  }
  if (o.flush_subnormals && f.kind == Kind::Float && !fnu && code < (1ull << f.man_bits)) code = 0;
  return signed_code(f, x.negative, code);
}

} // namespace qmac
