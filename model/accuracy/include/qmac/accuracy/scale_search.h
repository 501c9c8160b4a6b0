// The per-tensor scale a calibrating quantizer would choose: the one that
// minimizes the mean squared quantization error of the tensor itself.
//
// The search is over the clipping threshold c = ratio * absmax, the real value
// mapped onto the format's top (TensorQuantizer::top()), so scale = top / c:
//  1. a coarse log grid, ratio = 2^(j/4), walked from j = 0 (absmax) down to
//     j = -48 (clipping at absmax / 4096) and then up to j = +48 (the data in
//     1/4096 of the format's range), each direction stopping early once the
//     error exceeds 16 times the best so far (past the optimum, clipping or
//     rounding error only grows). Ratios above 1 leave the format's top unused:
//     no gain for integers or floats, but flint's grid is finest below its
//     middle, so flint8 does best with the data in its integer region;
//  2. a golden-section search on log2(ratio) over the grid cell either side of
//     the best grid point (12 steps, 1/1000 of an octave), because the error of
//     float formats is not smooth in the scale (it repeats every octave);
//  3. the best of every scale evaluated (absmax included) is the result, so it
//     is never worse than absmax scaling.
// Every step is a fixed sequence of evaluations: deterministic.
// Formats whose scale is their own (MX) are evaluated once, at scale 1.
#pragma once

#include <vector>

#include "qmac/accuracy/tensor_quantizer.h"

namespace qmac::accuracy {

struct ScaleChoice {
  Scale scale;      // the multiplier applied to the reals
  double ratio = 1; // clipping threshold / absmax = top / (scale * absmax)
  double noise = 0; // sum of squared errors, in the samples' units
};

struct Calibration {
  ScaleChoice best;
  ScaleChoice absmax; // absmax scaling: the largest magnitude lands on top()
  double signal = 0;  // sum of squares of the samples
  int evaluations = 0;
};

// x must have a nonzero element (InputError otherwise).
Calibration calibrate(const TensorQuantizer& q, const std::vector<double>& x);

} // namespace qmac::accuracy
