// The workload layer: GEMM shape parsing, the built-in networks' MAC totals
// (recomputed here from the model dimensions), SCALE-Sim topology lowering and every
// error the topology reader reports, with its path and line number.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "workload.h"

using qmac::InputError;
using namespace qmac::sim;

// Failing comparisons print the shapes.
namespace Catch {
template <> struct StringMaker<GemmShape> {
  static std::string convert(const GemmShape& g) {
    return "{" + g.name + " " + std::to_string(g.M) + "x" + std::to_string(g.K) + "x" +
           std::to_string(g.N) + " count " + std::to_string(g.count) + "}";
  }
};
} // namespace Catch

namespace {

// The message of the InputError `f` throws ("" if it throws nothing).
template <typename F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string topology_error(const std::string& text) {
  return error_of([&] { parse_topology(text, "dir/t.csv"); });
}

const char* const kConvHeader = "Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                                "Filter Width, Channels, Num Filter, Strides,\n";

uint64_t macs_of(const Workload& w, const std::string& layer) {
  for (const GemmShape& g : w.layers)
    if (g.name == layer) return g.macs();
  FAIL("no layer " << layer);
  return 0;
}

} // namespace

TEST_CASE("parse_gemm accepts MxKxN") {
  const GemmShape g = parse_gemm("128x256x64");
  CHECK(g.M == 128);
  CHECK(g.K == 256);
  CHECK(g.N == 64);
  CHECK(g.count == 1);
  CHECK(g.name == "128x256x64");
  CHECK(g.macs() == 128u * 256u * 64u);

  CHECK(parse_gemm("1x1x1").macs() == 1);
  CHECK(parse_gemm("3X5x7").K == 5);
  CHECK(parse_gemm("007x1x1").M == 7);
  const GemmShape big = parse_gemm("2147483648x2147483648x1"); // 2^31 each: at the limit
  CHECK(big.M == (uint64_t{1} << 31));
  CHECK(big.macs() == (uint64_t{1} << 62));
}

TEST_CASE("parse_gemm refuses bad shapes, naming the text") {
  for (const char* bad : {"",
                          "0x8x8",
                          "8x0x8",
                          "8x8x0",
                          "-1x8x8",
                          "8x-8x8",
                          "8x8",
                          "8",
                          "8x8x",
                          "x8x8",
                          "8xx8x8",
                          "8x8x8x8",
                          "axbxc",
                          "8x8x8 ",
                          " 8x8x8",
                          "8*8*8",
                          "1.5x8x8",
                          "+8x8x8",
                          "2147483649x1x1",                      // 2^31 + 1
                          "99999999999999999999999x1x1",         // beyond 64 bits
                          "2147483648x2147483648x2147483648"}) { // each ok, MACs = 2^93
    INFO("text: '" << bad << "'");
    const std::string msg = error_of([&] { parse_gemm(bad); });
    REQUIRE(!msg.empty());
    CHECK(msg.find(std::string("'") + bad + "'") != std::string::npos);
    CHECK(msg.back() != '\n');
  }
}

TEST_CASE("GemmShape and Workload MAC counts refuse 64-bit overflow") {
  GemmShape g{"big", uint64_t{1} << 31, uint64_t{1} << 31, uint64_t{1} << 1, 1};
  CHECK(g.macs() == (uint64_t{1} << 63));
  g.count = 2; // 2^64
  CHECK_THROWS_AS(g.macs(), InputError);
  CHECK(error_of([&] { g.macs(); }).find("big") != std::string::npos);

  Workload w{"w",
             "",
             {{"a", uint64_t{1} << 31, uint64_t{1} << 31, 2, 1},
              {"b", uint64_t{1} << 31, uint64_t{1} << 31, 2, 1}}};
  CHECK_THROWS_AS(w.macs(), InputError);
  w.layers.pop_back();
  CHECK(w.macs() == (uint64_t{1} << 63));
}

TEST_CASE("built-in workload names and unknown names") {
  CHECK(builtin_workload_names() ==
        std::vector<std::string>{"resnet50", "bert-base", "llm7b-prefill", "llm7b-decode"});
  for (const std::string& n : builtin_workload_names()) {
    INFO(n);
    const Workload w = builtin_workload(n);
    CHECK(w.name == n);
    CHECK(!w.description.empty());
    REQUIRE(!w.layers.empty());
    for (const GemmShape& g : w.layers) {
      INFO(g.name);
      CHECK(!g.name.empty());
      CHECK(g.M >= 1);
      CHECK(g.K >= 1);
      CHECK(g.N >= 1);
      CHECK(g.count >= 1);
      CHECK(g.M <= kMaxGemmDim);
      CHECK(g.K <= kMaxGemmDim);
      CHECK(g.N <= kMaxGemmDim);
    }
    CHECK(builtin_workload(n) == w); // deterministic
  }
  const std::string msg = error_of([] { builtin_workload("resnet"); });
  CHECK(msg == "unknown workload 'resnet' (known: resnet50, bert-base, llm7b-prefill, "
               "llm7b-decode)");
  CHECK_THROWS_AS(builtin_workload("ResNet50"), InputError);
  CHECK_THROWS_AS(builtin_workload(""), InputError);
}

