#include "mpfr_ref.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qmac_test {
namespace {

bool has_inf(const RefFormat& f) {
  return f.kind == RKind::Float && f.style == RStyle::Ieee;
}
bool has_nan(const RefFormat& f) {
  if (f.kind != RKind::Float) return false;
  return f.style == RStyle::Ieee ? f.M > 0 : f.style != RStyle::Fin;
}

// Sets an MPFR number from an exact RefVal.
void set_ref(mpfr_ptr out, const RefVal& v) {
  if (v.cls == RefVal::NaN) {
    mpfr_set_nan(out);
  } else if (v.cls == RefVal::Inf) {
    mpfr_set_inf(out, v.neg ? -1 : 1);
  } else if (v.mag == 0) {
    mpfr_set_zero(out, v.neg ? -1 : 1);
  } else {
    // The exact 64-bit significand and exponent (mpfr_set_ld is slow).
    int e;
    long double m = std::frexp(v.mag, &e);
    uintmax_t sig = uintmax_t(std::ldexp(m, 64));
    if (mpfr_set_uj_2exp(out, sig, e - 64, MPFR_RNDN) != 0)
      throw std::logic_error("set_ref: inexact");
    if (v.neg) mpfr_neg(out, out, MPFR_RNDN);
  }
}

} // namespace

mpfr_rnd_t mpfr_mode(Mode m) {
  switch (m) {
  case Mode::RNE:
    return MPFR_RNDN;
  case Mode::RTZ:
    return MPFR_RNDZ;
  case Mode::RNA:
    return MPFR_RNDA;
  }
  return MPFR_RNDN;
}

void mpfr_round_double(mpfr_ptr out, double d, const RefFormat& f, mpfr_rnd_t rnd) {
  if (mpfr_get_prec(out) != f.M + 1) throw std::logic_error("mpfr_round_double: precision");
  const mpfr_exp_t old_emin = mpfr_get_emin();
  // MPFR significands lie in [0.5, 1): the smallest positive number is 2^(emin-1),
  // which is the format's smallest subnormal 2^(emin_f - M).
  mpfr_set_emin(f.emin() - f.M + 1);
  int t = mpfr_set_d(out, d, rnd);
  t = mpfr_check_range(out, t, rnd);
  mpfr_subnormalize(out, t, rnd);
  mpfr_set_emin(old_emin);
}

bool mpfr_round_string(mpfr_ptr out, const char* text, const RefFormat& f, mpfr_rnd_t rnd) {
  if (mpfr_get_prec(out) != f.M + 1) throw std::logic_error("mpfr_round_string: precision");
  const mpfr_exp_t old_emin = mpfr_get_emin();
  mpfr_set_emin(f.emin() - f.M + 1);
  char* end = nullptr;
  int t = mpfr_strtofr(out, text, &end, 0, rnd);
  t = mpfr_check_range(out, t, rnd);
  mpfr_subnormalize(out, t, rnd);
  mpfr_set_emin(old_emin);
  return end && *end == '\0';
}

namespace {

// Scratch numbers for recipe B (wide enough for any exact sum the tests form).
constexpr mpfr_prec_t kScratchPrec = 704;
struct Scratch {
  Mp t{kScratchPrec}, r{kScratchPrec}, a{kScratchPrec}, fl{kScratchPrec}, diff{kScratchPrec};
  Mp acc{64}, prod{64}, sum{kScratchPrec - 64}, rounded{64}, min_normal{2};
};
Scratch& scratch() {
  static thread_local Scratch s;
  return s;
}

} // namespace

