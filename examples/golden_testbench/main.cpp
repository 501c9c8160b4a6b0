// A testbench checks a design under test against qmac's golden model.
//
// Here the "design" is a deliberately naive e4m3fn x e4m3fn -> fp16 MAC that
// accumulates in fp32 and rounds to fp16 only at the end (a common shortcut);
// the golden model rounds every step, as the hardware does. The testbench
// drives both with the same random codes and reports where they disagree.
#include <cstdio>
#include <random>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/mac.h"

int main() {
  const qmac::Format in = qmac::parse_format("e4m3fn");
  const qmac::Format fp16 = qmac::parse_format("fp16");
  const qmac::Multiplier mul(in, in);
  qmac::Accumulator golden(qmac::parse_accumulator("fp16", in, in));

  std::mt19937_64 rng(7);
  std::normal_distribution<double> gauss(0.0, 1.0);
  int dots = 1000, mismatches = 0;
  for (int d = 0; d < dots; ++d) {
    golden.clear();
    float dut = 0.0f; // the shortcut design: fp32 inside, one rounding at the end
    for (int k = 0; k < 64; ++k) {
      uint64_t a = qmac::quantize(in, gauss(rng)), b = qmac::quantize(in, gauss(rng));
      golden.add(mul(a, b));
      dut += float(mul.operand_a(a).to_double() * mul.operand_b(b).to_double());
    }
    uint64_t dut_code = qmac::quantize(fp16, double(dut));
    if (dut_code != golden.code()) ++mismatches;
  }
  std::printf("%d of %d dot products differ between the fp32-inside shortcut and "
              "per-step fp16 rounding\n",
              mismatches, dots);
  // The shortcut is not bit-exact: a testbench built on the golden model sees it.
  return mismatches > 0 ? 0 : 1;
}
