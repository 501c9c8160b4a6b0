// Runs the real qmac binary: contract spellings, exact output, and the bad-input
// rule (one line on stderr naming the problem and the input, exit status 2,
// the lines before a bad one keep their results, nothing else on stdout).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "qmac/numerics/codec.h"
#include "qmac/testing/skip.h"

#include "qmac_runner.h"

TEST_CASE("quantize prints the code and its exact value") {
  Run r = run_qmac("quantize --format e4m3fn", "448\n464\n0.1\n-0\n1e-400\n0x1.8p-3\n");
  REQUIRE(r.status == 0);
  CHECK(r.out == "0x7e 448\n0x7e 448\n0x1d 0.1015625\n0x80 -0\n0x00 0\n0x24 0.1875\n");
  CHECK(r.err.empty());
}

TEST_CASE("quantize accepts the ml_dtypes spellings with and without prefix") {
  for (const char* name : {"float8_e4m3fn", "e4m3fn", "float8_e5m2fnuz", "float4_e2m1fn", "e2m1fn",
                           "float6_e3m2fn", "e3m2fn", "e5m2fin", "e4m3_b9", "e3m2fnuz_b5"}) {
    Run r = run_qmac(std::string("quantize --format ") + name, "1\n");
    INFO(name << ": " << r.err);
    CHECK(r.status == 0);
  }
}

TEST_CASE("decode prints exact decimal expansions") {
  Run r = run_qmac("decode --format fp32", "0x00000001\n0x7f7fffff\n0xff800000\n0x7fc00000\n");
  REQUIRE(r.status == 0);
  std::string tiny = qmac::to_decimal(qmac::Value::finite(false, 1, -149));
  CHECK(r.out.substr(0, r.out.find('\n')) == tiny);
  CHECK(tiny.size() > 100); // 2^-149 has 105 significant digits
  CHECK(r.out.find("340282346638528859811704183484516925440\n") != std::string::npos);
  CHECK(r.out.find("-inf\nnan\n") != std::string::npos);
}

TEST_CASE("mac: one line per dot product, or per step with --trace") {
  std::string in = "0x38 0x38\n0x38 0x38\n\n0x40 0x40\n";
  Run r = run_qmac("mac --a e4m3fn --b e4m3fn --acc fp16", in);
  REQUIRE(r.status == 0);
  CHECK(r.out == "0x4000 2\n0x4400 4\n");
  Run t = run_qmac("mac --a e4m3fn --b e4m3fn --acc fp16 --trace", in);
  CHECK(t.out == "0x3c00 1\n0x4000 2\n0x4400 4\n");
}

TEST_CASE("mac: int8 into fx+12 prints the 28-bit two's complement register") {
  Run r = run_qmac("mac --a int8 --b int8 --acc fx+12", "0x7f 0x7f\n0x80 0x7f\n");
  REQUIRE(r.status == 0);
  CHECK(r.out == "0xfffff81 -127\n");
}

TEST_CASE("mac: intN wraps by default and saturates on request") {
  std::string in = "0x7f 0x7f\n0x7f 0x7f\n0x7f 0x7f\n"; // 3 * 16129 = 48387
  CHECK(run_qmac("mac --a int8 --b int8 --acc int16", in).out == "0xbd03 -17149\n");
  CHECK(run_qmac("mac --a int8 --b int8 --acc int16 --acc-saturate", in).out == "0x7fff 32767\n");
}

TEST_CASE("mac: float products into intN count units of the smallest product quantum") {
  // e4m3fn x e4m3fn: LSB 2^-18 (the smallest subnormal 2^-9, squared).
  std::string in = "0x38 0x38\n0x38 0x30\n"; // 1*1 + 1*0.5
  Run r = run_qmac("mac --a e4m3fn --b e4m3fn --acc int32", in);
  REQUIRE(r.status == 0);
  CHECK(r.out == "0x00060000 1.5\n");
  Run t = run_qmac("mac --a e4m3fn --b e4m3fn --acc int32 --trace",
                   in + "0x01 0x01\n0x7f 0x38\n\n0x7e 0x7e\n0xfe 0x7e\n");
  // 2^-18 is one unit; a NaN product sets the flag and leaves the register;
  // 448 * 448 = 2^35.6 units wraps (to 4096), and back.
  CHECK(t.out == "0x00040000 1\n0x00060000 1.5\n0x00060001 1.500003814697265625\n"
                 "0x00060001 nan\n0x40000000 4096\n0x00000000 0\n");
  // int16: 1.0 = 2^18 units wraps to 0, or saturates to 32767 units.
  CHECK(run_qmac("mac --a e4m3fn --b e4m3fn --acc int16", "0x38 0x38\n").out == "0x0000 0\n");
  CHECK(run_qmac("mac --a e4m3fn --b e4m3fn --acc int16 --acc-saturate", "0x38 0x38\n").out ==
        "0x7fff 0.124996185302734375\n");
  // Mixed: e4m3fn x int8, LSB 2^-9; e5m2 Inf.
  CHECK(run_qmac("mac --a e4m3fn --b int8 --acc int32", "0x30 0x03\n").out == "0x00000300 1.5\n");
  CHECK(run_qmac("mac --a e5m2 --b e5m2 --acc int64", "0x3c 0x3c\n0xfc 0x3c\n").out ==
        "0x0000000100000000 -inf\n");
}