void mpfr_round_grid(mpfr_ptr out, mpfr_srcptr x, const RefFormat& f, Mode mode) {
  if (!mpfr_regular_p(x)) { // zero, Inf, NaN pass through
    mpfr_set(out, x, MPFR_RNDN);
    return;
  }
  if (mpfr_get_prec(x) > kScratchPrec - 2) throw std::logic_error("mpfr_round_grid: too precise");
  Scratch& w = scratch();
  const long e = long(mpfr_get_exp(x)) - 1; // |x| in [2^e, 2^(e+1))
  const long q = std::max<long>(e, f.emin()) - f.M;
  mpfr_mul_2si(w.t, x, -q, MPFR_RNDN); // exact
  switch (mode) {
  case Mode::RTZ:
    mpfr_rint(w.r, w.t, MPFR_RNDZ);
    break;
  case Mode::RNA:
    mpfr_round(w.r, w.t); // halfway cases away from zero
    break;
  case Mode::RNE:
    if (f.M >= 1) {
      mpfr_rint(w.r, w.t, MPFR_RNDN); // halfway cases to the even integer = the even code
    } else {
      // One significand bit: the tie goes to the even code (see mpfr_ref.h).
      mpfr_abs(w.a, w.t, MPFR_RNDN);
      mpfr_floor(w.fl, w.a);
      mpfr_sub(w.diff, w.a, w.fl, MPFR_RNDN); // exact
      int c = mpfr_cmp_d(w.diff, 0.5);
      bool up = c > 0;
      if (c == 0) {
        long double low = std::ldexp((long double)mpfr_get_ui(w.fl, MPFR_RNDN), int(q));
        up = (ref_virtual_code(f, low) & 1) != 0;
      }
      if (up) mpfr_add_ui(w.fl, w.fl, 1, MPFR_RNDN);
      mpfr_setsign(w.r, w.fl, mpfr_signbit(w.t), MPFR_RNDN);
    }
    break;
  }
  mpfr_mul_2si(out, w.r, q, MPFR_RNDN);
}

uint64_t ref_overflow_code(const RefFormat& f, bool neg, Mode mode, bool saturate) {
  if (saturate || mode == Mode::RTZ || (!has_inf(f) && !has_nan(f)))
    return ref_encode_float(f, neg ? -ref_max_finite(f) : ref_max_finite(f));
  if (has_inf(f)) return ref_encode_inf(f, neg);
  return ref_canonical_nan(f);
}

uint64_t code_of_rounded(const RefFormat& f, const RefTable* table, mpfr_srcptr r, Mode mode,
                         bool saturate) {
  if (mpfr_nan_p(r)) return has_nan(f) ? ref_canonical_nan(f) : RefTable::kThrows;
  bool neg = mpfr_signbit(r);
  if (mpfr_inf_p(r)) { // an infinite operand, not an overflow
    if (!saturate && has_inf(f)) return ref_encode_inf(f, neg);
    if (!saturate && has_nan(f)) return ref_canonical_nan(f);
    return ref_overflow_code(f, neg, Mode::RTZ, true);
  }
  long double v = mpfr_get_ld(r, MPFR_RNDN);
  if (mpfr_cmp_ld(r, v) != 0) throw std::logic_error("code_of_rounded: not a long double");
  if (std::fabs(v) > ref_max_finite(f)) return ref_overflow_code(f, neg, mode, saturate);
  if (table) return table->code_of(v, neg);
  return ref_encode_float(f, v, neg);
}

// ---- MpfrQuantizer ------------------------------------------------------------

MpfrQuantizer::MpfrQuantizer(const RefFormat& f)
    : f_(f), table_(f), z_(f.M + 1), a_(f.M + 1), n_(f.M + 1), sum_(64), twice_(64) {
  if (f.kind != RKind::Float || f.style == RStyle::Fnu)
    throw std::logic_error("MpfrQuantizer: float formats with a zero only");
}

void MpfrQuantizer::resolve(mpfr_srcptr z, mpfr_srcptr a, mpfr_srcptr n, int cmp_to_mid,
                            uint64_t codes[3][2]) {
  mpfr_srcptr by_mode[3];
  by_mode[int(Mode::RTZ)] = z;
  if (mpfr_equal_p(z, a)) {
    by_mode[int(Mode::RNE)] = by_mode[int(Mode::RNA)] = z;
  } else {
    const int c = cmp_to_mid;
    by_mode[int(Mode::RNA)] = c >= 0 ? a : z;
    mpfr_srcptr even;
    if (c > 0)
      even = a;
    else if (c < 0)
      even = z;
    else
      even = (ref_virtual_code(f_, std::fabs(mpfr_get_ld(z, MPFR_RNDN))) & 1) == 0 ? z : a;
    if (f_.M >= 1) {
      // MPFR's own RNDN, and a check that the tie reasoning above agrees with it.
      if (!mpfr_equal_p(n, even) || mpfr_signbit(n) != mpfr_signbit(even))
        throw std::logic_error("MpfrQuantizer: RNDN disagrees with the nearest-even choice");
      by_mode[int(Mode::RNE)] = n;
    } else {
      by_mode[int(Mode::RNE)] = even;
    }
  }
  for (int m = 0; m < 3; ++m)
    for (int s = 0; s < 2; ++s)
      codes[m][s] = code_of_rounded(f_, &table_, by_mode[m], Mode(m), s == 1);
}

