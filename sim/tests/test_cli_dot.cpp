// qmac dot as a user meets it: the worked example of docs/dot-units.md,
// promotion, --trace, integer units, --list, and bad input. Expected outputs
// are worked out by hand (the comments show how).
#include "qmac_runner.h"

namespace {

std::string pairs(const std::string& pair, int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s += pair + "\n";
  return s;
}

const std::string kH100 = "dot --a e4m3fn --b e4m3fn --acc fp32 --unit h100";

// 448 x 448 (0x7e) and 15 x 1 (0x57 x 0x38), then thirty 1 x 1.
const std::string kExample = "0x7e 0x7e\n0x57 0x38\n" + pairs("0x38 0x38", 30);

} // namespace

TEST_CASE("dot: the worked example, per unit") {
  // h100: the grid bit weighs 2^(16 - 13) = 8; 15 keeps 8, the ones vanish,
  // and 200712 keeps 14 significant bits: 200704 = 0x48440000.
  Run r = run_qmac(kH100, kExample);
  CHECK(r.status == 0);
  CHECK(r.out == "0x48440000 200704\n");
  // The same block without the 14-bit result, exact, and b200 (26 bits).
  CHECK(run_qmac(kH100 + ",narrow=no", kExample).out == "0x48440200 200712\n");
  CHECK(run_qmac("dot --a e4m3fn --b e4m3fn --acc fp32 --unit exact", kExample).out ==
        "0x48440b40 200749\n");
  CHECK(run_qmac("dot --a e4m3fn --b e4m3fn --acc fp32 --unit b200", kExample).out ==
        "0x48440b40 200749\n");
  // Keys alone give the same unit as the preset.
  CHECK(run_qmac("dot --a e4m3fn --b e4m3fn --acc fp32 --unit n=32,bits=14,round=rz,min-exp=-133",
                 kExample)
            .out == "0x48440000 200704\n");
}

TEST_CASE("dot: block-scaled operands (MX, NVFP4) and the tensor scale") {
  const std::string mx8 = "dot --a mxfp8_e4m3 --b mxfp8_e4m3 --acc fp32 --unit ";
  // 448 x 448 = 200704 and 31 x (1 x 2^-6): exact, 200704 + 31/64 fits fp32.
  const std::string block = "0x7f:0x7e 0x7f:0x7e\n" + pairs("0x7f:0x38 0x7f:0x08", 31);
  CHECK(run_qmac(mx8 + "mx", block).out == "0x4844001f 200704.484375\n");
  // A 24-bit window below 2^16 keeps bits down to 2^-7: still exact; a
  // 14-bit one (grid 2^3) drops the small products.
  CHECK(run_qmac(mx8 + "mx,bits=24,round=rz", block).out == "0x4844001f 200704.484375\n");
  CHECK(run_qmac(mx8 + "mx,bits=14,round=rz", block).out == "0x48440000 200704\n");
  // The E8M0 scales add exponents: 32 x (1 x 1 x 2^0 x 2^1) = 64.
  CHECK(run_qmac(mx8 + "mx", pairs("0x7f:0x38 0x80:0x38", 32)).out == "0x42800000 64\n");
  // A NaN scale (0xff) makes its block NaN.
  CHECK(run_qmac(mx8 + "mxdotp", "0xff:0x38 0x7f:0x38\n").out == "0x7fc00000 nan\n");
  // NVFP4: the E4M3 scales multiply: 16 x (1.5 x 1.125) x (1 x 1) = 27; the
  // tensor scale 0.1 is fp32 0x3dcccccd, and 27 x 0.100000001490116... =
  // 2.70000004023... rounds to 0x402ccccd.
  const std::string nv = "dot --a nvfp4 --b nvfp4 --acc fp32 --unit mx";
  CHECK(run_qmac(nv, pairs("0x39:0x3 0x38:0x2", 16)).out == "0x41d80000 27\n");
  CHECK(run_qmac(nv + " --tensor-scale 0.1", pairs("0x39:0x3 0x38:0x2", 16)).out ==
        "0x402ccccd 2.7000000476837158203125\n");
  // Bad input: a scale that changes inside a block, a signed E4M3 scale, a
  // code without its scale, an integer output, a unit for elements.
  Run r = run_qmac(mx8 + "mx", "0x7f:0x38 0x7f:0x38\n0x80:0x38 0x7f:0x38\n");
  CHECK(r.status == 2);
  CHECK(r.err == "qmac dot: line 2: scale 0x80 of mxfp8_e4m3 element 1 differs from its "
                 "block's 0x7f (one scale per 32 elements)\n");
  CHECK(run_qmac(nv, "0xb8:0x2 0x38:0x2\n").err.find("0xb8 of nvfp4 is negative") !=
        std::string::npos);
  CHECK(run_qmac(mx8 + "mx", "0x38 0x7f:0x38\n").err.find("SCALE:ELEMENT") != std::string::npos);
  CHECK(run_qmac("dot --a mxfp4 --b mxfp4 --acc int32 --unit mx", "").status == 2);
  CHECK(run_qmac(mx8 + "h100", "").err.find("does not take mxfp8_e4m3") != std::string::npos);
  CHECK(run_qmac(mx8 + "mx --tensor-scale abc", "").err.find("--tensor-scale") !=
        std::string::npos);
}