TEST_CASE("block formats: SCALE:ELEMENT codes") {
  Run r = run_qmac("quantize --format mxfp4", "1\n-6\n0.25\n");
  REQUIRE(r.status == 0);
  CHECK(r.out == "0x7f:0x2 1\n0x7f:0xf -6\n0x7f:0x0 0\n"); // 0.25 is below half of 0.5: ties to 0
  Run d = run_qmac("decode --format mxfp8_e4m3", "0x80:0x38\n");
  CHECK(d.out == "2\n");
  // The scale rules: 3999 = 448 * 2^3.16 takes X = 3 (OCP floor: 3999 / 8
  // saturates to 448) or X = 4 (ceil: 3999 / 16 rounds to 256); NVFP4's 7 / 6
  // rounds to 1.125 by RNE, up to 1.25 by ceil.
  CHECK(run_qmac("quantize --format mxfp8_e4m3", "3999\n").out == "0x82:0x7e 3584\n");
  CHECK(run_qmac("quantize --format mxfp8_e4m3 --scale-rounding ceil", "3999\n").out ==
        "0x83:0x78 4096\n");
  CHECK(run_qmac("quantize --format mxfp8_e4m3 --scale-rounding even", "3999\n").out ==
        "0x82:0x7e 3584\n");
  CHECK(run_qmac("quantize --format nvfp4", "7\n").out == "0x39:0x7 6.75\n");
  CHECK(run_qmac("quantize --format nvfp4 --scale-rounding ceil", "7\n").out == "0x3a:0x7 7.5\n");
}

TEST_CASE("every command answers --help with exit 0") {
  for (const char* c : {"formats", "quantize", "decode", "mac", "dot", "bench"}) {
    Run r = run_qmac(std::string(c) + " --help", "");
    INFO(c);
    CHECK(r.status == 0);
    CHECK(r.out.find("usage: qmac") != std::string::npos);
  }
}

TEST_CASE("bench --dot: one row per unit, block-scaled ones included, with its baselines") {
  // Not a timing test: the rates must be positive numbers, whatever the machine.
  Run r = run_qmac("bench --dot --macs 20000 --k 64 --configs "
                   "\"mx:mxfp4:mxfp4:fp32;mx:nvfp4:nvfp4:fp32;n=8:int8:int8:int32\"",
                   "");
  REQUIRE(r.status == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line); // the header
  CHECK(line.find("products/s") != std::string::npos);
  std::vector<std::string> units;
  while (std::getline(lines, line)) {
    std::istringstream row(line);
    std::string unit, a, b, acc;
    double rate = 0, plain = 0, ratio = 0, rational = 0;
    REQUIRE(row >> unit >> a >> b >> acc >> rate >> plain >> ratio >> rational);
    CHECK(rate > 0);
    CHECK(plain > 0);
    CHECK(rational > 0);
    units.push_back(unit + ":" + a);
  }
  CHECK(units == std::vector<std::string>{"mx:mxfp4", "mx:nvfp4", "n=8:int8"});
}

TEST_CASE("formats --json lists the contract's names with exact values") {
  Run r = run_qmac("formats --json", "");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"name\": \"e4m3fn\", \"bits\": 8") != std::string::npos);
  CHECK(r.out.find("\"max_finite\": \"448\"") != std::string::npos);
  CHECK(r.out.find("\"max_finite\": \"57344\"") != std::string::npos);
  CHECK(r.out.find("\"name\": \"mxfp4\"") != std::string::npos);
}

