// Operand streams for the PE cross-checks: directed corner cases first, then
// random dot products from several distributions, all from one seed.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "qmac/units/rtl_unit.h"
#include "rtl_model.h"

namespace qmac::rtl {

enum class Distribution {
  UniformCodes, // every code equally likely, specials included
  Gaussian,     // N(0, s^2) quantized to the format, s log-uniform over its range
  HeavyTailed,  // Student-t with 2 degrees of freedom, quantized likewise
  Extremes,     // the largest, smallest and special codes
};

// Directed sequences for a unit: overflow (to Inf, saturation, wrap), NaN
// and Inf propagation including Inf + -Inf, cancellation to exact zero and
// signed zeros, products one half-ulp below the running sum (ties), subnormal
// results, every alignment of one product against another (each register
// exponent, each distance, one bit in each sticky position), clear and valid
// sequencing and bubbles.
std::vector<Beat> directed_beats(const Unit& unit);

// Random dot products: each starts with a clear beat, has a random length
// (mostly short, some long enough to overflow), bubbles at random, and takes
// its operands from one distribution.
class RandomBeats {
public:
  RandomBeats(const Unit& unit, uint64_t seed);
  // Appends beats until `out` holds at least n.
  void fill(std::vector<Beat>& out, size_t n);

private:
  uint16_t operand(const Format& f, Distribution d, double scale);
  Unit unit_;
  std::mt19937_64 rng_;
};

// The whole stream of a PE check: the directed beats, then random dot
// products up to `vectors` beats (never fewer than the directed ones).
// Deterministic in (unit, vectors, seed); every harness uses it.
std::vector<Beat> check_stream(const Unit& unit, uint64_t vectors, uint64_t seed);

// The stream seed of a unit: the user's seed mixed with the unit's name, so
// units see different vectors and one seed reproduces all of them.
uint64_t unit_seed(uint64_t seed, const std::string& unit_name);

} // namespace qmac::rtl