TEST_CASE("bert-base: MACs from the model dimensions") {
  const uint64_t s = 128, d = 768, h = 12, dh = 64, f = 3072;
  const uint64_t projections = 4 * s * d * d;    // Q, K, V, output
  const uint64_t attention = 2 * h * s * s * dh; // scores and scores x V, every head
  const uint64_t ffn = 2 * s * d * f;
  const Workload w = builtin_workload("bert-base");
  CHECK(w.macs() == projections + attention + ffn);
  CHECK(w.macs() == 931135488u);
  CHECK(w.description.find("128") != std::string::npos);
  CHECK(w.description.find("batch 1") != std::string::npos);

  const GemmShape& scores = w.layers.at(3);
  CHECK(scores == GemmShape{"attn_scores", 128, 64, 128, 12});
  CHECK(w.layers.at(4) == GemmShape{"attn_v", 128, 128, 64, 12});
  CHECK(macs_of(w, "ffn_up") == s * d * f);
  CHECK(macs_of(w, "ffn_down") == s * d * f);
}

TEST_CASE("llm7b prefill and decode: MACs from the model dimensions") {
  const uint64_t d = 4096, h = 32, dh = 128, f = 11008, ctx = 2048;
  for (uint64_t t : {uint64_t{2048}, uint64_t{1}}) {
    const Workload w = builtin_workload(t == 1 ? "llm7b-decode" : "llm7b-prefill");
    INFO(w.name);
    const uint64_t projections = 4 * t * d * d;      // Q, K, V, O
    const uint64_t attention = 2 * h * t * ctx * dh; // scores and AV per head
    const uint64_t ffn = 3 * t * d * f;              // SwiGLU: gate, up, down
    CHECK(w.macs() == projections + attention + ffn);
    CHECK(w.layers.size() == 9);
    for (const GemmShape& g : w.layers)
      CHECK(g.M == t);
  }
  CHECK(builtin_workload("llm7b-prefill").macs() == 448824082432u);
  CHECK(builtin_workload("llm7b-decode").macs() == 219152384u);
  const Workload dec = builtin_workload("llm7b-decode");
  CHECK(dec.layers.at(3) == GemmShape{"attn_scores", 1, 128, 2048, 32});
  CHECK(dec.layers.at(4) == GemmShape{"attn_v", 1, 2048, 128, 32});
}

TEST_CASE("resnet50: 53 convolutions and the FC layer, ~4.1 GMACs") {
  const Workload w = builtin_workload("resnet50");
  REQUIRE(w.layers.size() == 54);
  CHECK(w.layers.front() == GemmShape{"conv1", 112 * 112, 7 * 7 * 3, 64, 1});
  CHECK(w.layers.back() == GemmShape{"fc", 1, 2048, 1000, 1});
  int downsample = 0;
  for (const GemmShape& g : w.layers)
    downsample += g.name.find("downsample") != std::string::npos;
  CHECK(downsample == 4);

  // v1.5: stage 2's first 1x1 runs at 56x56, its 3x3 does the stride.
  CHECK(w.layers.at(11) == GemmShape{"layer2.0.conv1", 56 * 56, 256, 128, 1});
  CHECK(w.layers.at(12) == GemmShape{"layer2.0.conv2", 28 * 28, 9 * 128, 128, 1});
  CHECK(w.layers.at(14) == GemmShape{"layer2.0.downsample", 28 * 28, 256, 512, 1});
  CHECK(w.layers.at(52) == GemmShape{"layer4.2.conv3", 7 * 7, 512, 2048, 1});

  const uint64_t fc = 2048 * 1000;
  const uint64_t conv = w.macs() - fc;
  CHECK(conv >= 3800000000u);
  CHECK(conv <= 4200000000u);
  CHECK(conv == 4087136256u); // the commonly quoted 4.09 GMACs
}