void MpfrQuantizer::quantize(double d, uint64_t codes[3][2]) {
  if (std::isnan(d) || std::isinf(d)) {
    Mp x(64);
    mpfr_set_d(x, d, MPFR_RNDN);
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s)
        codes[m][s] = code_of_rounded(f_, &table_, x, Mode(m), s == 1);
    return;
  }
  mpfr_round_double(z_, d, f_, MPFR_RNDZ);
  mpfr_round_double(a_, d, f_, MPFR_RNDA);
  if (f_.M >= 1) mpfr_round_double(n_, d, f_, MPFR_RNDN);
  int c = 0;
  if (!mpfr_equal_p(z_, a_)) {
    // Which of z (toward zero) and a (away) is nearer: compare |2d| with |z + a|, exactly.
    mpfr_add(sum_, z_, a_, MPFR_RNDN);
    mpfr_set_d(twice_, d, MPFR_RNDN);
    mpfr_mul_2ui(twice_, twice_, 1, MPFR_RNDN);
    c = mpfr_cmpabs(twice_, sum_);
  }
  resolve(z_, a_, n_, c, codes);
}

bool MpfrQuantizer::quantize_string(const char* text, uint64_t codes[3][2]) {
  bool ok = mpfr_round_string(z_, text, f_, MPFR_RNDZ);
  ok &= mpfr_round_string(a_, text, f_, MPFR_RNDA);
  if (f_.M >= 1) ok &= mpfr_round_string(n_, text, f_, MPFR_RNDN);
  if (!ok) return false;
  int c = 0;
  if (!mpfr_equal_p(z_, a_)) {
    // The written number against the midpoint m = (z + a) / 2: read it at a high
    // precision; the ternary value settles the case where it reads as m itself.
    Mp mid(64), y(128); // mid has at most 26 bits: y == mid is decided by the ternary
    mpfr_add(mid, z_, a_, MPFR_RNDN);
    mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
    int t = mpfr_strtofr(y, text, nullptr, 0, MPFR_RNDN);
    int cy = mpfr_cmpabs(y, mid);
    if (cy == 0 && t != 0) cy = (t > 0) == !mpfr_signbit(y) ? -1 : 1; // y above exact: exact below
    c = cy;
  }
  resolve(z_, a_, n_, c, codes);
  return true;
}

// ---- accumulation -------------------------------------------------------------

uint64_t mpfr_accumulate(const RefFormat& f, uint64_t acc_code, const RefVal& product, Mode mode,
                         bool saturate, bool flush) {
  RefVal acc = ref_decode(f, acc_code);
  if (acc.cls == RefVal::NaN || product.cls == RefVal::NaN) return ref_canonical_nan(f);
  Scratch& w = scratch();
  set_ref(w.acc, acc);
  set_ref(w.prod, product);
  // The exact sum (IEEE zero signs: x + -x = +0, -0 + -0 = -0 in RNDN).
  int t = mpfr_add(w.sum, w.acc, w.prod, MPFR_RNDN);
  if (t != 0) throw std::logic_error("mpfr_accumulate: sum not exact");
  mpfr_round_grid(w.rounded, w.sum, f, mode);
  if (flush && mpfr_regular_p(w.rounded)) {
    mpfr_set_ui_2exp(w.min_normal, 1, f.emin(), MPFR_RNDN);
    if (mpfr_cmpabs(w.rounded, w.min_normal) < 0)
      mpfr_set_zero(w.rounded, mpfr_signbit(w.rounded) ? -1 : 1);
  }
  return code_of_rounded(f, nullptr, w.rounded, mode, saturate);
}

} // namespace qmac_test
