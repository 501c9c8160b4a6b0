// Acceptance 9: the golden GEMM equals an independent per-output loop in the
// stated order: every output starts from +0 and takes A[m][k] * B[k][n] for
// k = 0, 1, ..., K-1, each with the accumulator's single rounding. The loop here
// uses the tests' own arithmetic (MPFR for float accumulators, cpp_int for
// intN and fx+G). The DotKernel fast paths are held to the same loop.
#include "mpfr_ref.h"
#include "qmac/numerics/dot_kernel.h"
#include "qmac/numerics/mac.h"
#include "ref_big.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

struct Config {
  const char* a;
  const char* b;
  const char* acc;
  bool saturate = false;
};

// One output by the reference: the register as words, hex and decimal.
struct RefOut {
  std::vector<uint64_t> words;
  std::string hex, decimal;
};

class Reference {
public:
  Reference(const Config& c, const qmac::AccumulatorSpec& spec)
      : c_(c), spec_(spec), ta_(ref_format(c.a)), tb_(ref_format(c.b)) {
    if (spec.kind == qmac::AccKind::Float) acc_ = ref_format(c.acc);
  }

  // The output for the products x[k] * y[k] taken in the order `order`.
  RefOut output(const std::vector<uint64_t>& x, const std::vector<uint64_t>& y,
                const std::vector<size_t>& order) const {
    RefOut o;
    switch (spec_.kind) {
    case qmac::AccKind::Float: {
      uint64_t code = 0; // +0
      for (size_t k : order)
        code = mpfr_accumulate(acc_, code, product(x[k], y[k]), Mode::RNE, c_.saturate, false);
      o.words = {code};
      o.hex = qmac::format_code(code, acc_.bits);
      o.decimal = show(ref_decode(acc_, code));
      break;
    }
    case qmac::AccKind::Integer: {
      // Counts of 2^lsb (checked against the value tables in test_fixed.cpp);
      // NaN/Inf products go to the special-value flag, as for fx+G.
      const int bits = spec_.int_bits, lsb = spec_.lsb_exp;
      const cpp_int hi = (cpp_int(1) << (bits - 1)) - 1, lo = -hi - 1;
      cpp_int r = 0;
      RefVal special;
      for (size_t k : order) {
        RefVal p = product(x[k], y[k]);
        if (p.cls == RefVal::NaN ||
            (p.cls == RefVal::Inf && special.cls == RefVal::Inf && special.neg != p.neg)) {
          special.cls = RefVal::NaN;
        } else if (p.cls == RefVal::Inf) {
          if (special.cls != RefVal::NaN) special = p;
        } else {
          r += count(p, lsb);
          if (r > hi || r < lo) r = c_.saturate ? (r > hi ? hi : lo) : wrap_signed(r, bits);
        }
      }
      o.words = {uint64_t(cpp_int(low_bits(r, bits)))};
      o.hex = hex_of(r, bits);
      o.decimal = special.cls == RefVal::Finite ? decimal_of(r, lsb) : show(special);
      break;
    }
    case qmac::AccKind::Fixed: {
      const int w = spec_.width, lsb = spec_.lsb_exp;
      cpp_int r = 0;
      RefVal special;
      for (size_t k : order) {
        RefVal p = product(x[k], y[k]);
        if (p.cls == RefVal::NaN ||
            (p.cls == RefVal::Inf && special.cls == RefVal::Inf && special.neg != p.neg)) {
          special.cls = RefVal::NaN;
        } else if (p.cls == RefVal::Inf) {
          if (special.cls != RefVal::NaN) special = p;
        } else {
          r = wrap_signed(r + count(p, lsb), w);
        }
      }
      o.words = limbs_of(r, size_t(w / 64 + 2));
      o.hex = hex_of(r, w);
      o.decimal = special.cls == RefVal::Finite ? decimal_of(r, lsb) : show(special);
      break;
    }
    }
    return o;
  }

private:
  RefVal product(uint64_t x, uint64_t y) const {
    const RefVal &a = ta_[x], &b = tb_[y];
    RefVal p;
    p.neg = a.neg != b.neg;
    if (a.cls == RefVal::NaN || b.cls == RefVal::NaN || (a.cls == RefVal::Inf && b.is_zero()) ||
        (b.cls == RefVal::Inf && a.is_zero())) {
      p.cls = RefVal::NaN;
      p.neg = false;
    } else if (a.cls == RefVal::Inf || b.cls == RefVal::Inf) {
      p.cls = RefVal::Inf;
    } else {
      p.mag = a.mag * b.mag;
    }
    return p;
  }
  static cpp_int count(const RefVal& p, int lsb) {
    cpp_rational r = rational_of(p.value()) / pow2(lsb);
    if (denominator(r) != 1) throw std::logic_error("not a multiple of the LSB");
    return numerator(r);
  }

  Config c_;
  qmac::AccumulatorSpec spec_;
  RefTable ta_, tb_;
  RefFormat acc_;
};

// Codes of a format: mostly finite, sometimes anything.
std::vector<uint64_t> random_codes(std::mt19937_64& rng, const RefTable& t, size_t n) {
  auto finite = t.finite_codes();
  std::vector<uint64_t> v;
  for (size_t i = 0; i < n; ++i)
    v.push_back(rng() % 64 == 0 ? rng() % t.size() : finite[rng() % finite.size()]);
  return v;
}