TEST_CASE("convolution topology: lowering on hand-computed rows") {
  const Workload w = parse_topology(std::string(kConvHeader) +
                                        // 224 + 2*3 padding: (230-7)/2+1 = 112
                                        "stem, 230, 230, 7, 7, 3, 64, 2,\n"
                                        // rectangular: (20-3)/1+1 = 18, (10-5)/1+1 = 6
                                        "rect, 20, 10, 3, 5, 8, 16, 1\n"
                                        // (9-3)/4+1 = 2 (integer division), (9-1)/4+1 = 3
                                        "odd, 9, 9, 3, 1, 2, 5, 4,\n"
                                        // the filter as large as the ifmap: one pixel
                                        "full, 4, 4, 4, 4, 1, 1, 3,\n",
                                    "nets/small.net.csv");
  REQUIRE(w.layers.size() == 4);
  CHECK(w.name == "small.net");
  CHECK(w.layers[0] == GemmShape{"stem", 112 * 112, 7 * 7 * 3, 64, 1});
  CHECK(w.layers[1] == GemmShape{"rect", 18 * 6, 3 * 5 * 8, 16, 1});
  CHECK(w.layers[2] == GemmShape{"odd", 2 * 3, 3 * 1 * 2, 5, 1});
  CHECK(w.layers[3] == GemmShape{"full", 1, 16, 1, 1});
  CHECK(w.description.find("convolution") != std::string::npos);
}

TEST_CASE("topology text variants: CRLF, blank lines, BOM, spaces, no trailing comma") {
  const Workload a = parse_topology(std::string(kConvHeader) + "c, 8, 8, 3, 3, 4, 2, 1,\n", "a");
  const Workload b = parse_topology("\xEF\xBB\xBF\r\n"
                                    "Layer name,IFMAP Height,IFMAP Width,Filter Height,Filter "
                                    "Width,Channels,Num Filter,Strides\r\n"
                                    "\r\n   \r\n,,,, ,,,,\r\n,,,,,,,,,,,,\r\n"
                                    "  c ,8,\t8,3,3,4,2,1 ,  \r\n"
                                    "\r\n",
                                    "a");
  CHECK(a.layers == b.layers);
  CHECK(a.layers.at(0) == GemmShape{"c", 36, 36, 2, 1});
  // No newline at the end, a row without a name.
  const Workload c = parse_topology("Layer, M, N, K\n,2,3,4", "c.csv");
  CHECK(c.layers.at(0) == GemmShape{"layer1", 2, 4, 3, 1});
}

TEST_CASE("GEMM topology: SCALE-Sim's M, N, K columns map to our M, K, N") {
  const Workload w = parse_topology("Layer, M, N, K,\n"
                                    "QKT, 1024, 1024, 64,\n"
                                    "Linear, 1024, 4800, 1600,\n"
                                    "tiny, 1, 2, 3\n",
                                    "gpt.csv");
  REQUIRE(w.layers.size() == 3);
  CHECK(w.layers[0] == GemmShape{"QKT", 1024, 64, 1024, 1});
  CHECK(w.layers[1] == GemmShape{"Linear", 1024, 1600, 4800, 1});
  CHECK(w.layers[2] == GemmShape{"tiny", 1, 3, 2, 1});
  CHECK(w.macs() == uint64_t{1024} * 64 * 1024 + uint64_t{1024} * 1600 * 4800 + 6);
  CHECK(w.description.find("GEMM") != std::string::npos);
  // Header spelling is case-insensitive, "Layer Name" as in SCALE-Sim's own files.
  CHECK(parse_topology("Layer Name, m, n, k,\nx, 5, 6, 7,", "g").layers.at(0) ==
        GemmShape{"x", 5, 7, 6, 1});
}

