#include "qmac/accuracy/sqnr.h"

#include <cmath>
#include <limits>

#include "qmac/accuracy/samples.h"
#include "qmac/accuracy/scale_search.h"

namespace qmac::accuracy {

double to_db(double signal, double noise) {
  if (noise == 0) return std::numeric_limits<double>::infinity();
  return 10 * std::log10(signal / noise);
}

SqnrResult sqnr(std::string_view format, const std::vector<double>& samples,
                std::optional<ScaleRounding> scale_rule) {
  const TensorQuantizer q(format, scale_rule);
  if (samples.empty()) throw InputError("accuracy: the number of samples must be positive, not 0");
  std::vector<double> magnitudes;
  if (q.takes_magnitudes())
    for (double v : samples)
      magnitudes.push_back(std::fabs(v));
  const Calibration c = calibrate(q, q.takes_magnitudes() ? magnitudes : samples);
  return SqnrResult{to_db(c.signal, c.best.noise), to_db(c.signal, c.absmax.noise), c.best.ratio};
}

SqnrResult sqnr(std::string_view format, Distribution d, size_t n, uint64_t seed,
                std::optional<ScaleRounding> scale_rule) {
  TensorQuantizer{format, scale_rule}; // an unknown name is reported before any work
  return sqnr(format, draw_samples(d, n, seed), scale_rule);
}

} // namespace qmac::accuracy
