// Random doubles aimed at one format's rounding points.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "ref_format.h"

namespace qmac_test {

class RandomReals {
public:
  enum Kind {
    UniformBits, // any 64-bit pattern: NaN, Inf, huge, tiny
    NearRange,   // random significand, exponent across the format's range and a bit beyond
    Midpoint,    // exactly between two adjacent values (also 0/min and max/next)
    NextToMid,   // one double ulp above or below a midpoint
    NearMid,     // a midpoint times (1 +- 2^-k)
    BeyondMax,   // larger than the largest finite value
    Subnormal,   // below the smallest normal (floats) / the smallest nonzero value
    OnGrid,      // a value of the format or one double ulp next to it
    kKinds
  };

  explicit RandomReals(const RefTable& t) {
    const RefFormat& f = t.format();
    for (const auto& [v, c] : t.side(false))
      grid_.push_back(v);
    if (f.kind == RKind::Float) // the next grid point beyond the largest finite value
      grid_.push_back(grid_.back() +
                      std::ldexp(1.0L, std::max(std::ilogb(grid_.back()), f.emin()) - f.M));
    max_ = double(t.max_finite());
    min_pos_ = double(grid_[0] > 0 ? grid_[0] : grid_[1]);
    lo_exp_ = std::ilogb(min_pos_) - 3;
    hi_exp_ = std::ilogb(max_) + 3;
    small_ = f.kind == RKind::Float ? std::ldexp(1.0, f.emin()) : min_pos_ * 2;
    signed_ = f.is_signed;
  }

  double operator()(std::mt19937_64& rng, Kind k) {
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    bool neg = rng() & 1;
    double x = 0;
    switch (k) {
    case UniformBits: {
      uint64_t b = rng();
      std::memcpy(&x, &b, sizeof x);
      return x;
    }
    case NearRange: {
      int e = lo_exp_ + int(rng() % uint64_t(hi_exp_ - lo_exp_ + 1));
      x = std::ldexp(1.0 + u01(rng), e);
      break;
    }
    case Midpoint:
    case NextToMid:
    case NearMid: {
      size_t i = size_t(rng() % (grid_.size() - 1));
      x = double((grid_[i] + grid_[i + 1]) / 2);
      if (k == NextToMid) x = std::nextafter(x, (rng() & 1) ? HUGE_VAL : 0.0);
      if (k == NearMid) x *= 1 + ((rng() & 1) ? 1 : -1) * std::ldexp(1.0, -20 - int(rng() % 31));
      break;
    }
    case BeyondMax:
      x = (rng() % 4 == 0) ? std::ldexp(1.0 + u01(rng), hi_exp_ + int(rng() % 900))
                           : max_ * (1 + 3 * u01(rng));
      break;
    case Subnormal:
      x = (rng() % 2) ? small_ * u01(rng) : min_pos_ * 2 * u01(rng);
      break;
    case OnGrid: {
      x = double(grid_[size_t(rng() % grid_.size())]);
      int r = int(rng() % 3);
      if (r == 1) x = std::nextafter(x, HUGE_VAL);
      if (r == 2) x = std::nextafter(x, 0.0);
      break;
    }
    default:
      break;
    }
    return neg ? -x : x;
  }

  double operator()(std::mt19937_64& rng) { return (*this)(rng, Kind(rng() % kKinds)); }

  const std::vector<long double>& grid() const { return grid_; }

private:
  std::vector<long double> grid_; // nonnegative values (+ the next one beyond, floats)
  double max_, min_pos_, small_;
  int lo_exp_, hi_exp_;
  bool signed_;
};

} // namespace qmac_test
