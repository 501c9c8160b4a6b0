// Acceptance 6: float accumulators against MPFR. Each step of the reference is
// acc = round(acc + exact product), one rounding at the accumulator's precision
// with subnormals and an unbounded exponent, IEEE overflow to Inf and IEEE
// Inf/NaN (mpfr_add), compared code for code (any NaN: the canonical NaN).
// Sequences come from Accumulator(parse_accumulator(...)) and mac_sequence;
// single steps from float_accumulate with accumulator codes and products drawn
// from the whole range (overflow, subnormals, ties, cancellation, Inf, NaN).
#include "mpfr_ref.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/mac.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

// The exact product of two reference values, IEEE specials.
RefVal ref_product(const RefVal& a, const RefVal& b) {
  RefVal p;
  p.neg = a.neg != b.neg;
  if (a.cls == RefVal::NaN || b.cls == RefVal::NaN) {
    p.cls = RefVal::NaN;
    p.neg = false;
  } else if (a.cls == RefVal::Inf || b.cls == RefVal::Inf) {
    if (a.is_zero() || b.is_zero()) {
      p.cls = RefVal::NaN;
      p.neg = false;
    } else {
      p.cls = RefVal::Inf;
    }
  } else {
    p.mag = a.mag * b.mag; // exact: at most 2 x 24 significant bits
  }
  return p;
}

// Input codes for MAC sequences: mostly finite values over the whole range,
// sometimes any code (NaN, Inf), sometimes the negation of the previous
// product (massive cancellation).
class InputCodes {
public:
  explicit InputCodes(const RefTable& t) : t_(t), finite_(t.finite_codes()) {
    const RefFormat& f = t.format();
    for (uint64_t c : finite_) {
      // The code of -value, where it exists (for cancellation).
      const RefVal& v = t[c];
      long double neg = -v.value();
      negation_.push_back(!v.is_zero() && t.representable(neg) ? t.code_of(neg) : ~0ull);
    }
    special_ = t.has_nan() || t.has_inf();
    (void)f;
  }
  // Next (a, b) pair; prev_a/prev_b: the previous pair (or ~0 for none).
  std::pair<uint64_t, uint64_t> next(std::mt19937_64& rng, uint64_t prev_a, uint64_t prev_b) {
    uint64_t r = rng() % 1000;
    if (r < 20 && special_) // any code at all
      return {rng() % t_.size(), rng() % t_.size()};
    if (r < 200 && prev_a != ~0ull) { // -(previous product)
      auto it = std::lower_bound(finite_.begin(), finite_.end(), prev_a);
      if (it != finite_.end() && *it == prev_a) {
        uint64_t na = negation_[size_t(it - finite_.begin())];
        if (na != ~0ull) return {na, prev_b};
      }
      auto jt = std::lower_bound(finite_.begin(), finite_.end(), prev_b);
      if (jt != finite_.end() && *jt == prev_b) {
        uint64_t nb = negation_[size_t(jt - finite_.begin())];
        if (nb != ~0ull) return {prev_a, nb};
      }
    }
    return {finite_[rng() % finite_.size()], finite_[rng() % finite_.size()]};
  }

private:
  const RefTable& t_;
  std::vector<uint64_t> finite_, negation_;
  bool special_;
};

std::string show_code(const RefFormat& f, uint64_t c) {
  return hex(c) + " (" + show(ref_decode(f, c)) + ")";
}

// Random MAC sequences of in x in into acc, step by step against MPFR.
void check_sequences(const std::string& in, const std::string& acc_name, long sequences,
                     bool saturate = false, bool flush = false) {
  const RefFormat ri = ref_format(in), ra = ref_format(acc_name);
  const RefTable ti(ri);
  const qmac::Format fi = qmac::parse_format(in);
  const qmac::Multiplier mul(fi, fi);
  qmac::AccumulatorSpec spec = qmac::parse_accumulator(acc_name, fi, fi, saturate, flush);
  REQUIRE(spec.kind == qmac::AccKind::Float);
  REQUIRE(spec.format.bits == ra.bits);
  qmac::Accumulator acc(spec), whole(spec);
  InputCodes gen(ti);
  std::mt19937_64 rng(std::hash<std::string>()(in + "*" + acc_name) + saturate * 2 + flush);
  Failures fails;
  long steps = 0;
  std::vector<uint64_t> as, bs;
  for (long s = 0; s < sequences; ++s) {
    acc.clear();
    uint64_t ref = 0; // +0
    int len = 4 + int(rng() % 13);
    as.clear();
    bs.clear();
    uint64_t pa = ~0ull, pb = ~0ull;
    bool failed = false;
    auto trace = [&] {
      std::string t;
      for (size_t i = 0; i < as.size(); ++i)
        t += " +" + hex(as[i]) + "*" + hex(bs[i]);
      return t;
    };
    for (int k = 0; k < len; ++k) {
      auto [a, b] = gen.next(rng, pa, pb);
      pa = a;
      pb = b;
      as.push_back(a);
      bs.push_back(b);
      RefVal p = ref_product(ti[a], ti[b]);
      ref = mpfr_accumulate(ra, ref, p, Mode::RNE, saturate, flush);
      acc.add(mul(a, b));
      ++steps;
      if (acc.code() != ref && !failed) {
        fails.add(in + " into " + acc_name + ":" + trace() + " -> " + show_code(ra, acc.code()) +
                  " want " + show_code(ra, ref));
        failed = true;
      }
    }
    // The whole sequence at once, and the register's value in every spelling.
    whole.clear();
    qmac::mac_sequence(mul, whole, as.data(), bs.data(), as.size());
    if (!failed && whole.code() != ref) fails.add(in + ":" + trace() + " mac_sequence differs");
    RefVal v = ref_decode(ra, ref);
    if (!failed && acc.value_decimal() != show(v))
      fails.add(in + ":" + trace() + " value_decimal " + acc.value_decimal() + " want " + show(v));
    double d = acc.to_double();
    bool d_ok = v.cls == RefVal::NaN   ? std::isnan(d)
                : v.cls == RefVal::Inf ? std::isinf(d) && (d < 0) == v.neg
                                       : (long double)d == v.value();
    if (!failed && !d_ok) fails.add(in + ":" + trace() + " to_double " + std::to_string(d));
    std::string want_hex = qmac::format_code(ref, ra.bits);
    if (!failed && acc.code_hex() != want_hex) fails.add("code_hex " + acc.code_hex());
  }
  fails.report(in + " x " + in + " into " + acc_name + (saturate ? " saturating" : "") +
                   (flush ? " flushing subnormals" : ""),
               steps);
}

