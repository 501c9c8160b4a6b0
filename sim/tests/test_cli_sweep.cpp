// qmac sweep as a user runs it: the results files, resuming, sharding with
// GNU parallel and merging, failed points recorded, and YAML errors naming
// the file, the line and the key.
#include <catch2/catch.hpp>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <thread>

#include "qmac_runner.h"

namespace {

namespace fs = std::filesystem;

// A scratch directory of this test process, with its own cache.
std::string scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("qmac_sweep_" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string env() {
  return "QMAC_CACHE_DIR=" +
         (fs::temp_directory_path() / ("qmac_sweep_" + std::to_string(getpid())) / "cache")
             .string() +
         " ";
}

Run sweep(const std::string& args) {
  return run_qmac_env(env(), "sweep " + args, "");
}

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char* kSmall = R"(name: small
formats: [int8, e4m3fn, mxfp4]
accumulators: [int32, fp16]
workloads: [bert-base]
energy: {macs: 1024}
accuracy: {samples: 2048, dots: 4, distributions: [gaussian, student-t]}
)";

size_t rows_of(const std::string& csv) {
  return count_lines(csv) - 1;
}

} // namespace

TEST_CASE("a sweep writes one row per point in CSV and JSON, and a re-run skips them") {
  const std::string dir = scratch("one");
  const std::string config = write(dir, "small.yaml", kSmall);
  const Run r = sweep(config + " -o " + dir + "/out -j 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string csv = slurp(dir + "/out/results.csv"), json = slurp(dir + "/out/results.json");
  CHECK(rows_of(csv) == 6); // 3 formats x 2 accumulators
  CHECK(csv.rfind("id,a,b,acc,pipeline,array,dataflow,workload,dot_unit,promote,scale_rounding,"
                  "products_per_cycle,"
                  "status,error,note,",
                  0) == 0);
  CHECK(csv.find("unit_err_") == std::string::npos); // no dot-unit points, no such columns
  for (const char* column :
       {"area_nand2", "energy_per_mac", "depth", "cycles", "utilization", "array_tops_per_mnand2",
        "array_tops_per_watt_est", "sqnr_a_gaussian", "dot_err_student_t"})
    CHECK(csv.find(column) != std::string::npos);
  CHECK(std::count(json.begin(), json.end(), '{') == 6);
  CHECK(json.find("\"status\": \"ok\"") != std::string::npos);
  // Block formats have accuracy but no PE: their cost figures stay empty.
  CHECK(json.find("\"a\": \"mxfp4\"") != std::string::npos);
  CHECK(std::regex_search(json, std::regex("\"a\": \"mxfp4\"[^}]*\"area_nand2\": null")));
  // Rerunning finds every point finished and writes the same bytes.
  const Run again = sweep(config + " -o " + dir + "/out");
  REQUIRE(again.status == 0);
  CHECK(again.out.find("0 done now") != std::string::npos);
  CHECK(again.out.find("6 finished before") != std::string::npos);
  CHECK(slurp(dir + "/out/results.csv") == csv);
  // A directory of another configuration is refused.
  const std::string other = write(dir, "other.yaml", std::string(kSmall) + "pipeline: [2]\n");
  expect_user_error(sweep(other + " -o " + dir + "/out"), "another sweep configuration");
}

TEST_CASE("a directory another sweep is writing to is refused, and left-over temporaries go") {
  const std::string dir = scratch("locked");
  const std::string config = write(dir, "small.yaml",
                                   "formats: [int8]\naccumulators: [int32]\n"
                                   "synthesis: false\n");
  REQUIRE(sweep(config + " -o " + dir + "/out").status == 0);
  const std::string want = slurp(dir + "/out/results.csv");
  // This process stands in for a running sweep: it holds the directory's
  // lock. A second sweep waits for it (10 s), then gives up.
  const int fd = open((dir + "/out/.lock").c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
  expect_user_error(sweep(config + " -o " + dir + "/out"), "in use by another qmac sweep");
  // A lock released while a sweep waits (a killed sweep's last workers
  // dying) lets it go on.
  std::thread release([fd] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    close(fd);
  });
  const auto t0 = std::chrono::steady_clock::now();
  const Run waited = sweep(config + " -o " + dir + "/out");
  release.join();
  CHECK(waited.status == 0);
  CHECK(std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(1500));
  // Temporary files of writes cut short by a kill are removed on the next run.
  const std::string stale = dir + "/out/rows/0123456789abcdef.csv.tmp.99999.0";
  write(dir + "/out/rows", "0123456789abcdef.csv.tmp.99999.0", "half a ro");
  write(dir + "/out", "results.csv.tmp.99999.1", "id,a");
  REQUIRE(sweep(config + " -o " + dir + "/out").status == 0);
  CHECK_FALSE(fs::exists(stale));
  CHECK_FALSE(fs::exists(dir + "/out/results.csv.tmp.99999.1"));
  CHECK(slurp(dir + "/out/results.csv") == want);
}

TEST_CASE("three shards run with GNU parallel merge into the unsharded results", "[tool-bound]") {
  const std::string dir = scratch("shards");
  const std::string config = write(dir, "small.yaml", kSmall);
  REQUIRE(sweep(config + " -o " + dir + "/whole").status == 0);
  const std::string cmd = "cd " + dir + " && " + env() + "parallel -j 3 '" + QMAC_BINARY +
                          " sweep small.yaml -o shard{} --shard {}/3 >/dev/null 2>&1' ::: 1 2 3";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const Run merged = sweep("--merge " + dir + "/shard1 " + dir + "/shard2 " + dir + "/shard3 -o " +
                           dir + "/merged");
  INFO(merged.err);
  REQUIRE(merged.status == 0);
  CHECK(slurp(dir + "/merged/results.csv") == slurp(dir + "/whole/results.csv"));
  CHECK(slurp(dir + "/merged/results.json") == slurp(dir + "/whole/results.json"));
  // A missing shard is an error that says what is missing; what exists is kept.
  const Run partial = sweep("--merge " + dir + "/shard1 " + dir + "/shard2 -o " + dir + "/partial");
  expect_user_error(partial, "missing");
  CHECK(rows_of(slurp(dir + "/partial/results.csv")) == 4);
}

TEST_CASE("a failing point is recorded with its error and the sweep goes on") {
  const std::string dir = scratch("failing");
  const std::string config = write(dir, "c.yaml",
                                   "formats: [int8, int4]\naccumulators: [int32]\n"
                                   "accuracy: {samples: 1024, dots: 2}\n");
  // No Yosys on the PATH: every point fails in synthesis, and says so.
  const Run r =
      run_qmac_env(env() + "PATH=/nonexistent ", "sweep " + config + " -o " + dir + "/out", "");
  CHECK(r.status == 1);
  const std::string csv = slurp(dir + "/out/results.csv");
  CHECK(rows_of(csv) == 2);
  CHECK(csv.find(",bert-base,,,,,error,") != std::string::npos);
  CHECK(csv.find("yosys") != std::string::npos);
  CHECK(csv.find(",bert-base,ok,") == std::string::npos);
  // With Yosys back, the re-run retries the failed points.
  const Run fixed = sweep(config + " -o " + dir + "/out");
  CHECK(fixed.status == 0);
  CHECK(slurp(dir + "/out/results.csv").find(",bert-base,error,") == std::string::npos);
}

namespace {

// The rows of a results.csv as column -> value maps (RFC 4180 quoting: a
// unit such as "h100,n=2" holds a comma).
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        fields.back() += line[++i];
      else if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        fields.emplace_back();
      else
        fields.back() += c;
    }
    lines.push_back(fields);
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < lines[0].size() && c < lines[i].size(); ++c)
      row[lines[0][c]] = lines[i][c];
    rows.push_back(row);
  }
  return rows;
}

} // namespace