TEST_CASE("bad input: one line naming the problem, exit 2, earlier lines kept") {
  SECTION("malformed number on line 2") {
    Run r = run_qmac("quantize --format int8", "1\nabc\n2\n");
    expect_user_error(r, "line 2");
    CHECK(r.err.find("'abc'") != std::string::npos);
    CHECK(r.out == "0x01 1\n");
  }
  SECTION("code wider than the format") {
    Run r = run_qmac("decode --format e4m3fn", "0x7e\n0x1ff\n");
    expect_user_error(r, "'0x1ff'");
    CHECK(r.out == "448\n");
  }
  SECTION("code without 0x") {
    expect_user_error(run_qmac("decode --format int4", "7\n"), "0x");
  }
  SECTION("unknown format") {
    expect_user_error(run_qmac("quantize --format e4m3xx", "1\n"), "e4m3xx");
  }
  SECTION("absurd widths") {
    expect_user_error(run_qmac("quantize --format e9m3", ""), "e9m3");
    expect_user_error(run_qmac("quantize --format int99", ""), "99");
    expect_user_error(run_qmac("quantize --format e4m30", ""), "e4m30");
    expect_user_error(run_qmac("mac --a int8 --b int8 --acc int65", ""), "int65");
    expect_user_error(run_qmac("mac --a int8 --b int8 --acc fx+99999", ""), "fx+99999");
    expect_user_error(run_qmac("quantize --format e8m3_b-2000", ""), "bias");
  }
  SECTION("unknown accumulator") {
    expect_user_error(run_qmac("mac --a int8 --b int8 --acc fp99", ""), "fp99");
  }
  SECTION("missing option") {
    expect_user_error(run_qmac("mac --a int8 --acc int32", ""), "--b");
  }
  SECTION("unknown option") {
    expect_user_error(run_qmac("quantize --format int8 --bogus", ""), "--bogus");
  }
  SECTION("unknown rounding") {
    expect_user_error(run_qmac("quantize --format int8 --rounding up", ""), "'up'");
  }
  SECTION("unknown command") {
    expect_user_error(run_qmac("frobnicate", ""), "frobnicate");
  }
  SECTION("mac line with one code") {
    Run r = run_qmac("mac --a int8 --b int8 --acc int32 --trace", "0x01 0x02\n0x03\n");
    expect_user_error(r, "line 2");
    CHECK(r.out == "0x00000002 2\n");
  }
  SECTION("NaN into a format without NaN") {
    expect_user_error(run_qmac("quantize --format int8", "nan\n"), "nan");
  }
  SECTION("empty line where a number is due") {
    expect_user_error(run_qmac("quantize --format int8", "1\n\n"), "line 2");
  }
  SECTION("binary junk") {
    expect_user_error(run_qmac("decode --format int8", std::string("\x01\xff\x00zz\n", 6)),
                      "line 1");
  }
  SECTION("Windows line endings are fine") {
    Run r = run_qmac("quantize --format int8", "1\r\n2\r\n");
    CHECK(r.status == 0);
    CHECK(r.out == "0x01 1\n0x02 2\n");
  }
  SECTION("bad --seed") {
    expect_user_error(run_qmac("quantize --format int8 --rounding stochastic --seed -3", ""),
                      "--seed");
  }
}

TEST_CASE("verify: a unit's report row, and the contract's bad inputs") {
  if (!QMAC_HAS_RTL) QMAC_SKIP("built with QMAC_RTL=OFF: there is no qmac-rtl to verify with");
  Run ok = run_qmac("verify --unit int8:int8:int32 --vectors 20000 --seed 3", "");
  REQUIRE(ok.status == 0);
  CHECK(ok.out.find("int8:int8:int32") != std::string::npos);
  CHECK(ok.out.find(" ok") != std::string::npos);
  CHECK(ok.err.empty());
  Run list = run_qmac("verify --list", "");
  CHECK(list.status == 0);
  CHECK(list.out.find("e4m3fn:e4m3fn:fp16:p0  (+ exhaustive step)") != std::string::npos);

  expect_user_error(run_qmac("verify --unit e4m3fn:e4m3fn:fp99", ""), "fp99");
  expect_user_error(run_qmac("verify --unit e4m3xx:e4m3fn:fp16", ""), "e4m3xx");
  expect_user_error(run_qmac("verify --unit e4m3fn:e4m3fn", ""), "A:B:ACC");
  expect_user_error(run_qmac("verify --unit e8m0fnu:e4m3fn:fp32", ""), "does not implement");
  expect_user_error(run_qmac("verify --unit e3m4:e2m5:fp32", ""), "not built");
  expect_user_error(run_qmac("verify --unit int8:int8:int32 --vectors 0", ""), "--vectors");
  expect_user_error(run_qmac("verify --unit int8:int8:int32 --vectors lots", ""), "--vectors");
  expect_user_error(run_qmac("verify --unit int8:int8:int32 --seed -4", ""), "--seed");
  expect_user_error(run_qmac("verify --all --unit int8:int8:int32", ""), "not both");
  expect_user_error(run_qmac("verify --exhaustive", ""), "--exhaustive");
  expect_user_error(run_qmac("verify --exhaustive --unit int8:int8:int32", ""), "step");
  expect_user_error(run_qmac("verify --fault rounding", ""), "rounding");
  for (const Run& r : {run_qmac("verify --unit e3m4:e2m5:fp32", ""),
                       run_qmac("verify --unit int8:int8:int32 --vectors 0", "")})
    CHECK(r.out.empty()); // nothing presented as a result
}

TEST_CASE("verify without qmac-rtl beside qmac: one line saying how to build it") {
  // A copy of qmac alone in a directory: the RTL commands cannot run.
  const std::string dir = "/tmp/qmac_alone_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(QMAC_BINARY, dir + "/qmac",
                             std::filesystem::copy_options::overwrite_existing);
  for (const char* args : {"verify --list", "bench --rtl", "bench --array"}) {
    INFO(args);
    const int raw =
        std::system((dir + "/qmac " + args + " >" + dir + "/out 2>" + dir + "/err").c_str());
    CHECK((WIFEXITED(raw) ? WEXITSTATUS(raw) : -1) == 1);
    const std::string err = slurp(dir + "/err");
    CHECK(err.find("qmac-rtl") != std::string::npos);
    CHECK(err.find("cmake --build build --target qmac-rtl") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(slurp(dir + "/out").empty());
  }
  std::filesystem::remove_all(dir);
}