// A random finite product-like value: up to `bits` significant bits, exponent in [lo, hi].
RefVal random_value(std::mt19937_64& rng, int bits, int lo, int hi) {
  RefVal v;
  v.neg = rng() & 1;
  uint64_t sig = (rng() >> (64 - bits)) | 1;
  v.mag = std::ldexp((long double)sig, lo + int(rng() % uint64_t(hi - lo + 1)));
  return v;
}

// Single steps of float_accumulate from any accumulator code.
void check_steps(const std::string& acc_name, long n) {
  const RefFormat ra = ref_format(acc_name);
  const qmac::Format fa = qmac::parse_format(acc_name);
  const int top = int(std::ilogb(ref_max_finite(ra)));
  const int bottom = ra.emin() - ra.M; // smallest subnormal
  const uint64_t mask = (1ull << ra.bits) - 1;
  std::mt19937_64 rng(std::hash<std::string>()(acc_name) ^ 0x57e9);
  Failures fails;
  long checked = 0;
  for (long i = 0; i < n; ++i) {
    // The accumulator: any code, or one near the top, or a subnormal.
    uint64_t acc;
    switch (rng() % 4) {
    case 0:
      acc = rng() & mask;
      break;
    case 1:
      acc = ref_encode_float(ra, ref_max_finite(ra)) - (rng() % 64);
      break;
    case 2:
      acc = rng() % (1ull << ra.M);
      break;
    default:
      acc = ref_encode_float(ra, random_value(rng, ra.M + 1, bottom, top - ra.M).value());
      break;
    }
    if (rng() & 1) acc |= 1ull << (ra.bits - 1);
    const RefVal av = ref_decode(ra, acc);
    // The product: anything from tiny to huge, a tie, an exact cancellation, specials.
    RefVal p;
    switch (rng() % 8) {
    case 0:
    case 1:
      p = random_value(rng, 1 + int(rng() % 48), bottom - 60, top - 10);
      break;
    case 2: { // near the accumulator's magnitude
      int e = av.cls == RefVal::Finite && av.mag != 0 ? std::ilogb(av.mag) : bottom;
      p = random_value(rng, 1 + int(rng() % 40), e - 45, e + 2);
      break;
    }
    case 3: // an odd multiple of half an ulp of acc: a tie (or a rounding point)
      if (av.cls == RefVal::Finite && av.mag != 0) {
        int q = std::max(std::ilogb(av.mag), ra.emin()) - ra.M;
        p.mag = std::ldexp((long double)(2 * (rng() % 8) + 1), q - 1);
        p.neg = rng() & 1;
      }
      break;
    case 4: // exact cancellation of acc (x + -x = +0)
      p = av;
      p.neg = !av.neg;
      break;
    case 5: // the product of two values of the accumulator's own precision
      p = random_value(rng, 2 * (ra.M + 1), bottom, top);
      if (p.mag > ref_max_finite(ra) * 2) p.mag = ref_max_finite(ra);
      break;
    case 6: {
      p.cls = RefVal::Cls(rng() % 3); // finite zero, Inf, NaN
      p.neg = rng() & 1;
      if (p.cls == RefVal::NaN) p.neg = false;
      break;
    }
    default: // tiny: below the smallest subnormal, far below acc
      p = random_value(rng, 1 + int(rng() % 20), bottom - 80, bottom + 2);
      break;
    }
    for (int m = 0; m < 3; ++m)
      for (int s = 0; s < 2; ++s)
        for (int fl = 0; fl < 2; ++fl) {
          qmac::RoundingOptions o;
          o.mode = qmac::Rounding(m);
          o.saturate = s;
          o.flush_subnormals = fl;
          uint64_t got = qmac::float_accumulate(fa, acc, value_of(p), o);
          uint64_t want = mpfr_accumulate(ra, acc, p, Mode(m), s, fl);
          ++checked;
          if (got != want)
            fails.add(show_code(ra, acc) + " + " + show(p) + " " + mode_name(Mode(m)) +
                      (s ? " sat" : "") + (fl ? " ftz" : "") + ": got " + show_code(ra, got) +
                      " want " + show_code(ra, want));
        }
  }
  fails.report("float_accumulate " + acc_name, checked);
}

