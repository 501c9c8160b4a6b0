// The analytical gate model against the paper it generalizes: van Baalen et
// al., "FP8 versus INT8 for efficient deep learning inference", arXiv:2303.17951,
// Figure 3 (bars read off the figure's vector drawing to about +-3 gates). The paper's numbers live
// only here.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "qmac/cost/components.h"
#include "qmac/cost/gate_model.h"

using namespace qmac;
using namespace qmac::cost;

namespace {

struct PaperBar {
  const char* input; // the paper's INT8 / FP8-Ex as qmac formats
  const char* acc;
  double mpy, alignadd, normalize, total;
};

// The paper's FP8: sign + 7 bits, subnormals, one NaN at 1000_0000, no Inf,
// bias 2^(E-1): qmac's eXmYfnuz. INT8: int8.
const PaperBar kFigure3[] = {
    {"int8", "fx+12", 421, 104, 195, 719},      {"int8", "fp16", 445, 591, 360, 1396},
    {"int8", "fp32", 445, 1085, 799, 2329},     {"e2m5fnuz", "fx+12", 330, 335, 207, 872},
    {"e2m5fnuz", "fp16", 335, 579, 360, 1274},  {"e2m5fnuz", "fp32", 335, 1073, 799, 2207},
    {"e3m4fnuz", "fx+12", 244, 409, 244, 896},  {"e3m4fnuz", "fp16", 250, 573, 360, 1183},
    {"e3m4fnuz", "fp32", 250, 1067, 799, 2116}, {"e4m3fnuz", "fx+12", 171, 567, 329, 1067},
    {"e4m3fnuz", "fp16", 183, 567, 360, 1110},  {"e4m3fnuz", "fp32", 183, 1055, 805, 2042},
    {"e5m2fnuz", "fx+12", 122, 878, 506, 1506}, {"e5m2fnuz", "fp16", 128, 567, 354, 1049},
    {"e5m2fnuz", "fp32", 128, 1049, 805, 1981},
};

GateCount model(const char* a, const char* acc, const char* b = nullptr, int pipeline = 1) {
  const Format fa = parse_format(a), fb = parse_format(b ? b : a);
  return analytic_gates(fa, fb, parse_accumulator(acc, fa, fb), pipeline);
}

} // namespace

TEST_CASE("the paper's Figure 3: every total within 3%, every block within 7%") {
  std::printf("input     acc     model: mpy alignadd normalize  total   paper total  error\n");
  for (const PaperBar& bar : kFigure3) {
    INFO(bar.input << " -> " << bar.acc);
    const GateCount g = model(bar.input, bar.acc);
    const double error = g.total() / bar.total - 1;
    std::printf("%-9s %-6s %11.0f %9.0f %9.0f %6.0f %12.0f %+6.1f%%\n", bar.input, bar.acc, g.mpy,
                g.alignadd, g.normalize, g.total(), bar.total, 100 * error);
    CHECK(std::abs(error) <= 0.03);
    CHECK(g.mpy == Approx(bar.mpy).epsilon(0.07));
    CHECK(g.alignadd == Approx(bar.alignadd).epsilon(0.07));
    CHECK(g.normalize == Approx(bar.normalize).epsilon(0.07));
  }
}

TEST_CASE("the paper's headline ratios: FP8-E4 costs +53% (fp16) and +183% (fp32) over INT8") {
  const double int8 = model("int8", "fx+12").total();
  CHECK(model("e4m3fnuz", "fp16").total() / int8 == Approx(1.54).margin(0.04));
  CHECK(model("e4m3fnuz", "fp32").total() / int8 == Approx(2.84).margin(0.08));
  // Up to E3 the fixed-point accumulator is the cheapest; at E5 it is not.
  for (const char* f : {"e2m5fnuz", "e3m4fnuz"})
    CHECK(model(f, "fx+12").total() < model(f, "fp16").total());
  CHECK(model("e5m2fnuz", "fx+12").total() > model("e5m2fnuz", "fp16").total());
}

// The gates of one named item of a count (0 if there is none).
double item(const GateCount& g, const std::string& what) {
  for (const GateItem& i : g.items)
    if (i.what == what) return i.gates;
  FAIL("no item '" << what << "'");
  return 0;
}

