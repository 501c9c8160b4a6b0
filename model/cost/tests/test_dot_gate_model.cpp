// The analytical gate model of dot-product units: its shape (where the gates
// go as N, the window and the formats change) and its widths (the RTL's).
// Synthesis of the same units is compared in docs/cost.md.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "qmac/cost/components.h"
#include "qmac/cost/dot_gate_model.h"
#include "qmac/dot/presets.h"

using namespace qmac;
using namespace qmac::cost;

namespace {

GateCount dot_model(const char* unit, const char* a, const char* out, int pipeline = 1) {
  const Format f = parse_format(a);
  const AccumulatorSpec spec = parse_accumulator(out, f, f);
  return analytic_dot_gates(f, f, spec, dot::resolve_unit(unit, f, f, spec), pipeline);
}

double per_product(const char* unit, const char* a, const char* out, int n) {
  return dot_model(unit, a, out).total() / n;
}

bool has_item(const GateCount& g, const std::string& text) {
  for (const GateItem& i : g.items)
    if (i.what.find(text) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("dot gate model: the items add up to the blocks") {
  for (const char* unit : {"h100", "b200", "arm-fdot4", "n=8,bits=18,sticky=yes"}) {
    const GateCount g = dot_model(unit, "e4m3fn", "fp32");
    double sums[3] = {0, 0, 0};
    for (const GateItem& i : g.items) {
      CHECK(i.gates > 0);
      sums[int(i.block)] += i.gates;
    }
    CHECK(sums[0] == Approx(g.mpy));
    CHECK(sums[1] == Approx(g.alignadd));
    CHECK(sums[2] == Approx(g.normalize));
  }
}

TEST_CASE("dot gate model: the per-product cost of FP8 falls with N (the normalizer is shared)") {
  const double n1 = per_product("n=1,bits=14,round=rz", "e4m3fn", "fp32", 1);
  const double n4 = per_product("n=4,bits=14,round=rz", "e4m3fn", "fp32", 4);
  const double n32 = per_product("n=32,bits=14,round=rz", "e4m3fn", "fp32", 32);
  CHECK(n4 < n1);
  CHECK(n32 < n4);
  // The multipliers scale with N exactly.
  const GateCount g = dot_model("n=32,bits=14,round=rz", "e4m3fn", "fp32");
  CHECK(has_item(g, "4x4 significand multiplier, x32"));
  CHECK(g.mpy > 32 * multiplier(4, 4));
}

TEST_CASE("dot gate model: the window's widths are the RTL's") {
  // h100: 32 products and c, 14 bits + 1 kept per term, the tree 15 +
  // ceil(log2 33) + 1 = 22 bits wide.
  const GateCount h100 = dot_model("h100", "e4m3fn", "fp32");
  CHECK(has_item(h100, "onto the 15-bit window, x32"));
  CHECK(has_item(h100, "33 terms of 22-bit"));
  // A sticky bit widens every term by one.
  CHECK(has_item(dot_model("h100,sticky=yes", "e4m3fn", "fp32"), "onto the 16-bit window, x32"));
  // b200 adds c late: 32 terms in the tree, a floating-point adder after.
  const GateCount b200 = dot_model("b200", "e4m3fn", "fp32");
  CHECK(has_item(b200, "32 terms of 33-bit"));
  CHECK(has_item(b200, "late c"));
  // An exact unit into fp32 spans every bit of c, from 2^-149 to 2^128; its
  // e4m3fn products only their band, 2^-18 to 2^18.
  const GateCount arm = dot_model("arm-fdot4", "e4m3fn", "fp32");
  CHECK(has_item(arm, "c's alignment shifter onto the 277-bit window"));
  CHECK(has_item(arm, "onto the 36-bit window, x4"));
}

// (A late c is not asserted either way: it adds a floating-point adder but
// takes c, and c's exponent range, out of the alignment.)
TEST_CASE("dot gate model: wider windows, sticky bits and pipelines cost more") {
  const double w14 = dot_model("n=16,bits=14,round=rz", "e4m3fn", "fp32").total();
  const double w26 = dot_model("n=16,bits=26,round=rz", "e4m3fn", "fp32").total();
  const double exact = dot_model("n=16,bits=exact,round=rz", "e4m3fn", "fp32").total();
  CHECK(w14 < w26);
  CHECK(w26 < exact);
  CHECK(dot_model("n=16,bits=14,round=rz,sticky=yes", "e4m3fn", "fp32").total() > w14);
  double last = 0;
  for (int p = 0; p <= 3; ++p) {
    const double g = dot_model("n=16,bits=14,round=rz", "e4m3fn", "fp32", p).total();
    CHECK(g > last);
    last = g;
  }
}

TEST_CASE("dot gate model: an INT8 unit's adder tree costs less per product than FP8's "
          "alignment, and FP4 less than FP8") {
  for (int n : {4, 32}) {
    const std::string keys = "n=" + std::to_string(n);
    const double int8 = per_product(keys.c_str(), "int8", "int32", n);
    const double fp8 = per_product((keys + ",bits=14,round=rz").c_str(), "e4m3fn", "fp32", n);
    const double fp4 =
        per_product((keys + ",bits=14,round=rz").c_str(), "float4_e2m1fn", "fp32", n);
    INFO("n " << n << ": int8 " << int8 << ", fp8 " << fp8 << ", fp4 " << fp4);
    CHECK(int8 < fp8);
    CHECK(fp4 < fp8);
  }
  // The integer unit has no exponent logic at all.
  const GateCount g = dot_model("n=32", "int8", "int32");
  CHECK_FALSE(has_item(g, "maximum-exponent"));
  CHECK(has_item(g, "33 terms of 32-bit"));
}

TEST_CASE("dot gate model: refuses what it does not model") {
  CHECK_THROWS_AS(dot_model("exact", "e4m3fn", "fp32"), InputError); // n = all
  CHECK_THROWS_AS(dot_model("h100", "e4m3fn", "fp32", 4), InputError);
}

namespace {

GateCount block_model(const char* unit, const char* block, int pipeline = 1) {
  const dot::DotInput in = dot::DotInput::parse(block);
  const AccumulatorSpec spec = parse_accumulator("fp32", in.element, in.element);
  return analytic_dot_gates(in, in, spec, dot::resolve_unit(unit, in, in, spec), pipeline);
}

} // namespace

TEST_CASE("dot gate model: block-scaled units add the scale path and split exact sums") {
  // The scales are decoded once per beat, whatever N.
  const GateCount mx = block_model("mx", "mxfp8_e4m3");
  CHECK(has_item(mx, "E8M0 scale: bias and NaN"));
  CHECK(has_item(mx, "scale exponent sum"));
  CHECK(!has_item(mx, "scale significand product"));
  // An exact MX unit sums the element products on their own band and adds c
  // with one floating-point addition: cheaper than an exact e4m3fn unit whose
  // window spans c's whole range (the 32 products alike).
  CHECK(has_item(mx, "c + scaled sum"));
  CHECK(!has_item(mx, "c's alignment shifter"));
  CHECK(mx.total() < dot_model("n=32,bits=exact,round=rne", "e4m3fn", "fp32").total());
  // NVFP4: E4M3 scales multiply; a truncating unit multiplies each frame and
  // keeps 2 more window bits, so it costs more than the same MXFP4 unit.
  const GateCount nv = block_model("mx,bits=14,round=rz", "nvfp4");
  CHECK(has_item(nv, "scale significand product, 4 x 4"));
  CHECK(has_item(nv, "products times the scales' significand"));
  CHECK(nv.total() / 16 > block_model("mx,bits=14,round=rz,n=16", "mxfp4").total() / 16);
  // Items still add up to the blocks.
  for (const GateCount& g : {mx, nv}) {
    double sums[3] = {0, 0, 0};
    for (const GateItem& i : g.items)
      sums[int(i.block)] += i.gates;
    CHECK(sums[0] == Approx(g.mpy));
    CHECK(sums[1] == Approx(g.alignadd));
    CHECK(sums[2] == Approx(g.normalize));
  }
}