const char* const kInputs[] = {"int8", "e5m2", "e4m3fn",        "e4m3fnuz", "e5m2fnuz",
                               "e3m4", "e2m5", "float4_e2m1fn", "uflint4",  "flint8"};

void check_accumulator(const std::string& acc_name) {
  for (const char* in : kInputs) {
    SECTION(in) {
      check_sequences(in, acc_name, scaled(100000));
    }
  }
}

} // namespace

TEST_CASE("accumulator fp32 vs MPFR: MAC sequences") {
  check_accumulator("fp32");
}
TEST_CASE("accumulator fp16 vs MPFR: MAC sequences") {
  check_accumulator("fp16");
}
TEST_CASE("accumulator bf16 vs MPFR: MAC sequences") {
  check_accumulator("bf16");
}
TEST_CASE("accumulator e6m9 vs MPFR: MAC sequences") {
  check_accumulator("e6m9");
}
TEST_CASE("accumulator fp32 vs MPFR: fp16 inputs") {
  check_sequences("fp16", "fp32", scaled(100000));
}

TEST_CASE("accumulator: flush_subnormals and saturation vs MPFR") {
  SECTION("fp16 flushing, e4m3fn inputs") {
    check_sequences("e4m3fn", "fp16", scaled(20000), false, true);
  }
  SECTION("e6m9 flushing, e5m2 inputs") {
    check_sequences("e5m2", "e6m9", scaled(20000), false, true);
  }
  SECTION("bf16 flushing, e5m2fnuz inputs") {
    check_sequences("e5m2fnuz", "bf16", scaled(20000), false, true);
  }
  SECTION("fp16 saturating, e5m2 inputs") {
    check_sequences("e5m2", "fp16", scaled(20000), true);
  }
  SECTION("fp16 saturating, e4m3fn inputs") {
    check_sequences("e4m3fn", "fp16", scaled(20000), true);
  }
}

TEST_CASE("float_accumulate vs MPFR: single steps over the whole range") {
  for (const char* acc : {"fp32", "fp16", "bf16", "e6m9", "e5m10"}) {
    SECTION(acc) {
      check_steps(acc, scaled(100000));
    }
  }
}

TEST_CASE("accumulator: flushing turns a subnormal result into a zero of its sign") {
  qmac::Format fp16 = qmac::parse_format("fp16"), e4m3 = qmac::parse_format("e4m3fn");
  qmac::Accumulator acc(qmac::parse_accumulator("fp16", e4m3, e4m3, false, true));
  qmac::Multiplier mul(e4m3, e4m3);
  acc.add(mul(0x01, 0x01)); // 2^-18: subnormal in fp16
  CHECK(acc.code() == 0x0000);
  acc.add(mul(0x81, 0x01)); // -2^-18
  CHECK(acc.code() == 0x8000);
  acc.add(mul(0x08, 0x40)); // 2^-6 * 2 = 2^-5: normal
  CHECK(acc.code() == 0x2800);
  qmac::Accumulator keep(qmac::parse_accumulator("fp16", e4m3, e4m3));
  keep.add(mul(0x01, 0x01));
  CHECK(keep.code() == 0x0040); // 2^-18 = 64 * 2^-24
  qmac::RoundingOptions ftz;
  ftz.flush_subnormals = true;
  // The smallest normal stays; just below it (rounding to it) stays normal.
  CHECK(qmac::float_accumulate(fp16, 0x0400, qmac::Value::zero(), ftz) == 0x0400);
  CHECK(qmac::float_accumulate(fp16, 0x03ff, qmac::Value::finite(false, 1, -25), ftz) == 0x0400);
  CHECK(qmac::float_accumulate(fp16, 0x83ff, qmac::Value::zero(), ftz) == 0x8000);
}

TEST_CASE("accumulator: parse_accumulator rejects what it cannot take") {
  qmac::Format e4m3 = qmac::parse_format("e4m3fn");
  CHECK_THROWS_AS(qmac::parse_accumulator("fp99x", e4m3, e4m3), qmac::InputError);
  CHECK_THROWS_AS(qmac::parse_accumulator("e4m3fin", e4m3, e4m3), qmac::InputError); // no NaN
  CHECK_THROWS_AS(
      qmac::parse_accumulator("int1", qmac::parse_format("int8"), qmac::parse_format("int8")),
      qmac::InputError);
  CHECK_THROWS_AS(qmac::parse_accumulator("fx+x", e4m3, e4m3), qmac::InputError);
  CHECK(qmac::parse_accumulator("e5m10", e4m3, e4m3).format.bits == 16);
}