TEST_CASE("dot-product units: one row per unit and promotion, with its cost and its error at "
          "every K") {
  // Two-product units keep the synthesis to seconds.
  const std::string dir = scratch("units");
  const std::string config = write(dir, "units.yaml", R"(name: units
units:
  - {formats: [e4m3fn], acc: fp32, unit: [h100, b200], n: 2, promote: [0, 128]}
  - {formats: [int8], acc: int32, n: [2]}
accuracy: {distributions: [gaussian], unit_lengths: [256, 2048], unit_dots: 8}
energy: {macs: 1024}
)");
  const Run r = sweep(config + " -o " + dir + "/out -j 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(slurp(dir + "/out/results.csv"));
  REQUIRE(rows.size() == 5);
  std::map<std::string, std::map<std::string, std::string>> by_unit;
  for (const auto& row : rows) {
    CHECK(row.at("status") == "ok");
    CHECK(row.at("workload").empty()); // a unit has no array or workload
    by_unit[row.at("a") + " " + row.at("dot_unit") + " " + row.at("promote")] = row;
  }
  auto num = [&](const std::string& point, const std::string& column) {
    INFO(point << " " << column);
    REQUIRE(by_unit.count(point));
    return std::stod(by_unit[point].at(column));
  };
  // The integer unit is exact; the 14-bit window loses more than B200's
  // 26-bit pairs (model/accuracy's tests hold the figures themselves).
  CHECK(num("int8 n=2 0", "unit_err_gaussian_k2048") == 0);
  CHECK(num("e4m3fn h100,n=2 0", "unit_err_gaussian_k2048") >
        4 * num("e4m3fn b200,n=2 0", "unit_err_gaussian_k2048"));
  CHECK(num("e4m3fn h100,n=2 0", "unit_err_max_gaussian_k256") >=
        num("e4m3fn h100,n=2 0", "unit_err_gaussian_k256"));
  CHECK(num("e4m3fn h100,n=2 128", "unit_overflow_gaussian_k2048") == 0);
  CHECK(num("e4m3fn h100,n=2 128", "unit_err_total_gaussian_k2048") > 0);
  // Cost: the analytical model and the synthesized unit, whole and per product;
  // promotion (outside the unit) does not change it.
  for (const char* point : {"e4m3fn h100,n=2 0", "e4m3fn b200,n=2 128", "int8 n=2 0"}) {
    CHECK(num(point, "products_per_cycle") == 2);
    CHECK(num(point, "gates_per_product") == Approx(num(point, "gates_total") / 2));
    CHECK(num(point, "area_per_product") == Approx(num(point, "area_nand2") / 2).epsilon(1e-5));
    CHECK(num(point, "depth") > 0);
    CHECK(num(point, "energy_per_product") > 0);
    CHECK(num(point, "energy_pj_per_product_est") > 0);
    CHECK(by_unit[point].at("energy_per_mac").empty()); // a unit's energy is per product
  }
  CHECK(num("e4m3fn h100,n=2 0", "area_nand2") == num("e4m3fn h100,n=2 128", "area_nand2"));
  CHECK(num("e4m3fn h100,n=2 0", "energy_per_product") ==
        num("e4m3fn h100,n=2 128", "energy_per_product"));
  // B200's 26-bit window costs more than H100's 14 bits.
  CHECK(num("e4m3fn b200,n=2 0", "area_nand2") > num("e4m3fn h100,n=2 0", "area_nand2"));
}

TEST_CASE("block-scaled units and scale rules: one row per rule, the rule in the key and the "
          "quantization error") {
  const std::string dir = scratch("mx");
  const std::string config = write(dir, "mx.yaml", R"(name: mx
formats: [mxfp4, int8]
accumulators: [fp32]
scale_rounding: [floor, ceil]
units:
  - {formats: [mxfp4], acc: fp32, unit: [mx, "mx,n=8"], scale_rounding: [floor, even]}
accuracy: {distributions: [gaussian], unit_lengths: [256], unit_dots: 8, samples: 4096}
synthesis: false
)");
  const Run r = sweep(config + " -o " + dir + "/out -j 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(slurp(dir + "/out/results.csv"));
  // MAC points: mxfp4 under each rule, int8 once; units: 2 units x 2 rules.
  REQUIRE(rows.size() == 3 + 4);
  std::map<std::string, std::map<std::string, std::string>> by;
  for (const auto& row : rows) {
    CHECK(row.at("status") == "ok");
    by[row.at("a") + " " + row.at("dot_unit") + " " + row.at("scale_rounding")] = row;
  }
  auto num = [&](const std::string& point, const std::string& column) {
    INFO(point << " " << column);
    REQUIRE(by.count(point));
    return std::stod(by[point].at(column));
  };
  CHECK(by.count("int8  ")); // an element format has no scale rule
  // The rule changes the quantization (SQNR) and so the total error, while
  // an exact unit's own error stays within its roundings.
  CHECK(num("mxfp4  floor", "sqnr_a_gaussian") != num("mxfp4  ceil", "sqnr_a_gaussian"));
  CHECK(num("mxfp4 mx floor", "unit_err_total_gaussian_k256") !=
        num("mxfp4 mx even", "unit_err_total_gaussian_k256"));
  CHECK(num("mxfp4 mx floor", "unit_err_gaussian_k256") <= std::ldexp(1.0, -24));
  // The gate model prices block-scaled units too (synthesis is off here).
  CHECK(num("mxfp4 mx,n=8 even", "products_per_cycle") == 8);
  CHECK(num("mxfp4 mx,n=8 even", "gates_per_product") >
        num("mxfp4 mx floor", "gates_per_product"));
  // The key carries the rule: four distinct unit ids.
  std::set<std::string> ids;
  for (const auto& row : rows)
    ids.insert(row.at("id"));
  CHECK(ids.size() == rows.size());
}

TEST_CASE("YAML errors name the file, the line and the key, with exit status 2") {
  const std::string dir = scratch("bad");
  const std::string ok = "formats: [int8]\naccumulators: [int32]\n";
  for (const auto& [text, needle] : std::vector<std::pair<std::string, std::string>>{
           {ok + "bogus: 1\n", "c.yaml:3: 'bogus': unknown key"},
           {ok + "formats: [e4m3fn]\n", "c.yaml:3: 'formats': duplicated key"},
           {"formats: [nosuchformat]\naccumulators: [int32]\n", "nosuchformat"},
           {ok + "workloads: [resnet51]\n", "resnet51"},
           {ok + "pipeline: [7]\n", "'pipeline'"},
           {ok + "accuracy: {samples: abc}\n", "'samples'"},
           {ok + "accuracy: {distributions: [codes]}\n", "codes"},
           {ok + "accuracy: {unit_distributions: [codes]}\n", "'unit_distributions'"},
           {ok + "energy: {bogus: 1}\n", "'bogus': unknown key in 'energy'"},
           {"formats: [int8\naccumulators: [int32]\n", "c.yaml:"},
           {"formats: [int8]\n", "'accumulators': missing"},
           {"points: []\n", "no points"},
           {"", "empty"},
           {"points:\n  - {a: int8, acc: int32, arrays: 4x4}\n", "'arrays': unknown key"},
           {"points:\n  - {a: int8, acc: int32}\n  - {a: int8, acc: int32}\n", "twice"},
           {ok + "points:\n  - {a: int8, acc: int32}\n", "either 'points'"},
           {"units:\n  - {formats: [e4m3], acc: fp32, unit: h100}\n", "c.yaml:2: 'unit':"},
           {"units:\n  - {formats: [e4m3fn], acc: fp32, unit: h100, promote: 100}\n",
            "c.yaml:2: 'promote':"},
           {"units:\n  - {formats: [int8], acc: int32, n: 4, bits: 14}\n", "bits"},
           {"units:\n  - {formats: [e4m3fn], acc: fp32}\n", "'unit': a units item needs"},
           {"units:\n  - {formats: [e4m3fn], acc: fp32, unit: h100, k: 5}\n",
            "'k': unknown key in 'units'"},
           {ok + "accuracy: {unit_lengths: [0]}\n", "'unit_lengths'"},
           {"units:\n  - {formats: [mxfp4], acc: fp32, unit: mx, scale_rounding: up}\n",
            "c.yaml:2: 'scale_rounding': unknown scale rounding 'up'"},
           {"units:\n  - {formats: [e4m3fn], acc: fp32, unit: h100, scale_rounding: ceil}\n",
            "applies to block formats"},
           {"points:\n  - {a: int8, acc: int32, scale_rounding: ceil}\n", "'scale_rounding'"},
           {"units:\n  - {formats: [mxfp4], acc: fp32, unit: mx}\nscale_rounding: ceil\n",
            "a units item takes its own"}}) {
    INFO(text);
    const std::string config = write(dir, "c.yaml", text);
    const Run r = sweep(config + " -o " + dir + "/out");
    expect_user_error(r, needle);
    CHECK(r.out.empty());
  }
  expect_user_error(sweep("-o " + dir + "/x"), "configuration");
  expect_user_error(sweep(dir + "/none.yaml -o " + dir + "/x"), "none.yaml");
  expect_user_error(sweep(write(dir, "c.yaml", ok) + " -o " + dir + "/x --shard 4/3"), "4/3");
  expect_user_error(sweep(write(dir, "c.yaml", ok) + " -o /proc/qmac_cannot"), "/proc/qmac_cannot");
}
