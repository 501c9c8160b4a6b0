// qmac sim as a user runs it: bit-exact and cycle-exact results in text and
// JSON, workloads and topology files, waveforms, determinism, and the
// bad-input rule (one stderr line naming the problem, exit status 2).
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>

#include "qmac/testing/skip.h"
#include "qmac_runner.h"

namespace {

// The number after "key": in a JSON document (the first one: the totals).
std::string json_field(const std::string& doc, const std::string& key) {
  std::smatch m;
  const std::regex re("\"" + key + "\": ([^,\\n}]+)");
  return std::regex_search(doc, m, re) ? m[1].str() : "";
}

uint64_t json_uint(const std::string& doc, const std::string& key) {
  const std::string v = json_field(doc, key);
  REQUIRE(!v.empty());
  return std::stoull(v);
}

std::string sim_args(const std::string& array, const std::string& dataflow,
                     const std::string& rest) {
  return "sim --array " + array + " --dataflow " + dataflow + " " + rest;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/qmac_sim_" + std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST_CASE("a GEMM is bit-exact, and SystemC takes the analytical model's cycles") {
  for (const char* dataflow : {"ws", "os"})
    for (const char* formats : {"--a int8 --b int8 --acc int32", "--a e4m3fn --b e5m2 --acc fp16",
                                "--a e5m2 --b e5m2 --acc fx+12 --pipeline 2"}) {
      const std::string base = sim_args("5x3", dataflow, std::string(formats) + " --gemm 17x23x11");
      INFO(base);
      const Run sim = run_qmac(base + " --json", ""), fast = run_qmac(base + " --json --fast", "");
      REQUIRE(sim.status == 0);
      REQUIRE(fast.status == 0);
      CHECK(json_field(sim.out, "bit_exact") == "true");
      CHECK(json_field(fast.out, "bit_exact") == "null");
      CHECK(json_field(sim.out, "mode") == "\"systemc\"");
      const uint64_t cycles = json_uint(sim.out, "cycles");
      CHECK(cycles == json_uint(fast.out, "cycles"));
      CHECK(json_uint(sim.out, "macs") == 17u * 23 * 11);
      CHECK(std::stod(json_field(sim.out, "utilization")) ==
            Approx(17.0 * 23 * 11 / (15.0 * double(cycles))).epsilon(1e-12));
    }
}

TEST_CASE("output-stationary cycles follow the documented closed form") {
  // T tiles of max(K, R) beats, R flush beats, latency R + C + P - 1.
  struct Shape {
    uint64_t R, C, P, M, K, N;
  };
  for (const Shape& s :
       {Shape{4, 4, 1, 9, 3, 4}, Shape{3, 5, 0, 3, 40, 11}, Shape{2, 2, 3, 1, 1, 1}}) {
    const uint64_t T = ((s.M + s.R - 1) / s.R) * ((s.N + s.C - 1) / s.C);
    const uint64_t want = T * std::max(s.K, s.R) + s.R + (s.R + s.C + s.P - 1);
    const Run r = run_qmac(sim_args(std::to_string(s.R) + "x" + std::to_string(s.C), "os",
                                    "--a int8 --b int8 --acc int32 --json --pipeline " +
                                        std::to_string(s.P) + " --gemm " + std::to_string(s.M) +
                                        "x" + std::to_string(s.K) + "x" + std::to_string(s.N)),
                           "");
    REQUIRE(r.status == 0);
    CHECK(json_uint(r.out, "cycles") == want);
  }
}

TEST_CASE("the same seed gives the same bytes, and every distribution stays bit-exact") {
  const std::string base =
      sim_args("4x4", "ws", "--a e4m3fn --b e4m3fn --acc bf16 --gemm 9x30x7 --json");
  const Run a = run_qmac(base + " --seed 5", ""), b = run_qmac(base + " --seed 5", "");
  REQUIRE(a.status == 0);
  CHECK(a.out == b.out);
  for (const char* dist : {"gaussian", "uniform", "laplace", "student-t", "codes"}) {
    const Run r = run_qmac(base + " --dist " + dist, "");
    INFO(dist);
    REQUIRE(r.status == 0);
    CHECK(json_field(r.out, "bit_exact") == "true");
  }
}

TEST_CASE("built-in workloads: MACs from the model dimensions, timing by the analytical model") {
  const Run r = run_qmac(sim_args("16x16", "ws",
                                  "--a int8 --b int8 --acc int32 --workload "
                                  "bert-base --fast --json"),
                         "");
  REQUIRE(r.status == 0);
  // One BERT-base encoder layer at sequence 128: Q, K, V, O projections,
  // scores and context over 12 heads of 64, FFN 768 -> 3072 -> 768.
  const uint64_t S = 128, H = 768, F = 3072, heads = 12, d = 64;
  CHECK(json_uint(r.out, "macs") == S * H * H * 4 + 2 * heads * S * S * d + 2 * S * H * F);
  const Run list = run_qmac("sim --list", "");
  REQUIRE(list.status == 0);
  for (const char* w : {"resnet50", "bert-base", "llm7b-prefill", "llm7b-decode"})
    CHECK(list.out.find(w) != std::string::npos);
  // Too big to simulate by default: refused before anything runs, pointing at --fast.
  const Run big = run_qmac(sim_args("32x32", "os",
                                    "--a int8 --b int8 --acc int32 --workload "
                                    "llm7b-prefill"),
                           "");
  expect_user_error(big, "--fast");
  CHECK(big.out.empty());
}

TEST_CASE("a SCALE-Sim topology file runs layer by layer") {
  const std::string good =
      write_file("good.csv", "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                             "Channels, Num Filter, Strides,\n"
                             "conv1, 9, 9, 3, 3, 2, 5, 2,\n"
                             "conv2, 6, 6, 1, 1, 5, 3, 1,\n");
  const Run r = run_qmac(
      sim_args("4x4", "os", "--a int8 --b int8 --acc int32 --json --topology " + good), "");
  REQUIRE(r.status == 0);
  CHECK(json_field(r.out, "bit_exact") == "true");
  // conv1: 4x4 outputs, K = 3*3*2, N = 5; conv2: 6x6 outputs, K = 5, N = 3.
  CHECK(json_uint(r.out, "macs") == 16u * 18 * 5 + 36u * 5 * 3);
  const std::string bad = write_file("bad.csv", "Layer name, IFMAP Height, IFMAP Width, Filter "
                                                "Height, Filter Width, Channels, Num Filter, "
                                                "Strides,\nconv1, 9, 9, 3, 3, 2, 5, 2,\nconv2, 6, "
                                                "six, 1, 1, 5, 3, 1,\n");
  expect_user_error(
      run_qmac(sim_args("4x4", "os", "--a int8 --b int8 --acc int32 --topology " + bad), ""),
      bad + ":3:");
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

TEST_CASE("a VCD waveform of the ports and the PEs, with --trace") {
  const std::string path = "/tmp/qmac_sim_trace_" + std::to_string(getpid()) + ".vcd";
  const Run r = run_qmac(
      sim_args("2x3", "ws", "--a int8 --b int8 --acc int32 --gemm 3x4x5 --trace " + path), "");
  REQUIRE(r.status == 0);
  const std::string vcd = slurp(path);
  CHECK(vcd.find("$enddefinitions") != std::string::npos);
  CHECK(vcd.find("pe_1_2") != std::string::npos);                // the last PE's register
  CHECK(vcd.find("$scope module in $end") != std::string::npos); // the input port...
  CHECK(vcd.find(" a1 [31:0]") != std::string::npos);            // ...its second row's operand
  CHECK(std::count(vcd.begin(), vcd.end(), '#') > 10);           // time steps with changes
  std::remove(path.c_str());
  expect_user_error(run_qmac(sim_args("2x3", "ws",
                                      "--a int8 --b int8 --acc int32 --gemm 3x4x5 "
                                      "--trace /nonexistent/dir/t.vcd"),
                             ""),
                    "/nonexistent/dir/t.vcd");
}

TEST_CASE("bad input: one line naming it, exit status 2, nothing on stdout") {
  const std::string ok = "--a int8 --b int8 --acc int32 --gemm 4x4x4";
  struct Bad {
    std::string args, needle;
  };
  const std::vector<Bad> cases = {
      {"sim --array 0x4 --dataflow ws " + ok, "0x4"},
      {"sim --array 100000x100000 --dataflow ws " + ok, "100000x100000"},
      {"sim --array 4x --dataflow ws " + ok, "4x"},
      {"sim --array 4by4 --dataflow ws " + ok, "4by4"},
      {"sim --array 4x4 --dataflow xs " + ok, "xs"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 0x4x4", "0x4x4"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 4x4", "4x4"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 99999999999x4x4", "99999999999x4x4"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 2147483648x2147483648x2147483648",
       "2147483648x2147483648x2147483648"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --workload resnet51", "resnet51"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --topology /nonexistent.csv",
       "/nonexistent.csv"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32", "--gemm"},
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 4x4x4 --workload bert-base", "--gemm"},
      {"sim --array 4x4 --a int9q --b int8 --acc int32 --gemm 4x4x4", "int9q"},
      {"sim --array 4x4 --a mxfp8_e4m3 --b int8 --acc int32 --gemm 4x4x4", "mxfp8_e4m3"},
      {"sim --array 4x4 --a fp32 --b int8 --acc int32 --gemm 4x4x4", "fp32"},
      {"sim --array 4x4 --a e5m2 --b e5m2 --acc fx+70 --gemm 4x4x4", "fx+70"},
      {"sim --array 4x4 " + ok + " --pipeline 7", "--pipeline"},
      {"sim --array 4x4 " + ok + " --dist cauchy", "cauchy"},
      {"sim --array 4x4 " + ok + " --max-macs 10", "--max-macs"},
      {"sim --array 4x4 " + ok + " --fast --trace /tmp/x.vcd", "--trace"},
      {"sim --array 4x4 " + ok + " --bogus", "--bogus"},
      // 10^5 x 10^5 results would need hundreds of GiB: refused up front.
      {"sim --array 4x4 --a int8 --b int8 --acc int32 --gemm 100000x1x100000 "
       "--max-macs 100000000000",
       "GiB of memory; this machine has"},
  };
  for (const Bad& b : cases) {
    INFO(b.args);
    const Run r = run_qmac(b.args, "");
    expect_user_error(r, b.needle);
    CHECK(r.out.empty());
  }
}

TEST_CASE(
    "bench --array: the SystemC and the Verilated RTL array agree, the analytical model too") {
  if (!QMAC_HAS_RTL) QMAC_SKIP("built with QMAC_RTL=OFF: there is no qmac-rtl to bench with");
  // 8x8 int8 -> int32 ws is built as a benchmark array (testbench/arrays/arrays.txt).
  const Run r = run_qmac("bench --array --sizes 8 --pe-cycles 200000 --seed 3", "");
  REQUIRE(r.status == 0);
  INFO(r.out);
  std::smatch m;
  const std::regex row(R"(\n 8x8 .* M +[0-9.]+ M +[0-9.]+x +(\w+) .* (\w+)\n)");
  REQUIRE(std::regex_search(r.out, m, row));
  CHECK(m[1].str() == "yes"); // same results and cycles, SystemC and RTL
  CHECK(m[2].str() == "yes"); // the analytical model's cycles are SystemC's
  // A configuration without an RTL array still measures SystemC.
  const Run sc_only = run_qmac("bench --array --sizes 3 --dataflow os --pe-cycles 10000", "");
  REQUIRE(sc_only.status == 0);
  CHECK(sc_only.out.find("not built") != std::string::npos);
  for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
           {"bench --array --sizes 0", "'0'"},
           {"bench --array --sizes 8x16", "8x16"},
           {"bench --array --sizes 600", "600"},
           {"bench --array --pe-cycles 1e12", "--pe-cycles"},
           {"bench --array --a mxfp8_e4m3", "mxfp8_e4m3"}}) {
    INFO(args);
    const Run bad = run_qmac(args, "");
    expect_user_error(bad, needle);
    CHECK(bad.out.empty());
  }
}

namespace {
std::string base_for_blocks() {
  return "sim --array 2x2 --a mxfp4 --b mxfp4 --acc fp32 --gemm 4x64x4 ";
}
} // namespace

TEST_CASE("an array of dot units (--unit): bit-exact, the analytic model's cycles, and refusals") {
  const std::string args =
      "sim --array 3x5 --unit h100,n=8 --a e4m3fn --b e4m3fn --acc fp32 --gemm 7x100x11 ";
  const Run sc = run_qmac(args + "--pipeline 2 --json", "");
  INFO(sc.err);
  REQUIRE(sc.status == 0);
  CHECK(json_field(sc.out, "bit_exact") == "true");
  CHECK(json_field(sc.out, "mode") == "\"systemc\"");
  CHECK(json_uint(sc.out, "n") == 8);
  CHECK(json_uint(sc.out, "products_per_cycle") == 3 * 5 * 8);
  CHECK(json_uint(sc.out, "products") == 7ull * 100 * 11);
  // The closed form: T = 3 x 3 = 9 tiles of B = 13 blocks, L = 3 lanes,
  // G = 3 groups: (G - 1) L B + (B - 1) L + (T - 1) mod L + 1 + P.
  const uint64_t cycles = json_uint(sc.out, "cycles");
  CHECK(cycles == 2 * 3 * 13 + 12 * 3 + 8 % 3 + 1 + 2);
  const Run fast = run_qmac(args + "--pipeline 2 --fast --json", "");
  REQUIRE(fast.status == 0);
  CHECK(json_uint(fast.out, "cycles") == cycles);
  CHECK(json_field(fast.out, "bit_exact") == "null");
  // An integer unit on a built-in network, in text.
  const Run text =
      run_qmac("sim --array 4x4 --unit n=16 --a int8 --b int8 --acc int32 --gemm 9x64x5 "
               "--dist llm-outliers",
               "");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("bit-exact: yes") != std::string::npos);
  CHECK(text.out.find("16 products per PE per cycle") != std::string::npos);
  // Block-scaled operands: MXFP8 and NVFP4, quantized in blocks along K
  // (K = 100 is no multiple of 32: each row's last block is short).
  for (const char* formats : {"--a mxfp8_e4m3 --b mxfp8_e4m3 --unit mx", "--a nvfp4 --b nvfp4 "
                                                                         "--unit mx,n=8"}) {
    const Run mx =
        run_qmac(std::string("sim --array 2x3 --acc fp32 --gemm 5x100x4 --json ") + formats, "");
    INFO(formats << ": " << mx.err);
    REQUIRE(mx.status == 0);
    CHECK(json_field(mx.out, "bit_exact") == "true");
  }
  expect_user_error(run_qmac(base_for_blocks() + "--unit mx,n=64", ""), "does not divide");
  // The same seed, the same bytes.
  CHECK(run_qmac(args + "--json --seed 3", "").out == run_qmac(args + "--json --seed 3", "").out);
  const std::string base = "sim --array 4x4 --a e4m3fn --b e4m3fn --acc fp32 --gemm 4x4x4 ";
  for (const auto& [extra, needle] : std::vector<std::pair<std::string, std::string>>{
           {"--unit exact", "n = all"},
           {"--unit h100 --dataflow ws", "--dataflow"},
           {"--unit h100 --ftz", "--ftz"},
           {"--unit h200", "h200"},
           {"--unit n=128", "n=128"},
           {"--unit h100 --pipeline 4", "--pipeline"},
           {"--unit h100 --fast --trace x.vcd", "--trace"}}) {
    INFO(extra);
    expect_user_error(run_qmac(base + extra, ""), needle);
  }
}