TEST_CASE("topology errors name the path and the line") {
  struct Case {
    std::string text;
    int line;
    std::string problem; // a piece of the message
  };
  const std::string h = kConvHeader;                   // line 1
  const std::string ok = "ok, 8, 8, 3, 3, 1, 1, 1,\n"; // a good row
  const Case cases[] = {
      {"", 1, "empty"},
      {"\n  \n\r\n", 1, "empty"},
      {",,,,,,,,\n", 1, "empty"},
      {h, 1, "no layers"},
      {"\n" + h + "\n\n", 2, "no layers"},
      {"c, 8, 8, 3, 3, 1, 1, 1,\n" + ok, 1, "header"}, // header missing
      {"Layer, M, K, N,\nx, 1, 2, 3,\n", 1, "'Layer, M, N, K'"},
      {"Layer, M\nx, 1\n", 1, "'Layer, M, N, K'"},
      // field counts
      {h + ok + "c, 8, 8, 3, 3, 1, 1,\n", 3, "Strides is empty"}, // the comma makes 8 fields
      {h + ok + "c, 8, 8, 3, 3, 1,\n", 3, "expected 8 fields"},
      {h + ok + "c, 8, 8, 3, 3, 1, 1\n", 3, "found 7"},
      {h + "\n\nc, 8, 8, 3, 3, 1, 1, 1, 5\n", 4, "found 9"},
      {h + "c, 8, 8, 3, 3, 1, 1, 1,,\n", 2, "found 10"},
      {h + "c, 8, 8, 3, 3, 1, 1, 1,,,110,110,12100\n", 2, "expected 8 fields"},
      {"Layer, M, N, K,\nx, 1, 2,\n", 2, "K is empty"},
      {"Layer, M, N, K,\nx, 1\n", 2, "expected 4 fields (Layer, M, N, K), found 2"},
      {"Layer, M, N, K,\nx, 1, 2, 3, 4\n", 2, "found 5"},
      // fields
      {h + ok + ok + "c, 8, 8, 3, x, 1, 1, 1,\n", 4, "Filter Width is not a positive integer (x)"},
      {h + "c, 8, 8, 3, 3, 1.5, 1, 1,\n", 2, "Channels is not a positive integer (1.5)"},
      {h + "c, -8, 8, 3, 3, 1, 1, 1,\n", 2, "IFMAP Height is not a positive integer (-8)"},
      {h + "c, 8, 8, 3, 3, 1, 0, 1,\n", 2, "Num Filter must be at least 1 (0)"},
      {h + "c, 8, 8, 3, 3, 1, 1, 0,\n", 2, "Strides must be at least 1 (0)"},
      {h + "c, 8, 8, 3, 3, 1, 1, ,\n", 2, "Strides is empty"},
      {h + "c, 8, 8, 3, 3, 1, 1, 99999999999999999999999,\n", 2, "Strides is above the limit"},
      {"Layer, M, N, K,\nx, 1, 0, 3,\n", 2, "N must be at least 1 (0)"},
      {"Layer, M, N, K,\r\nx, 1, 2, 3,\r\ny, 1, 2, K,\r\n", 3, "K is not a positive integer (K)"},
      {"Layer, M, N, K,\nx, 2147483649, 2, 3,\n", 2, "M is above the limit 2^31"},
      // shapes
      {h + ok + "c, 8, 8, 9, 3, 1, 1, 1,\n", 3, "Filter Height 9 is larger than IFMAP Height 8"},
      {h + "c, 8, 2, 3, 3, 1, 1, 1,\n", 2, "Filter Width 3 is larger than IFMAP Width 2"},
      {"Layer, M, N, K,\nx, 2147483648, 2147483648, 2147483648,\n", 2, "overflows 64 bits"},
      {h + "c, 2147483648, 2147483648, 1, 1, 1, 1, 1,\n", 2, "above the limit 2^31"},
      {h + "c, 65536, 65536, 65536, 65536, 65536, 1, 1,\n", 2,
       "1x281474976710656x1 has a dimension above the limit"},
      {h + "c, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 1, 1,\n", 2,
       "overflows 64 bits"},
      {"Layer, M, N, K,\na, 2147483648, 2147483648, 2,\nb, 2147483648, 2147483648, 2,\n", 3,
       "total MAC count"},
  };
  for (const Case& c : cases) {
    INFO("text: " << c.text);
    const std::string msg = topology_error(c.text);
    REQUIRE(!msg.empty());
    const std::string where = "dir/t.csv:" + std::to_string(c.line) + ": ";
    CHECK(msg.rfind(where, 0) == 0);
    CHECK(msg.find(c.problem) != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
    CHECK(msg.find('\r') == std::string::npos);
  }
}

TEST_CASE("read_topology: unreadable paths") {
  const std::string missing = "/nonexistent/dir/none.csv";
  const std::string msg = error_of([&] { read_topology(missing); });
  CHECK(msg.rfind(missing + ": cannot read", 0) == 0);
  const std::string dir = error_of([] { read_topology(QMAC_TOPOLOGY_DIR); });
  CHECK(dir.rfind(std::string(QMAC_TOPOLOGY_DIR) + ": cannot read", 0) == 0);
}

TEST_CASE("example topologies: resnet50.csv lowers to the built-in resnet50") {
  const std::string dir = QMAC_TOPOLOGY_DIR;
  const Workload file = read_topology(dir + "/resnet50.csv");
  const Workload builtin = builtin_workload("resnet50");
  CHECK(file.name == "resnet50");
  CHECK(file.layers == builtin.layers);
  CHECK(read_topology(dir + "/resnet50.csv") == file); // deterministic

  const Workload bert = read_topology(dir + "/bert_base_gemm.csv");
  CHECK(bert.layers.size() == 30); // one row per attention head
  CHECK(bert.macs() == builtin_workload("bert-base").macs());

  const Workload tiny = read_topology(dir + "/tiny_cnn.csv");
  REQUIRE(tiny.layers.size() == 4);
  CHECK(tiny.layers[0] == GemmShape{"conv1", 32 * 32, 3 * 3 * 3, 16, 1});  // (34-3)/1+1
  CHECK(tiny.layers[1] == GemmShape{"conv2", 16 * 16, 3 * 3 * 16, 32, 1}); // (34-3)/2+1
  CHECK(tiny.layers[2] == GemmShape{"conv3", 16 * 16, 32, 64, 1});
  CHECK(tiny.layers[3] == GemmShape{"fc", 1, 16 * 16 * 64, 10, 1});
}
