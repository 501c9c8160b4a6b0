#include "dot_reference.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "mpfr_ref.h"
#include "ref_big.h"

namespace qmac_test {
namespace {

// An exact value as a big integer times a power of two.
struct Exact {
  bool neg = false;
  cpp_int mag; // |x| = mag * 2^exp
  int exp = 0;
};

Exact exact_of(long double mag, bool neg) {
  Exact e;
  e.neg = neg;
  if (mag == 0) return e;
  int x;
  const long double m = std::frexp(mag, &x);
  e.mag = cpp_int(uint64_t(std::ldexp(m, 64)));
  e.exp = x - 64;
  return e;
}

// floor(log2 |x|) of a nonzero long double.
int floor_log2(long double mag) {
  int x;
  std::frexp(mag, &x);
  return x - 1;
}

// The exponent the definition aligns an input by: floor(log2|x|), or for a
// float subnormal the format's minimum normal exponent.
int align_exponent(const RefFormat& f, long double mag) {
  const int e = floor_log2(mag);
  return f.kind == RKind::Float ? std::max(e, f.emin()) : e;
}

bool subnormal(const RefFormat& f, long double mag) {
  return f.kind == RKind::Float && mag != 0 && mag < std::ldexp(1.0L, f.emin());
}

// A code's value and the exponent the definition aligns it by.
struct RefOperand {
  RefVal v;
  int align = 0;
};

RefOperand ref_operand(const RefUnit& u, const RefInput& in, uint64_t code) {
  const uint64_t mask = (uint64_t(1) << in.element.bits) - 1;
  RefOperand o;
  o.v = ref_decode(in.element, code & mask);
  if (u.ftz_in && subnormal(in.element, o.v.mag)) o.v.mag = 0;
  if (o.v.cls == RefVal::Finite && o.v.mag != 0) o.align = align_exponent(in.element, o.v.mag);
  if (!in.scale || o.v.cls == RefVal::NaN) return o;
  const RefVal s = ref_decode(*in.scale, code >> in.element.bits);
  if (s.cls == RefVal::NaN || s.neg) { // a NaN or signed scale: NaN
    o.v.cls = RefVal::NaN;
  } else if (s.mag == 0) { // Inf * 0 is NaN; the rest are zeros of their sign
    if (o.v.cls == RefVal::Inf)
      o.v.cls = RefVal::NaN;
    else
      o.v.mag = 0;
  } else if (o.v.cls == RefVal::Finite && o.v.mag != 0) {
    o.v.mag *= s.mag; // exact: a few significant bits each
    o.align += align_exponent(*in.scale, s.mag);
  }
  return o;
}

struct Term {
  Exact v;
  int align; // exponent it aligns by
  int group;
};

// x * 2^-k rounded toward zero (k >= 0 shifts right), as a magnitude.
cpp_int shift_down(const cpp_int& mag, int k, bool& lost) {
  if (k <= 0) {
    lost = false;
    return mag << -k;
  }
  const cpp_int kept = mag >> k;
  lost = (kept << k) != mag;
  return kept;
}

// The sum of signed terms as (negative, magnitude, exponent), exactly.
struct Sum {
  cpp_int value = 0; // signed, times 2^exp
  int exp = 0;
};

void add_to(Sum& s, bool neg, const cpp_int& mag, int exp) {
  if (mag == 0) return;
  if (s.value == 0) {
    s.value = neg ? -mag : mag;
    s.exp = exp;
    return;
  }
  if (exp < s.exp) {
    s.value <<= (s.exp - exp);
    s.exp = exp;
  }
  const cpp_int m = mag << (exp - s.exp);
  s.value += neg ? -m : m;
}

// Terms truncated onto the grid of the window below emax (bits wide).
void window(const RefUnit& u, const std::vector<const Term*>& terms, Sum& s) {
  if (terms.empty()) return;
  int emax = INT_MIN;
  for (const Term* t : terms)
    emax = std::max(emax, t->align);
  if (u.min_exp) emax = std::max(emax, *u.min_exp);
  const int grid = emax - u.bits + 1;
  for (const Term* t : terms) {
    bool lost = false;
    cpp_int kept = shift_down(t->v.mag, grid - t->v.exp, lost);
    if (u.sticky)
      add_to(s, t->v.neg, kept * 2 + (lost ? 1 : 0), grid - 1);
    else
      add_to(s, t->v.neg, kept, grid);
  }
}

// MPFR: the sum rounded into f by mode (its overflow rule; flush: subnormal
// results become zeros of their sign). negative_zero gives the zero's sign.
uint64_t round_into(const RefFormat& f, const Sum& s, bool negative_zero, Mode mode, bool flush) {
  if (s.value == 0) return ref_encode_float(f, 0, negative_zero);
  const bool neg = s.value < 0;
  const cpp_int mag = neg ? cpp_int(-s.value) : s.value;
  const mpfr_prec_t prec = std::max<mpfr_prec_t>(64, mpfr_prec_t(msb(mag)) + 2);
  Mp x(prec), r(64);
  const std::string hex = mag.str(0, std::ios_base::hex);
  if (mpfr_set_str(x, hex.c_str(), 16, MPFR_RNDN) != 0) throw std::logic_error("round_into: hex");
  mpfr_mul_2si(x, x, s.exp, MPFR_RNDN); // exact
  if (neg) mpfr_neg(x, x, MPFR_RNDN);
  mpfr_round_grid(r, x, f, mode);
  if (flush && mpfr_regular_p(r)) {
    Mp min_normal(2);
    mpfr_set_ui_2exp(min_normal, 1, f.emin(), MPFR_RNDN);
    if (mpfr_cmpabs(r, min_normal) < 0) mpfr_set_zero(r, neg ? -1 : 1);
  }
  return code_of_rounded(f, nullptr, r, mode, false);
}

// The output with `bits` significant bits (same exponent field and specials).
RefFormat narrowed(const RefFormat& out, int bits) {
  RefFormat n = out;
  n.name = out.name + "/narrow";
  n.M = bits - 1;
  n.bits = 1 + n.E + n.M;
  return n;
}

uint64_t round_result(const RefUnit& u, const RefFormat& out, const Sum& s, bool negative_zero) {
  if (u.narrow && u.bits > 0 && u.bits < out.M + 1) {
    const RefFormat n = narrowed(out, u.bits);
    const RefVal v = ref_decode(n, round_into(n, s, negative_zero, u.round, u.ftz_out));
    if (v.cls == RefVal::NaN) return ref_canonical_nan(out);
    if (v.cls == RefVal::Inf) return ref_encode_inf(out, v.neg);
    return ref_encode_float(out, v.value(), v.neg);
  }
  return round_into(out, s, negative_zero, u.round, u.ftz_out);
}

} // namespace

uint64_t ref_block(const RefUnit& u, const RefInput& fa, const RefInput& fb, const RefFormat& out,
                   const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t c) {
  if (a.empty()) return c;
  std::vector<Term> terms;
  bool nan = false, inf_pos = false, inf_neg = false, all_negative_zero = true;
  for (size_t i = 0; i < a.size(); ++i) {
    const RefOperand xo = ref_operand(u, fa, a[i]), yo = ref_operand(u, fb, b[i]);
    const RefVal &x = xo.v, &y = yo.v;
    const bool neg = x.neg != y.neg;
    if (x.cls == RefVal::NaN || y.cls == RefVal::NaN) {
      nan = true;
    } else if (x.cls == RefVal::Inf || y.cls == RefVal::Inf) {
      if (x.is_zero() || y.is_zero())
        nan = true;
      else
        (neg ? inf_neg : inf_pos) = true;
    } else if (x.is_zero() || y.is_zero()) {
      all_negative_zero = all_negative_zero && neg;
    } else {
      all_negative_zero = false;
      Exact ex = exact_of(x.mag, false), ey = exact_of(y.mag, false);
      Exact p{neg, ex.mag * ey.mag, ex.exp + ey.exp};
      terms.push_back({p, xo.align + yo.align, int(i % 2)});
    }
  }
  const RefVal cv = ref_decode(out, c);
  if (!u.late_c) {
    if (cv.cls == RefVal::NaN) {
      nan = true;
    } else if (cv.cls == RefVal::Inf) {
      (cv.neg ? inf_neg : inf_pos) = true;
    } else if (cv.is_zero()) {
      all_negative_zero = all_negative_zero && cv.neg;
    } else {
      all_negative_zero = false;
      terms.push_back({exact_of(cv.mag, cv.neg), align_exponent(out, cv.mag), 0});
    }
  }
  uint64_t products;
  if (nan || (inf_pos && inf_neg)) {
    products = ref_canonical_nan(out);
  } else if (inf_pos || inf_neg) {
    products = ref_encode_inf(out, inf_neg);
  } else {
    Sum s;
    if (u.bits == 0) {
      for (const Term& t : terms)
        add_to(s, t.v.neg, t.v.mag, t.v.exp);
    } else {
      for (int g = 0; g < (u.odd_even ? 2 : 1); ++g) {
        std::vector<const Term*> group;
        for (const Term& t : terms)
          if (!u.odd_even || t.group == g) group.push_back(&t);
        window(u, group, s);
      }
    }
    products = round_result(u, out, s, all_negative_zero);
  }
  if (!u.late_c) return products;
  // c after the products' sum: one more rounding of the exact sum (MPFR).
  return mpfr_accumulate(out, c, ref_decode(out, products), *u.late_c, false, u.ftz_out);
}

uint64_t ref_dot(const RefUnit& u, const RefInput& fa, const RefInput& fb, const RefFormat& out,
                 const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t c) {
  const size_t n = u.n == 0 ? std::max<size_t>(a.size(), 1) : size_t(u.n);
  for (size_t i = 0; i < a.size(); i += n) {
    const size_t end = std::min(a.size(), i + n);
    c = ref_block(u, fa, fb, out, std::vector<uint64_t>(a.begin() + long(i), a.begin() + long(end)),
                  std::vector<uint64_t>(b.begin() + long(i), b.begin() + long(end)), c);
  }
  return c;
}

uint64_t ref_promoted_dot(const RefUnit& u, int p, const RefInput& fa, const RefInput& fb,
                          const RefFormat& out, const std::vector<uint64_t>& a,
                          const std::vector<uint64_t>& b, uint64_t c) {
  const RefFormat fp32 = ref_format("fp32");
  // c into fp32 (exact for fp16, bf16 and fp32 outputs; MPFR's RNE otherwise).
  uint64_t f =
      mpfr_accumulate(fp32, ref_encode_float(fp32, 0), ref_decode(out, c), Mode::RNE, false, false);
  // -0 + c loses c's -0: keep it as the definition's "starts at c".
  const RefVal cv = ref_decode(out, c);
  if (cv.is_zero() && cv.neg) f = ref_encode_float(fp32, 0, true);
  const RefFormat& zero_fmt = out;
  for (size_t i = 0; i < a.size(); i += size_t(p)) {
    const size_t end = std::min(a.size(), i + size_t(p));
    const uint64_t part =
        ref_dot(u, fa, fb, out, std::vector<uint64_t>(a.begin() + long(i), a.begin() + long(end)),
                std::vector<uint64_t>(b.begin() + long(i), b.begin() + long(end)),
                ref_encode_float(zero_fmt, 0));
    f = mpfr_accumulate(fp32, f, ref_decode(out, part), Mode::RNE, false, false);
  }
  const RefVal fv = ref_decode(fp32, f);
  if (fv.cls == RefVal::NaN) return ref_canonical_nan(out);
  if (fv.cls == RefVal::Inf) return ref_encode_inf(out, fv.neg);
  Sum s;
  const Exact e = exact_of(fv.mag, fv.neg);
  add_to(s, e.neg, e.mag, e.exp);
  return round_into(out, s, fv.neg, Mode::RNE, false);
}

int64_t ref_integer_block(const RefFormat& fa, const RefFormat& fb, int width, bool saturate,
                          int lsb, int64_t acc, const std::vector<uint64_t>& a,
                          const std::vector<uint64_t>& b) {
  cpp_int sum = acc;
  for (size_t i = 0; i < a.size(); ++i) {
    const RefVal x = ref_decode(fa, a[i]), y = ref_decode(fb, b[i]);
    if (x.cls != RefVal::Finite || y.cls != RefVal::Finite) continue;
    const Exact ex = exact_of(x.mag, false), ey = exact_of(y.mag, false);
    const int shift = ex.exp + ey.exp - lsb;
    cpp_int units = shift >= 0 ? cpp_int(ex.mag * ey.mag) << shift : (ex.mag * ey.mag) >> -shift;
    sum += x.neg != y.neg ? -units : units;
  }
  const cpp_int hi = (cpp_int(1) << (width - 1)) - 1, lo = -(cpp_int(1) << (width - 1));
  if (saturate) sum = sum > hi ? hi : (sum < lo ? lo : sum);
  return static_cast<int64_t>(wrap_signed(sum, width));
}

} // namespace qmac_test
