#include "qmac/accuracy/scale_search.h"

#include <cmath>

namespace qmac::accuracy {
namespace {

constexpr int kStepsPerOctave = 4;
constexpr int kOctaves = 12;
constexpr double kGiveUp = 16; // stop the grid when the error exceeds this times the best
constexpr int kGoldenSteps = 12;
// Scales whose errors differ by less than this fraction (0.004 dB) tie, and a
// tie keeps the scale found first (nearest absmax on the grid): where the
// error is flat in the scale (NVFP4, wide floats) the result stays at absmax
// instead of drifting to an arbitrary far point.
constexpr double kTie = 1e-3;

class Search {
public:
  Search(const TensorQuantizer& q, const std::vector<double>& x, double absmax)
      : q_(q), x_(x), absmax_(absmax) {}

  // The error at clipping threshold 2^log2_ratio * absmax; remembers the best.
  double at(double log2_ratio) {
    ScaleChoice c;
    c.scale = make_scale(q_.top() / (std::exp2(log2_ratio) * absmax_));
    c.ratio = q_.top() / (c.scale.value * absmax_);
    c.noise = q_.noise_energy(x_, c.scale);
    ++evaluations_;
    if (!has_best_ || c.noise < best_.noise * (1 - kTie)) best_ = c, has_best_ = true;
    return c.noise;
  }
  const ScaleChoice& best() const { return best_; }
  int evaluations() const { return evaluations_; }

private:
  const TensorQuantizer& q_;
  const std::vector<double>& x_;
  double absmax_;
  ScaleChoice best_;
  bool has_best_ = false;
  int evaluations_ = 0;
};

} // namespace

Calibration calibrate(const TensorQuantizer& q, const std::vector<double>& x) {
  double absmax = 0, signal = 0;
  for (double v : x) {
    absmax = std::fmax(absmax, std::fabs(v));
    signal += v * v;
  }
  if (!(absmax > 0) || !std::isfinite(signal))
    throw InputError("accuracy: samples must be finite and not all zero");
  Calibration cal;
  cal.signal = signal;
  if (!q.has_tensor_scale()) {
    ScaleChoice own;
    own.noise = q.noise_energy(x, own.scale);
    cal.best = cal.absmax = own;
    cal.evaluations = 1;
    return cal;
  }

  Search s(q, x, absmax);
  s.at(0);
  cal.absmax = s.best();
  // 1. The coarse grid, from absmax outwards both ways.
  int best_j = 0;
  for (int dir : {-1, 1}) {
    for (int j = dir; std::abs(j) <= kStepsPerOctave * kOctaves && s.best().noise > 0; j += dir) {
      const double before = s.best().noise;
      const double e = s.at(double(j) / kStepsPerOctave);
      if (s.best().noise < before) best_j = j; // a strict improvement, not a tie
      if (e > kGiveUp * s.best().noise) break;
    }
  }
  // 2. Golden-section refinement over the neighbouring grid cells.
  const double centre = double(best_j) / kStepsPerOctave, half = 1.0 / kStepsPerOctave;
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double lo = centre - half, hi = centre + half;
  double m1 = hi - phi * (hi - lo), m2 = lo + phi * (hi - lo);
  double e1 = s.best().noise > 0 ? s.at(m1) : 0, e2 = s.best().noise > 0 ? s.at(m2) : 0;
  for (int i = 0; i < kGoldenSteps && s.best().noise > 0; ++i) {
    if (e1 <= e2) {
      hi = m2, m2 = m1, e2 = e1;
      m1 = hi - phi * (hi - lo), e1 = s.at(m1);
    } else {
      lo = m1, m1 = m2, e1 = e2;
      m2 = lo + phi * (hi - lo), e2 = s.at(m2);
    }
  }
  // 3. The best of all evaluated scales.
  cal.best = s.best();
  cal.evaluations = s.evaluations();
  return cal;
}

} // namespace qmac::accuracy