TEST_CASE("dot: blocks chain through c, and --promote adds each run into FP32") {
  // Two blocks: 448^2 with 31 ones (200704), then 32 ones. Chained, the second
  // block aligns the ones to c = 200704 (grid bit 2^(17 - 13) = 16): 200704.
  // Promoted every 32: the second run sums 32 ones from +0 (32), and FP32
  // adds it: 200736 = 0x48440800.
  const std::string input = "0x7e 0x7e\n" + pairs("0x38 0x38", 31) + pairs("0x38 0x38", 32);
  CHECK(run_qmac(kH100, input).out == "0x48440000 200704\n");
  CHECK(run_qmac(kH100 + " --promote 32", input).out == "0x48440800 200736\n");
  Run t = run_qmac(kH100 + " --promote 32 --trace", input);
  CHECK(t.out == "block 0x48440000 200704\n"
                 "promote 0x48440000 200704\n"
                 "block 0x42000000 32\n"
                 "promote 0x48440800 200736\n"
                 "0x48440800 200736\n");
  // An addend line; a blank line ends a dot product; a c line alone is c.
  CHECK(run_qmac(kH100, "c 0x3f800000\n0x38 0x38\n\nc 0xc0000000\n").out ==
        "0x40000000 2\n0xc0000000 -2\n");
}

TEST_CASE("dot: an integer unit is an exact adder tree into intN") {
  // 32 x (127 x 127) = 516128 into int32; into int16 it wraps (516128 mod 2^16
  // = 57376 -> -8160) or saturates (32767).
  const std::string input = pairs("0x7f 0x7f", 32);
  CHECK(run_qmac("dot --a int8 --b int8 --acc int32 --unit n=32", input).out ==
        "0x0007e020 516128\n");
  CHECK(run_qmac("dot --a int8 --b int8 --acc int16 --unit n=32", input).out == "0xe020 -8160\n");
  CHECK(run_qmac("dot --a int8 --b int8 --acc int16 --acc-saturate --unit n=32", input).out ==
        "0x7fff 32767\n");
}

TEST_CASE("dot --list: every preset with its parameters and source") {
  Run r = run_qmac("dot --list", "");
  CHECK(r.status == 0);
  for (const char* p : {"v100", "a100", "ada", "h100", "b200", "arm-fdot4", "arm-fdot2", "exact"})
    CHECK(r.out.find(std::string(p) + "  ") != std::string::npos);
  CHECK(r.out.find("e4m3fn,e5m2 -> fp32: n=32,bits=14,round=rz") != std::string::npos);
  CHECK(r.out.find("arXiv 2512.07004") != std::string::npos);
}

TEST_CASE("dot: bad input is one line naming it, exit 2, earlier results kept") {
  expect_user_error(run_qmac("dot --a e4m3 --b e4m3 --acc fp32 --unit h100", "0x38 0x38\n"),
                    "does not take e4m3 x e4m3");
  expect_user_error(run_qmac("dot --a e4m3fn --b e4m3fn --acc fp32 --unit h99", ""), "h99");
  expect_user_error(run_qmac(kH100 + ",bits=99", ""), "bits=99");
  expect_user_error(run_qmac(kH100 + " --promote 48", ""), "multiple of");
  expect_user_error(run_qmac("dot --a int8 --b int8 --acc int32 --unit n=32,bits=14", ""),
                    "integer unit");
  Run r = run_qmac(kH100, "0x38 0x38\n\n0x38 0x1ff\n");
  expect_user_error(r, "line 3");
  CHECK(r.out == "0x3f800000 1\n");
  expect_user_error(run_qmac(kH100, "0x38 0x38\nc 0x0\n"), "before the first pair");
}
