// Helpers shared by the dot-unit tests: the library's unit in the reference's
// terms, and operand generators from several distributions.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dot_reference.h"
#include "qmac/dot/dot_unit.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/format.h"
#include "ref_format.h"

namespace qmac_test {

inline Mode ref_mode(qmac::Rounding r) {
  switch (r) {
  case qmac::Rounding::NearestEven:
    return Mode::RNE;
  case qmac::Rounding::TowardZero:
    return Mode::RTZ;
  case qmac::Rounding::NearestAway:
    return Mode::RNA;
  default:
    throw std::logic_error("the reference has no stochastic rounding");
  }
}

// The same parameters, read field by field (the definitions differ, not the data).
inline RefUnit ref_unit(const qmac::dot::DotUnit& u) {
  RefUnit r;
  r.n = u.n;
  r.bits = u.bits;
  r.round = ref_mode(u.round);
  r.sticky = u.sticky;
  if (u.late_c) r.late_c = ref_mode(*u.late_c);
  r.odd_even = u.odd_even;
  r.min_exp = u.min_exp;
  r.ftz_in = u.ftz_in;
  r.ftz_out = u.ftz_out;
  r.narrow = u.narrow;
  return r;
}

enum class Dist {
  UniformCodes,   // any finite code
  Gaussian,       // N(0, s) quantized (RNE, saturating), s a random power of two
  HeavyTailed,    // a Gaussian times e^(2 N(0,1)): a few elements far larger
  MixedExponents, // half near the top of the range, half near the bottom
  AnyCode,        // every code, NaN and Inf included
  kCount
};

inline const char* dist_name(Dist d) {
  static const char* names[] = {"uniform codes", "gaussian", "heavy-tailed", "mixed exponents",
                                "any code"};
  return names[int(d)];
}

// Input codes of one format by distribution (the generators use the library's
// quantize; the expected results never come from the library).
class CodeSource {
public:
  explicit CodeSource(const qmac::Format& f) : f_(f) {
    for (uint64_t c = 0; c <= f.code_mask(); ++c) {
      const qmac::Value v = qmac::decode(f, c);
      if (!v.is_finite()) continue;
      finite_.push_back(c);
      if (!v.is_zero()) nonzero_.push_back({std::fabs(v.to_double()), c});
    }
    std::sort(nonzero_.begin(), nonzero_.end());
    max_ = nonzero_.back().first;
    opts_.saturate = true;
  }

  uint64_t operator()(std::mt19937_64& rng, Dist d, double scale) const {
    std::normal_distribution<double> gauss(0.0, 1.0);
    switch (d) {
    case Dist::UniformCodes:
      return finite_[rng() % finite_.size()];
    case Dist::Gaussian:
      return qmac::quantize(f_, gauss(rng) * scale, opts_);
    case Dist::HeavyTailed:
      return qmac::quantize(f_, gauss(rng) * scale * std::exp(2 * gauss(rng)), opts_);
    case Dist::MixedExponents: {
      const size_t n = nonzero_.size(), k = std::max<size_t>(1, n / 8);
      const size_t at = (rng() & 1) ? n - 1 - rng() % k : rng() % k;
      uint64_t c = nonzero_[at].second;
      // The other sign, where the format has one.
      const qmac::Value v = qmac::decode(f_, c);
      if ((rng() & 1) && f_.is_signed) {
        const uint64_t neg =
            qmac::encode(f_, qmac::Value::finite(!v.negative, v.significand, v.exponent));
        if (qmac::decode(f_, neg).same_number(
                qmac::Value::finite(!v.negative, v.significand, v.exponent)))
          c = neg;
      }
      return c;
    }
    default:
      return rng() & f_.code_mask();
    }
  }
  // A scale at which Gaussian elements span the format (a power of two).
  double scale(std::mt19937_64& rng) const {
    return std::ldexp(1.0, int(rng() % 9) - 4) * max_ / 16;
  }

private:
  qmac::Format f_;
  std::vector<uint64_t> finite_;
  std::vector<std::pair<double, uint64_t>> nonzero_;
  double max_ = 1;
  qmac::RoundingOptions opts_;
};

// An addend c of the output format: zero, Gaussian at the scale of a block's
// sum, or any finite code (fp32: any finite bit pattern).
inline uint64_t draw_c(std::mt19937_64& rng, const qmac::Format& out, double scale) {
  std::normal_distribution<double> gauss(0.0, 1.0);
  switch (rng() % 4) {
  case 0:
    return (rng() & 1) ? qmac::encode(out, qmac::Value::zero(true)) : 0;
  case 1: {
    uint64_t c;
    do
      c = rng() & out.code_mask();
    while (!qmac::decode(out, c).is_finite());
    return c;
  }
  default:
    return qmac::quantize(out, gauss(rng) * scale);
  }
}

inline std::string codes_text(const std::vector<uint64_t>& v) {
  std::string s;
  for (uint64_t c : v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s0x%llx", s.empty() ? "" : " ", (unsigned long long)c);
    s += buf;
  }
  return s;
}

} // namespace qmac_test
