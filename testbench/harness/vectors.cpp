#include "vectors.h"

#include <cmath>
#include <map>
#include <optional>

#include "qmac/numerics/codec.h"

namespace qmac::rtl {
namespace {

RoundingOptions clamping() {
  RoundingOptions o;
  o.saturate = true;
  return o;
}

// Codes of f that decode to special or extreme values.
std::vector<uint16_t> extreme_codes(const Format& f) {
  std::vector<uint16_t> codes;
  const uint64_t n = uint64_t(1) << f.bits;
  const uint64_t max = f.max_finite_code();
  for (uint64_t c : {uint64_t(0), uint64_t(1), uint64_t(2), max, max - 1, n - 1, n - 2})
    codes.push_back(uint16_t(c & f.code_mask()));
  if (f.is_signed) {
    uint64_t s = f.sign_bit();
    for (uint64_t c : {s, s | 1, s | max, (s | max) - 1})
      codes.push_back(uint16_t(c & f.code_mask()));
  }
  if (f.has_nan()) codes.push_back(uint16_t(f.nan_code()));
  if (f.has_inf()) {
    codes.push_back(uint16_t(f.inf_code(false)));
    codes.push_back(uint16_t(f.inf_code(true)));
  }
  return codes;
}

void dot(std::vector<Beat>& out, const std::vector<std::pair<uint16_t, uint16_t>>& terms) {
  bool first = true;
  for (auto [a, b] : terms) {
    out.push_back(Beat{true, first, a, b});
    first = false;
  }
}

// The format's positive finite codes that stand for a binade: per binade,
// the power of two (one significand bit) and the largest significand (all
// of them). Exponents as frexp gives them.
struct Binade {
  int exponent;
  bool single_bit; // a power of two
  uint16_t code;
};
std::vector<Binade> binades(const Format& f) {
  std::map<std::pair<int, bool>, std::pair<double, uint16_t>> best;
  for (uint64_t c = 0; c < (uint64_t(1) << f.bits); ++c) {
    const Value v = decode(f, c);
    if (!v.is_finite() || v.is_zero() || v.to_double() < 0) continue;
    int e;
    const double m = std::frexp(v.to_double(), &e);
    const bool single = m == 0.5;
    auto& b = best[{e, single}];
    if (b.second == 0 || v.to_double() > b.first) b = {v.to_double(), uint16_t(c)};
  }
  std::vector<Binade> out;
  for (const auto& [key, b] : best)
    out.push_back({key.first, key.second, b.second});
  return out;
}

// The code of -x for a positive code, if the format has one.
std::optional<uint16_t> negated(const Format& f, uint16_t code) {
  if (!f.is_signed) return std::nullopt;
  if (f.kind == Kind::Integer) return uint16_t((~uint64_t(code) + 1) & f.code_mask());
  return uint16_t(code ^ f.sign_bit());
}

uint16_t code_of(const Format& f, double x) {
  return uint16_t(quantize(f, x, clamping()));
}

} // namespace

uint64_t unit_seed(uint64_t seed, const std::string& unit_name) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (char c : unit_name)
    h = (h ^ uint8_t(c)) * 1099511628211ull;
  return seed ^ h;
}