TEST_CASE("the items are priced by the paper's Appendix B") {
  // Each figure below is worked out by hand from Appendix B's table: an N x M
  // multiplier is N*M AND2 + (N-1)(M-1) FA + (N-1) HA, an N-bit adder (N-1) FA
  // + HA, a register N FF; AND2 1, HA 3, FA 7, FF 6.
  const GateCount e4_fx = model("e4m3fnuz", "fx+12");
  CHECK(item(e4_fx, "4x4 significand multiplier") == 16 + 9 * 7 + 3 * 3); // 88
  CHECK(item(e4_fx, "accumulator register, 49-bit") == 49 * 6);           // 294
  const GateCount i8_fx = model("int8", "fx+12");
  CHECK(item(i8_fx, "7x7 significand multiplier") == 49 + 36 * 7 + 6 * 3);    // 319
  CHECK(item(i8_fx, "adder over the product's reach, 15-bit") == 14 * 7 + 3); // 101
  const GateCount e4_fp16 = model("e4m3fnuz", "fp16");
  CHECK(item(e4_fp16, "significand adder, 16-bit") == 15 * 7 + 3); // 108
  CHECK(item(e4_fp16, "accumulator register, 16-bit") == 16 * 6);  // 96
  // Every item is priced and named.
  for (const char* acc : {"fx+12", "fp16", "int32", "bf16"})
    for (const GateItem& i : model("e4m3fn", acc, "e5m2", 2).items) {
      INFO(acc << ": " << i.what);
      CHECK(i.gates > 0);
      CHECK(!i.what.empty());
    }
}

TEST_CASE("the model follows the formats: monotone in widths, symmetric in operands") {
  // Wider operands, wider accumulators, deeper pipelines cost more.
  CHECK(model("int4", "int32").total() < model("int8", "int32").total());
  CHECK(model("int8", "int16").total() < model("int8", "int32").total());
  CHECK(model("int8", "fx+4").total() < model("int8", "fx+12").total());
  CHECK(model("e4m3fn", "bf16").total() < model("e4m3fn", "fp32").total());
  CHECK(model("float4_e2m1fn", "fp32").total() < model("e4m3fn", "fp32").total());
  CHECK(model("e4m3fn", "fp16", nullptr, 0).mpy < model("e4m3fn", "fp16", nullptr, 1).mpy);
  CHECK(model("e4m3fn", "fp16", nullptr, 3).mpy - model("e4m3fn", "fp16", nullptr, 2).mpy ==
        Approx(model("e4m3fn", "fp16", nullptr, 1).mpy - model("e4m3fn", "fp16", nullptr, 0).mpy));
  // Mixed pairs cost the same either way round.
  CHECK(model("e4m3fn", "fp32", "e5m2").total() == Approx(model("e5m2", "fp32", "e4m3fn").total()));
  CHECK(model("int8", "fx+12", "float4_e2m1fn").total() ==
        Approx(model("float4_e2m1fn", "fx+12", "int8").total()));
  // flint pays for its leading-one decoder over int of the same width.
  CHECK(model("flint4", "int32").mpy > model("int4", "int32").mpy);
  // Saturating integer accumulators pay for the clip.
  const Format i8 = parse_format("int8");
  CHECK(analytic_gates(i8, i8, parse_accumulator("int16", i8, i8, true)).total() >
        model("int8", "int16").total());
}

TEST_CASE("operand paths: significand, exponent and span of the value grid") {
  const OperandPath e4 = operand_path(parse_format("e4m3fnuz"));
  CHECK(e4.significand_bits == 4);
  CHECK(e4.exponent_bits == 4);
  CHECK(e4.span_bits == 18); // 2^-10 .. 240 < 2^8
  CHECK(e4.detects_specials);
  const OperandPath i8 = operand_path(parse_format("int8"));
  CHECK(i8.significand_bits == 7);
  CHECK(i8.exponent_bits == 0);
  const OperandPath fl8 = operand_path(parse_format("flint8"));
  CHECK(fl8.span_bits == 13); // 1 .. 4096
  CHECK(fl8.leading_one_coded);
  CHECK_FALSE(operand_path(parse_format("e4m3fin")).detects_specials);
  CHECK_THROWS_AS(operand_path(parse_format("e8m0fnu")), InputError);
  CHECK_THROWS_AS(model("int8", "int32", nullptr, 4), InputError);
}

TEST_CASE("components follow the paper's table") {
  CHECK(adder(8) == 7 * 7 + 3);
  CHECK(incrementer(12) == 33);
  CHECK(multiplier(8, 8) == 64 + 49 * 7 + 7 * 3);
  CHECK(shifter(10, 28) == 10 * 5 * 3);
  CHECK(registers(27) == 162);
  CHECK(ceil_log2(1) == 0);
  CHECK(ceil_log2(29) == 5);
}
