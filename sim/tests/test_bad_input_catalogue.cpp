// The bad-input catalogue: malformed inputs across every command, each of
// which must give exit status 2, exactly one line on stderr that names the
// problem, and nothing on stdout. Inputs come as options, on stdin, and as
// files (topology CSVs, sweep YAMLs): empty, binary junk, huge numbers,
// negative sizes, unknown and duplicated keys, truncated lines, codes wider
// than the format. Windows line endings, which are not an error, must give
// the same output as Unix ones.
#include <catch2/catch.hpp>

#include <filesystem>

#include "qmac_runner.h"

namespace {

namespace fs = std::filesystem;

struct Bad {
  std::string args;  // after `qmac`; FILE is replaced by the path of `file`
  std::string input; // stdin
  std::string needle;
  std::string file = ""; // the contents of FILE, if the case uses one
};

std::string scratch() {
  static const fs::path dir =
      fs::temp_directory_path() / ("qmac_catalogue_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir.string();
}

// A directory holding a results.csv, enough for `report --from` to go on.
std::string results_dir() {
  const std::string dir = scratch() + "/results";
  fs::create_directories(dir);
  std::ofstream(dir + "/results.csv") << "id\n";
  return dir;
}

const std::string kJunk = std::string("\x00\x01\xfe\xff\x7f junk \x1b[31m", 16);
const std::string kDot = "dot --a e4m3fn --b e4m3fn --acc fp32 --unit ";
const std::string kSim = "sim --array 4x4 --a int8 --b int8 --acc int32 ";
const std::string kSweepOk = "formats: [int8]\naccumulators: [int32]\nsynthesis: false\n";
const std::string kTopoHeader = "Layer, M, N, K,\n";

// A message a terminal shows as one line of text: no control bytes but the
// final newline, and only well-formed UTF-8 (checked loosely: no bytes that
// never occur in UTF-8).
bool terminal_safe(const std::string& err) {
  for (size_t i = 0; i + 1 < err.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(err[i]);
    if (c < 0x20 || c == 0x7f || c == 0xc0 || c == 0xc1 || c >= 0xf5) return false;
  }
  return true;
}

std::vector<Bad> catalogue() {
  std::vector<Bad> c = {
      // The command itself.
      {"nosuchcommand", "", "nosuchcommand"},
      {"formats --bogus", "", "--bogus"},
      {"formats extra", "", "extra"},
      // quantize: numbers on stdin.
      {"quantize --format e4m3fn", "\n", "empty line"},
      {"quantize --format e4m3fn", "abc\n", "abc"},
      {"quantize --format e4m3fn", "-\n", "'-'"},
      {"quantize --format e4m3fn", "1.5.2\n", "1.5.2"},
      {"quantize --format e4m3fn", "0x1.8q3\n", "0x1.8q3"},
      {"quantize --format e4m3fn", "1e\n", "1e"},
      {"quantize --format e4m3fn", "1 2\n", "1 2"},
      {"quantize --format e4m3fn", kJunk + "\n", "line 1"},
      {"quantize --format e4m3fn", "0x\n", "0x"},
      {"quantize --format e4m3fn", "--5\n", "--5"},
      {"quantize --format nosuch", "1\n", "nosuch"},
      {"quantize", "1\n", "--format"},
      {"quantize --format e4m3fn --rounding sideways", "1\n", "sideways"},
      {"quantize --format mxfp4 --scale-rounding up", "1\n", "'up'"},
      {"quantize --format e4m3fn --scale-rounding ceil", "1\n", "e4m3fn"},
      {"quantize --format e9m99", "1\n", "e9m99"},
      {"quantize --format int0", "1\n", "int0"},
      {"quantize --format int99999999999999999999", "1\n", "int99999999999999999999"},
      // decode: codes on stdin.
      {"decode --format e4m3fn", "\n", "empty line"},
      {"decode --format e4m3fn", "0x1ff\n", "wider than the format"},
      {"decode --format e4m3fn", "0x\n", "0x"},
      {"decode --format e4m3fn", "7e\n", "7e"},
      {"decode --format e4m3fn", "0xzz\n", "0xzz"},
      {"decode --format e4m3fn", "-0x7e\n", "-0x7e"},
      {"decode --format e4m3fn", "0x7e 0x7e\n", "0x7e 0x7e"},
      {"decode --format int4", "0x10\n", "wider than the format"},
      {"decode --format e4m3fn", "0x" + std::string(40, 'f') + "\n", "0xffff"},
      {"decode --format e4m3fn", kJunk + "\n", "line 1"},
      {"decode --format e4m3fn", "0x7e0\n0x7e\n", "line 1"},
      // mac: code pairs on stdin.
      {"mac --a int8 --b int8 --acc int32", "0x7e\n", "two codes"},
      {"mac --a int8 --b int8 --acc int32", "0x7e 0x7e 0x7e\n", "two codes"},
      {"mac --a int8 --b int8 --acc int32", "0x7e 0x100\n", "0x100"},
      {"mac --a int8 --b int8 --acc int32", "0x7e zz\n", "zz"},
      {"mac --a int8 --b int8 --acc int32", kJunk + "\n", "line 1"},
      {"mac --a int8 --b int8 --acc int99999", "0x01 0x01\n", "int99999"},
      {"mac --a int8 --b int8 --acc fx+-3", "0x01 0x01\n", "fx+-3"},
      {"mac --a int8 --b int8 --acc fx+99999", "0x01 0x01\n", "fx+99999"},
      {"mac --a int8 --b int8 --acc nosuch", "0x01 0x01\n", "nosuch"},
      {"mac --a int8 --acc int32", "0x01 0x01\n", "--b"},
      {"mac --a int8 --b int8 --acc int32 --acc fp16", "0x01 0x01\n", "twice"},
      // dot: units, addends and code pairs.
      {kDot + "h100", "0x38\n", "two codes"},
      {kDot + "h100", "0x38 0x100\n", "0x100"},
      {kDot + "h100", "c\n", "c CODE"},
      {kDot + "h100", "c 0x1ffffffff\n", "0x1ffffffff"},
      {kDot + "h100", kJunk + "\n", "line 1"},
      {kDot + "h100", "0x38 0x38\nc 0x0\n", "before the first pair"},
      {"dot --a e4m3 --b e4m3 --acc fp32 --unit h100", "", "does not take e4m3 x e4m3"},
      {"dot --a e4m3fn --b e4m3fn --acc fp16 --unit h100", "", "-> fp16"},
      {kDot + "nosuch", "", "nosuch"},
      {kDot + "n=0", "", "n=0"},
      {kDot + "n=32,bits=abc", "", "bits=abc"},
      {kDot + "n=32,round=up", "", "round=up"},
      {kDot + "n=32,color=red", "", "color"},
      {kDot + "n=32,bits", "", "bits"},
      {kDot + "h100 --promote 48", "", "48"},
      {kDot + "h100 --promote -32", "", "--promote"},
      {"dot --a e4m3fn --b e4m3fn --acc fp32", "", "--unit"},
      {"dot --a int8 --b int8 --acc int32 --unit n=32,round=rz", "", "round"},
      {"dot --a int8 --b int8 --acc fx+12 --unit n=4", "c 0x1\n", "addend"},
      {kDot + "h100 --acc-saturate", "", "--acc-saturate"},
      {"bench --dot --configs foo", "", "'foo' is not UNIT:A:B:ACC"},
      {"bench --dot --configs h100:e4m3:e4m3:fp32", "", "does not take e4m3"},
      // bench and verify options.
      {"bench --macs 0", "", "--macs"},
      {"bench --macs -5", "", "--macs"},
      {"bench --macs 1e99", "", "--macs"},
      {"bench --k 0", "", "--k"},
      {"bench --formats nosuch", "", "nosuch"},
      {"bench --accs nosuch", "", "nosuch"},
      {"bench --array --sizes 0", "", "'0'"},
      {"bench --array --sizes -8", "", "-8"},
      {"bench --array --sizes 99999999999", "", "99999999999"},
      {"bench --rtl --units nosuch", "", "nosuch"},
      {"verify --unit nosuch", "", "nosuch"},
      {"verify --unit int8:int8", "", "int8:int8"},
      {"verify --vectors -5", "", "--vectors"},
      {"verify --vectors 99999999999999999999", "", "--vectors"},
      {"verify --fault nosuch", "", "nosuch"},
      {"verify --dot nosuch:e4m3fn:e4m3fn:fp32", "", "nosuch"},
      {"verify --dot h100:e4m3fn:e4m3fn", "", "UNIT:A:B:OUT"},
      {"verify --dot n=4,odd-even=yes:e4m3fn:e4m3fn:fp32", "", "odd-even"},
      {"verify --dot n=4:e4m3fn:e4m3fn:fp16", "", "not built into this qmac"},
      {"verify --dot h100:e4m3fn:e4m3fn:fp32 --all", "", "not both"},
      {"verify --dot-fault nosuch", "", "nosuch"},
      {"verify --seed abc", "", "--seed"},
      // sim: sizes, shapes, workloads.
      {"sim --array 0x4 --a int8 --b int8 --acc int32 --gemm 4x4x4", "", "0x4"},
      {"sim --array -4x4 --a int8 --b int8 --acc int32 --gemm 4x4x4", "", "-4x4"},
      {"sim --array 100000x100000 --a int8 --b int8 --acc int32 --gemm 4x4x4", "", "100000x100000"},
      {"sim --array 4x4x4 --a int8 --b int8 --acc int32 --gemm 4x4x4", "", "4x4x4"},
      {kSim + "--gemm 0x4x4", "", "0x4x4"},
      {kSim + "--gemm -1x4x4", "", "-1x4x4"},
      {kSim + "--gemm 4x4", "", "4x4"},
      {kSim + "--gemm 99999999999999999999x4x4", "", "99999999999999999999x4x4"},
      {kSim + "--gemm 4x4x4 --seed -1", "", "--seed"},
      {kSim + "--gemm 4x4x4 --pipeline 9", "", "--pipeline"},
      {kSim + "--gemm 4x4x4 --dist cauchy", "", "cauchy"},
      {kSim + "--workload nosuch", "", "nosuch"},
      {kSim + "--gemm 4x4x4 --workload bert-base", "", "--gemm"},
      {kSim + "--topology /nonexistent/t.csv", "", "/nonexistent/t.csv"},
      // Topology files.
      {kSim + "--topology FILE", "", "empty topology file", ""},
      {kSim + "--topology FILE", "", "FILE:1", kJunk},
      {kSim + "--topology FILE", "", "no layers", kTopoHeader},
      {kSim + "--topology FILE", "", "FILE:2", kTopoHeader + "q, 128, 768\n"},
      {kSim + "--topology FILE", "", "FILE:2", kTopoHeader + "q, -128, 768, 768,\n"},
      {kSim + "--topology FILE", "", "FILE:2", kTopoHeader + "q, abc, 768, 768,\n"},
      {kSim + "--topology FILE", "", "FILE:2", kTopoHeader + "q, 0, 768, 768,\n"},
      {kSim + "--topology FILE", "", "FILE:2",
       kTopoHeader + "q, 99999999999999999999, 768, 768,\n"},
      {kSim + "--topology FILE", "", "FILE:3", kTopoHeader + "q, 1, 2, 3,\nk, 1, 2\n"},
      {kSim + "--topology FILE", "", "FILE:1", "Banana, Split,\nq, 1, 2, 3,\n"},
      {kSim + "--topology FILE", "", "FILE:2",
       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
       "Num Filter, Strides,\nconv, 3, 3, 7, 7, 3, 64, 2,\n"},
      // cost.
      {"cost --a int8 --b int8", "", "--acc"},
      {"cost --a mxfp4 --b mxfp4 --acc fp32", "", "mxfp4"},
      {"cost --a int8 --b int8 --acc int32 --pipeline -1", "", "--pipeline"},
      {"cost --a int8 --b int8 --acc int32 --array 0x0", "", "0x0"},
      {"cost --a int8 --b int8 --acc int32 --data cauchy", "", "cauchy"},
      {"cost --a int8 --b int8 --acc int32 --macs 5", "", "--macs"},
      {"cost --export accelergy", "", "DIR"},
      {"cost --export nosuch /tmp/x", "", "nosuch"},
      {"cost --export accelergy /tmp/x --units int8:int8", "", "int8:int8"},
      {"cost --export accelergy /proc/qmac-nope/x --units int8:int8:int32 --macs 256", "",
       "cannot create '/proc/qmac-nope/x"},
      // sweep files and options.
      {"sweep FILE -o " + scratch() + "/out", "", "empty", ""},
      {"sweep FILE -o " + scratch() + "/out", "", "FILE", kJunk},
      {"sweep FILE -o " + scratch() + "/out", "", "'bogus': unknown key", kSweepOk + "bogus: 1\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "duplicated key",
       kSweepOk + "accumulators: [fp16]\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "FILE:2", "formats: [int8\naccumulators: [\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'arrays'", kSweepOk + "arrays: [-4x4]\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'samples'",
       kSweepOk + "accuracy: {samples: 99999999999999}\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'macs'", kSweepOk + "energy: {macs: -1}\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'pipeline'", kSweepOk + "pipeline: [a]\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "nosuch",
       "formats: [nosuch]\naccumulators: [int32]\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'points'", "points: 5\n"},
      {"sweep FILE -o " + scratch() + "/out", "", "'acc'", "points:\n  - {a: int8}\n"},
      {"sweep FILE", "", "-o", kSweepOk},
      {"sweep FILE -o " + scratch() + "/out -j 0", "", "-j", kSweepOk},
      {"sweep FILE -o " + scratch() + "/out --shard 0/3", "", "0/3", kSweepOk},
      {"sweep FILE -o " + scratch() + "/out --shard 3", "", "'3'", kSweepOk},
      {"sweep --merge -o " + scratch() + "/m", "", "directories"},
      {"sweep --merge /nonexistent -o " + scratch() + "/m", "", "/nonexistent"},
      // report.
      {"report --from /nonexistent -o " + scratch() + "/r", "", "/nonexistent"},
      {"report --from " + scratch() + " -o " + scratch() + "/r", "", "results.csv"},
      {"report", "", "-o"},
      {"report --from " + results_dir() + " -o /proc/qmac-nope/r", "",
       "cannot create '/proc/qmac-nope/r'"},
  };
  return c;
}

} // namespace

TEST_CASE("every malformed input: exit status 2, one line naming it, nothing on stdout") {
  const auto cases = catalogue();
  CHECK(cases.size() >= 100);
  int n = 0;
  for (const Bad& b : cases) {
    if (!QMAC_HAS_RTL && needs_rtl(b.args)) continue; // no qmac-rtl in this build
    std::string args = b.args;
    const std::string path = scratch() + "/input" + std::to_string(n++);
    if (const size_t at = args.find("FILE"); at != std::string::npos) {
      std::ofstream(path, std::ios::binary) << b.file;
      args.replace(at, 4, path);
    }
    std::string needle = b.needle;
    if (const size_t at = needle.find("FILE"); at != std::string::npos) needle.replace(at, 4, path);
    INFO("qmac " << args << " (case " << n - 1 << ")");
    const Run r = run_qmac(args, b.input);
    expect_user_error(r, needle);
    CHECK(r.out.empty());
    CHECK(terminal_safe(r.err));
  }
}

TEST_CASE("junk quoted in a message is escaped, UTF-8 is kept") {
  // An escape sequence and a bell in an option, a vertical tab on stdin, and
  // bytes that are not UTF-8 (overlong, a surrogate, past U+10FFFF).
  const Run junk = run_qmac("quantize --format 'e4\x1b[2Jm3\x07'", "1\n");
  expect_user_error(junk, "e4\\x1b[2Jm3\\x07");
  const Run tab = run_qmac("decode --format e4m3fn", "0x1\x0b"
                                                     "2\n");
  expect_user_error(tab, "0x1\\x0b"
                         "2");
  const Run bytes = run_qmac("decode --format e4m3fn", "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\n");
  expect_user_error(bytes, "\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80");
  CHECK(terminal_safe(junk.err));
  CHECK(terminal_safe(tab.err));
  CHECK(terminal_safe(bytes.err));
  // Well-formed UTF-8 (two, three and four bytes) is shown as it is.
  const std::string name = "\xc3\xa9"
                           "4m3\xe2\x82\xac\xf0\x9f\x98\x80";
  expect_user_error(run_qmac("quantize --format '" + name + "'", "1\n"), name);
}

TEST_CASE("output to a full disk is an error, not a silent success") {
  // /dev/full fails every write with ENOSPC, as a full disk does.
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"--help", ""},
      {"formats", ""},
      {"quantize --format e4m3fn", "0.1\n300\n"},
      {"decode --format e4m3fn", "0x01\n0x7e\n"},
      {"mac --a int8 --b int8 --acc int32", "0x7e 0x01\n0x02 0x03\n"},
      {kSim + "--gemm 8x8x8", ""},
      {"cost --a int8 --b int8 --acc int32 --no-synth --no-energy", ""},
  };
  for (const auto& [args, input] : commands) {
    INFO("qmac " << args);
    const std::string in = scratch() + "/full.in", err = scratch() + "/full.err";
    std::ofstream(in) << input;
    const int raw = std::system(
        (std::string(QMAC_BINARY) + " " + args + " <" + in + " >/dev/full 2>" + err).c_str());
    const Run r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, "", slurp(err)};
    expect_user_error(r, "cannot write the output: No space left on device");
  }
}

TEST_CASE("Windows line endings are read as Unix ones") {
  const std::string lf = "0.1\n300\n-2.5e-3\n", crlf = "0.1\r\n300\r\n-2.5e-3\r\n";
  const Run a = run_qmac("quantize --format e4m3fn", lf),
            b = run_qmac("quantize --format e4m3fn", crlf);
  REQUIRE(a.status == 0);
  CHECK(b.status == 0);
  CHECK(a.out == b.out);
  const Run c = run_qmac("mac --a int8 --b int8 --acc int32", "0x7e 0x01\n0x02 0x03\n"),
            d = run_qmac("mac --a int8 --b int8 --acc int32", "0x7e 0x01\r\n0x02 0x03\r\n");
  CHECK(c.out == d.out);
}