std::vector<Beat> directed_beats(const Unit& u) {
  std::vector<Beat> out;
  const Format &fa = u.a, &fb = u.b;
  const auto ea = extreme_codes(fa), eb = extreme_codes(fb);
  // Every extreme pair alone, then after every other (NaN/Inf propagation,
  // Inf + -Inf, signed zeros, max * max).
  for (uint16_t a : ea)
    for (uint16_t b : eb)
      dot(out, {{a, b}});
  for (uint16_t a1 : ea)
    for (uint16_t a2 : ea)
      dot(out, {{a1, eb[3]}, {a2, eb[3]}, {a1, eb[9 % eb.size()]}});
  // Overflow: the largest product again and again (Inf, saturation, wrap).
  const uint16_t amax = uint16_t(fa.max_finite_code()), bmax = uint16_t(fb.max_finite_code());
  std::vector<std::pair<uint16_t, uint16_t>> run;
  for (int i = 0; i < 5000; ++i)
    run.emplace_back(amax, bmax);
  dot(out, run);
  if (fa.is_signed) { // and down again past the negative end
    run.clear();
    for (int i = 0; i < 5000; ++i)
      run.emplace_back(uint16_t(fa.kind == Kind::Integer ? fa.sign_bit() : fa.sign_bit() | amax),
                       bmax);
    dot(out, run);
  }
  // Cancellation: x*y then -x*y, for many x (exact zero, sign of zero).
  if (fa.is_signed)
    for (uint64_t c = 0; c < (uint64_t(1) << fa.bits); c += 3) {
      const uint16_t neg = *negated(fa, uint16_t(c));
      dot(out, {{uint16_t(c), bmax}, {neg, bmax}, {uint16_t(c), 1}, {neg, 1}});
    }
  // Big then tiny: the smallest products against a large sum (ties, sticky).
  for (uint16_t small : {uint16_t(1), uint16_t(2), uint16_t(3)})
    for (uint16_t big : {amax, uint16_t(amax - 1), uint16_t(amax - 2), uint16_t(amax >> 1)}) {
      std::vector<std::pair<uint16_t, uint16_t>> t{{big, bmax}};
      for (int i = 0; i < 64; ++i)
        t.emplace_back(small, uint16_t(i % 2 ? 1 : bmax));
      dot(out, t);
    }
  // Alignment: two-term sums over the products' binades, from the smallest
  // products to the largest, so that the register holds every exponent
  // and the second product comes in at every distance from it, above and
  // below: a single-bit product against a full one lands its bit in each
  // guard and sticky position, a full one against a single bit carries
  // through, both added and subtracted. Random operands rarely keep the
  // register small or put exactly one bit in one sticky position.
  struct Product {
    int exponent;
    bool single_bit;
    uint16_t a, b;
  };
  std::map<std::pair<int, bool>, Product> products;
  for (const Binade& x : binades(fa))
    for (const Binade& y : binades(fb))
      if (x.single_bit == y.single_bit)
        products.emplace(std::pair{x.exponent + y.exponent, x.single_bit},
                         Product{x.exponent + y.exponent, x.single_bit, x.code, y.code});
  constexpr int kDistances = 40; // past every accumulator's kept bits and guards
  for (const auto& [kx, x] : products)
    for (const auto& [ky, y] : products) {
      if (x.single_bit == y.single_bit || std::abs(x.exponent - y.exponent) > kDistances) continue;
      dot(out, {{x.a, x.b}, {y.a, y.b}});
      if (auto na = negated(fa, y.a))
        dot(out, {{x.a, x.b}, {*na, y.b}});
      else if (auto nb = negated(fb, y.b))
        dot(out, {{x.a, x.b}, {y.a, *nb}});
    }
  // Ties that only the sticky bit breaks (float registers): two single-bit
  // products make the register 2^e + 2^(e-j), then a power of two 2^(e+d)
  // puts 2^e on the result's round bit and 2^(e-j) below everything kept:
  // added at d = M + 1, subtracted at d = M + 2 (the difference loses a
  // binade). A datapath that drops one sticky position rounds these to even.
  if (u.acc.kind == AccKind::Float) {
    const int m = u.acc.format.man_bits;
    auto single = [&](int exponent) -> const Product* {
      auto it = products.find({exponent, true});
      return it == products.end() ? nullptr : &it->second;
    };
    for (const auto& [key, top] : products) {
      if (!key.second) continue;
      const int e = key.first;
      for (int j = 1; j <= m; ++j) {
        const Product* tail = single(e - j);
        if (!tail) continue;
        for (const auto& [d, subtract] : {std::pair{m + 1, false}, {m + 2, true}}) {
          const Product* big = single(e + d);
          if (!big) continue;
          std::optional<uint16_t> a = big->a;
          if (subtract) a = negated(fa, big->a);
          if (!a) continue;
          dot(out, {{top.a, top.b}, {tail->a, tail->b}, {*a, big->b}});
        }
      }
    }
  }
  // Clear and valid sequencing: clears without valid, bubbles in a dot product,
  // clear on a bubble, back-to-back clears.
  out.push_back(Beat{true, true, amax, bmax});
  out.push_back(Beat{false, false, amax, bmax});
  out.push_back(Beat{true, false, 1, 1});
  out.push_back(Beat{false, true, 7, 7});
  out.push_back(Beat{false, false, 0, 0});
  out.push_back(Beat{true, false, amax, 1});
  out.push_back(Beat{true, true, 1, bmax});
  out.push_back(Beat{true, true, 2, bmax});
  out.push_back(Beat{false, true, 0, 0});
  out.push_back(Beat{true, false, 3, 3});
  return out;
}

std::vector<Beat> check_stream(const Unit& unit, uint64_t vectors, uint64_t seed) {
  std::vector<Beat> beats = directed_beats(unit);
  const size_t total = std::max<size_t>(size_t(vectors), beats.size());
  RandomBeats(unit, unit_seed(seed, unit.name)).fill(beats, total);
  beats.resize(total);
  return beats;
}

RandomBeats::RandomBeats(const Unit& unit, uint64_t seed) : unit_(unit), rng_(seed) {}

uint16_t RandomBeats::operand(const Format& f, Distribution d, double scale) {
  switch (d) {
  case Distribution::UniformCodes:
    return uint16_t(rng_() & f.code_mask());
  case Distribution::Gaussian:
    return code_of(f, std::normal_distribution<double>(0.0, scale)(rng_));
  case Distribution::HeavyTailed:
    return code_of(f, scale * std::student_t_distribution<double>(2.0)(rng_));
  case Distribution::Extremes: {
    auto codes = extreme_codes(f);
    return codes[rng_() % codes.size()];
  }
  }
  return 0;
}

void RandomBeats::fill(std::vector<Beat>& out, size_t n) {
  while (out.size() < n) {
    auto d = Distribution(rng_() % 4);
    // Lengths: mostly a few to a few hundred terms, sometimes thousands.
    size_t len = rng_() % 8 == 0 ? 1 + rng_() % 20000 : 1 + rng_() % 300;
    double bubble = (rng_() % 4 == 0) ? 0.2 : 0.0;
    // Scale: log-uniform between the formats' smallest and largest magnitudes.
    auto scale_of = [&](const Format& f) {
      double lo = std::ldexp(1.0, smallest_quantum_exponent(f));
      double hi = largest_magnitude(f).to_double();
      double u = std::uniform_real_distribution<double>(0, 1)(rng_);
      return lo * std::pow(hi / lo, u);
    };
    double sa = scale_of(unit_.a), sb = scale_of(unit_.b);
    bool first = true;
    for (size_t k = 0; k < len; ++k) {
      Beat b;
      b.valid = !(bubble > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < bubble);
      b.clear = first;
      b.a = operand(unit_.a, d, sa);
      b.b = operand(unit_.b, d, sb);
      first = false;
      out.push_back(b);
    }
  }
}

} // namespace qmac::rtl