const Config kConfigs[] = {{"e4m3fn", "e4m3fn", "fp16"},  {"e5m2", "e5m2", "bf16"},
                           {"int8", "int8", "int16"},     {"int8", "int8", "int16", true},
                           {"e4m3fn", "e4m3fn", "fx+4"},  {"fp16", "fp16", "fp32"},
                           {"flint8", "int8", "int32"},   {"e2m5", "e3m4", "e6m9"},
                           {"e5m2", "e5m2", "fx+2"},      {"int4", "uint4", "int8"},
                           {"e4m3fn", "e4m3fn", "fp32"},  {"e5m2", "e4m3fn", "fp16", true},
                           {"e4m3fn", "e4m3fn", "int32"}, {"e5m2", "int8", "int16", true},
                           {"e5m2", "e5m2", "int64"}};

} // namespace

TEST_CASE("gemm: the golden GEMM equals a per-output loop with k ascending from +0") {
  const size_t shapes[][3] = {{1, 1, 1}, {3, 5, 4},   {7, 16, 3},
                              {2, 0, 3}, {16, 33, 9}, {5, 200, 2}};
  std::mt19937_64 rng(0x6e);
  for (const Config& c : kConfigs) {
    qmac::Format fa = qmac::parse_format(c.a), fb = qmac::parse_format(c.b);
    qmac::AccumulatorSpec spec = qmac::parse_accumulator(c.acc, fa, fb, c.saturate);
    qmac::Multiplier mul(fa, fb);
    Reference ref(c, spec);
    RefTable ta(ref_format(c.a)), tb(ref_format(c.b));
    Failures fails;
    long outputs = 0, order_matters = 0;
    for (int rep = 0; rep < 3; ++rep)
      for (const auto& s : shapes) {
        const size_t M = s[0], K = s[1], N = s[2];
        std::vector<uint64_t> A = random_codes(rng, ta, M * K), B = random_codes(rng, tb, K * N);
        qmac::GemmResult g = qmac::gemm(mul, spec, M, K, N, A, B);
        std::string shape = std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
        if (g.rows != M || g.cols != N || g.hex.size() != M * N || g.decimal.size() != M * N) {
          fails.add(shape + ": result shape");
          continue;
        }
        std::vector<size_t> up(K), down(K);
        for (size_t k = 0; k < K; ++k)
          up[k] = k, down[k] = K - 1 - k;
        for (size_t m = 0; m < M; ++m)
          for (size_t n = 0; n < N; ++n) {
            std::vector<uint64_t> x(K), y(K);
            for (size_t k = 0; k < K; ++k)
              x[k] = A[m * K + k], y[k] = B[k * N + n];
            RefOut want = ref.output(x, y, up);
            RefOut backwards = ref.output(x, y, down);
            order_matters += backwards.words != want.words;
            const size_t o = m * N + n, wpo = g.words_per_output;
            std::vector<uint64_t> words(g.words.begin() + long(o * wpo),
                                        g.words.begin() + long((o + 1) * wpo));
            ++outputs;
            if (words != want.words || g.hex[o] != want.hex || g.decimal[o] != want.decimal)
              fails.add(std::string(c.a) + " x " + c.b + " -> " + c.acc + " " + shape + " (" +
                        std::to_string(m) + "," + std::to_string(n) + "): " + g.hex[o] + " = " +
                        g.decimal[o] + " want " + want.hex + " = " + want.decimal);
          }
      }
    fails.report(std::string("gemm ") + c.a + " x " + c.b + " -> " + c.acc +
                     (c.saturate ? " saturating" : ""),
                 outputs);
    // The data can tell the stated order from the reverse one (float accumulators).
    if (spec.kind == qmac::AccKind::Float) CHECK(order_matters > 0);
  }
}

TEST_CASE("gemm: operand sizes must match the shape") {
  qmac::Format f = qmac::parse_format("int8");
  qmac::Multiplier mul(f, f);
  auto spec = qmac::parse_accumulator("int32", f, f);
  CHECK_THROWS_AS(
      qmac::gemm(mul, spec, 2, 2, 2, std::vector<uint64_t>(3), std::vector<uint64_t>(4)),
      qmac::InputError);
}

TEST_CASE("gemm: DotKernel paths equal the per-output loop") {
  std::mt19937_64 rng(0xd0c);
  for (const Config& c : kConfigs) {
    qmac::Format fa = qmac::parse_format(c.a), fb = qmac::parse_format(c.b);
    qmac::AccumulatorSpec spec = qmac::parse_accumulator(c.acc, fa, fb, c.saturate);
    qmac::DotKernel kernel(fa, fb, spec);
    qmac::Accumulator acc(spec);
    Reference ref(c, spec);
    RefTable ta(ref_format(c.a)), tb(ref_format(c.b));
    Failures fails;
    const long n = scaled(2000);
    for (long i = 0; i < n; ++i) {
      size_t len = rng() % 64;
      std::vector<uint64_t> x = random_codes(rng, ta, len), y = random_codes(rng, tb, len);
      std::vector<uint32_t> x32(x.begin(), x.end()), y32(y.begin(), y.end());
      std::vector<size_t> order(len);
      for (size_t k = 0; k < len; ++k)
        order[k] = k;
      acc.clear();
      kernel.dot(x32.data(), y32.data(), len, acc);
      RefOut want = ref.output(x, y, order);
      std::vector<uint64_t> words = spec.kind == qmac::AccKind::Fixed
                                        ? acc.fixed().limbs()
                                        : std::vector<uint64_t>{acc.code()};
      if (words != want.words || acc.code_hex() != want.hex || acc.value_decimal() != want.decimal)
        fails.add(std::string(c.acc) + " path " + qmac::DotKernel::path_name(kernel.path()) + ": " +
                  acc.code_hex() + " = " + acc.value_decimal() + " want " + want.hex + " = " +
                  want.decimal);
    }
    fails.report(std::string("DotKernel ") + c.a + " x " + c.b + " -> " + c.acc, n);
  }
}
