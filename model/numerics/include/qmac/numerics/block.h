// Block formats: OCP Microscaling (MX v1.0) and NVFP4.
//
// A block is one shared scale code and up to block_size element codes; an
// element's value is scale * element, exactly.
//  MX (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4, mxint8): 32
//    elements, an e8m0fnu scale 2^X, X clamped to [-127, 127]; elements are
//    v / 2^X rounded to nearest even and saturated to the element's largest
//    value. A NaN or Inf in the block makes the scale NaN (every element then
//    reads NaN). An all-zero block gets X = -127. X follows a ScaleRounding:
//    the OCP rule (floor) is X = floor(log2(max|v|)) - emax(element).
//  NVFP4: 16 e2m1 elements and an e4m3fn scale s = max|v| / 6 rounded
//    (saturating) to nearest even by NVIDIA's recipe, or up or down;
//    elements are the exact quotient v / s rounded to nearest even and
//    saturated. The per-tensor fp32 scale of NVFP4 is left to the caller
//    (divide the tensor by it first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"
#include "qmac/numerics/real.h"
#include "qmac/numerics/value.h"

namespace qmac {

struct BlockFormat {
  std::string name;
  Format element;
  Format scale;
  int block_size = 32;
  bool power_of_two_scale = true; // MX: e8m0 scale; NVFP4: e4m3 scale
};

// The block format of that name, or nullopt when it is not one.
std::optional<BlockFormat> find_block_format(std::string_view name);
const std::vector<std::string>& named_block_formats();

// How a block's scale is chosen from its largest magnitude amax; M is the
// element format's largest value. MX (a power of two 2^X):
//   floor: X = floor(log2 amax) - floor(log2 M), the OCP MX v1.0 rule (the
//          largest elements may saturate);
//   ceil:  the smallest X with amax <= M * 2^X (no element saturates);
//   even:  X = log2(amax / M) rounded to the nearest integer (ties to even;
//          log2 of a rational is never an odd multiple of 1/2, so no tie
//          occurs).
// NVFP4 (an e4m3fn scale): amax / M rounded toward zero (floor), up (ceil)
// or to nearest even (even, NVIDIA's recipe).
enum class ScaleRounding : uint8_t { Floor, Ceil, Even };
ScaleRounding parse_scale_rounding(std::string_view name); // floor | ceil | even
const char* scale_rounding_name(ScaleRounding r);
// The format's published rule: floor for MX, even for NVFP4.
ScaleRounding standard_scale_rounding(const BlockFormat& f);

// The scale code of 1.0 (E8M0 127, e4m3fn 0x38): a block that reads as its
// elements alone.
uint64_t unit_scale_code(const BlockFormat& f);

struct Block {
  uint64_t scale = 0;
  std::vector<uint64_t> elements;
};

// Quantizes up to block_size reals into one block (by the format's standard
// scale rule unless given one).
Block quantize_block(const BlockFormat& f, const std::vector<Value>& values);
Block quantize_block(const BlockFormat& f, const std::vector<Value>& values, ScaleRounding rule);
// The exact value of one element of a block.
Value block_element_value(const BlockFormat& f, uint64_t scale, uint64_t element);
std::vector<Value> decode_block(const BlockFormat& f, const Block& b);

// Exact dot product of two blocks (equal lengths): sum of scale_a * scale_b * a_i * b_i
// with no rounding, in a fixed-point register wide enough for any such block pair.
struct ExactDot {
  FixedRegister sum;
  Value special; // NaN or Inf if a scale or element was one; finite otherwise
  std::string decimal() const { return special.is_finite() ? sum.decimal() : to_decimal(special); }
};
ExactDot block_dot(const BlockFormat& fa, const Block& a, const BlockFormat& fb, const Block& b);

// Rounds a wide exact value (register times 2^lsb_exp) once to a code of f.
uint64_t round_register(const FixedRegister& r, const Format& f, const RoundingOptions& opts = {});

} // namespace qmac
