// qmac cost as a user runs it: the JSON keys of docs/cli.md, the
// analytical and synthesized orderings the paper's comparison rests on, the
// cache, and the error rules (exit 2 for the user's mistakes, 1 for tools).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "qmac_runner.h"

namespace {

double json_number(const std::string& doc, const std::string& key) {
  std::smatch m;
  const std::regex re("\"" + key + "\": (-?[0-9.eE+-]+)");
  INFO(key << " in " << doc);
  REQUIRE(std::regex_search(doc, m, re));
  return std::stod(m[1].str());
}

// Every test synthesizes into a cache of its own.
std::string cache_env() {
  static const std::string dir = "/tmp/qmac_cli_cost_cache_" + std::to_string(getpid());
  return "QMAC_CACHE_DIR=" + dir + " ";
}

Run cost(const std::string& args) {
  return run_qmac_env(cache_env(), "cost " + args, "");
}

} // namespace

TEST_CASE(
    "the analytical model alone: docs/cli.md's keys, int8 -> fx+12 as the unit of comparison") {
  const Run r = cost("--a int8 --b int8 --acc fx+12 --no-synth --json");
  REQUIRE(r.status == 0);
  const double mpy = json_number(r.out, "mpy"), alignadd = json_number(r.out, "alignadd"),
               normalize = json_number(r.out, "normalize"), total = json_number(r.out, "total");
  CHECK(mpy + alignadd + normalize == Approx(total));
  CHECK(json_number(r.out, "relative_to_int8_fx12") == Approx(1.0));
  CHECK(r.out.find("\"area_nand2\": null") != std::string::npos);
  CHECK(r.out.find("\"energy_per_mac\"") != std::string::npos);
  const Run e4 = cost("--a e4m3fnuz --b e4m3fnuz --acc fp32 --no-synth --json");
  REQUIRE(e4.status == 0);
  CHECK(json_number(e4.out, "relative_to_int8_fx12") == Approx(2.84).margin(0.1));
  // --explain lists the terms; they add up to the blocks printed above them.
  const Run text = cost("--a e4m3fn --b e5m2 --acc bf16 --no-synth --explain");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("significand multiplier") != std::string::npos);
  CHECK(text.out.find("alignment shifter") != std::string::npos);
}

TEST_CASE("synthesis: FP accumulators cost more area and depth than int8 -> fx+12, and come from "
          "the cache") {
  const Run int8 = cost("--a int8 --b int8 --acc fx+12 --json --no-energy");
  const Run fp16 = cost("--a e4m3fnuz --b e4m3fnuz --acc fp16 --json --no-energy");
  const Run fp32 = cost("--a e4m3fnuz --b e4m3fnuz --acc fp32 --json --no-energy");
  for (const Run* r : {&int8, &fp16, &fp32}) {
    INFO(r->err);
    REQUIRE(r->status == 0);
  }
  const double a0 = json_number(int8.out, "area_nand2"), a16 = json_number(fp16.out, "area_nand2"),
               a32 = json_number(fp32.out, "area_nand2");
  CHECK(a0 < a16);
  CHECK(a16 < a32);
  // The paper's comparison on our RTL: relative to int8 -> fx+12 synthesized.
  CHECK(json_number(fp16.out, "area_relative_to_int8_fx12") == Approx(a16 / a0));
  CHECK(json_number(fp32.out, "area_relative_to_int8_fx12") == Approx(a32 / a0));
  CHECK(json_number(int8.out, "depth") < json_number(fp32.out, "depth"));
  CHECK(json_number(fp32.out, "flip_flops") > json_number(fp16.out, "flip_flops"));
  // A pipeline register more is a flip-flop more per product bit, at least.
  const Run p2 = cost("--a int8 --b int8 --acc fx+12 --pipeline 2 --json --no-energy");
  REQUIRE(p2.status == 0);
  CHECK(json_number(p2.out, "flip_flops") >= json_number(int8.out, "flip_flops") + 14);
  // The second time comes from the cache with the same numbers.
  const Run again = cost("--a e4m3fnuz --b e4m3fnuz --acc fp16 --no-energy");
  REQUIRE(again.status == 0);
  CHECK(again.out.find("cached") != std::string::npos);
  CHECK(cost("--a e4m3fnuz --b e4m3fnuz --acc fp16 --json --no-energy").out == fp16.out);
}

TEST_CASE("energy: toggles of the netlist, zero operands cheapest, idle PEs pay their clock") {
  const std::string base = "--a int8 --b int8 --acc int32 --macs 4096 --json --dataflow os";
  const Run gauss = cost(base), zero = cost(base + " --data zero");
  REQUIRE(gauss.status == 0);
  REQUIRE(zero.status == 0);
  const double e = json_number(gauss.out, "energy_per_mac");
  CHECK(e > 0);
  CHECK(json_number(zero.out, "energy_per_mac") < e);
  CHECK(json_number(gauss.out, "pj_estimate") > 0);
  // The parts add up, and a 6%-utilized array pays more per useful MAC.
  CHECK(json_number(gauss.out, "logic") + json_number(gauss.out, "registers") +
            json_number(gauss.out, "clock") ==
        Approx(e));
  std::smatch m;
  REQUIRE(std::regex_search(
      gauss.out, m, std::regex("\"llm7b-decode\": \\{[^}]*\"energy_per_mac\": ([0-9.e+-]+)")));
  CHECK(std::stod(m[1].str()) > e);
  // The same seed gives the same bytes.
  CHECK(cost(base).out == gauss.out);
}

TEST_CASE("the Accelergy export writes the table-based plug-in's identifier and CSV tables",
          "[tool-bound]") {
  const std::string dir = "/tmp/qmac_cli_cost_accelergy_" + std::to_string(getpid());
  const Run r = cost("--export accelergy " + dir + " --units int8:int8:int32,e4m3fn:e4m3fn:fp16 " +
                     "--macs 2048");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(slurp(dir + "/qmac.table.yaml").find("path_to_data_dir: ./data") != std::string::npos);
  const std::string all = slurp(dir + "/data/qmac_mac.csv"), ints = slurp(dir + "/data/intmac.csv");
  CHECK(all.rfind("technology,datawidth,a_format,b_format,accumulator,num_pipeline_stages,"
                  "action,energy,area\n",
                  0) == 0);
  CHECK(ints.rfind("technology,datawidth,num_pipeline_stages,action,energy,area\n", 0) == 0);
  CHECK(count_lines(all) == 1 + 2 * 4); // two configurations, four actions each
  CHECK(count_lines(ints) == 1 + 4);    // only int8 x int8 -> int32 is an intmac
  // Gated (zero) operands cost less than random ones, and the area is the
  // synthesized one at 0.8 um^2 per NAND2.
  std::smatch m;
  REQUIRE(std::regex_search(ints, m, std::regex("mac_random,([0-9.e+-]+),([0-9.e+-]+)")));
  const double random = std::stod(m[1].str()), area = std::stod(m[2].str());
  REQUIRE(std::regex_search(ints, m, std::regex("mac_gated,([0-9.e+-]+),")));
  CHECK(std::stod(m[1].str()) < random);
  const Run synth = cost("--a int8 --b int8 --acc int32 --json --no-energy");
  CHECK(area == Approx(0.8 * json_number(synth.out, "area_nand2")).epsilon(1e-5));
  for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
           {"--export accelergy", "DIR"},
           {"--export timeloop " + dir, "timeloop"},
           {"--export accelergy " + dir + " --a int8", "--a"},
           {"--export accelergy " + dir + " --units int8:int8:int99", "int99"}}) {
    INFO(args);
    expect_user_error(cost(args), needle);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a configuration the RTL does not build still gets the analytical model") {
  const Run r = cost("--a e6m10 --b int8 --acc fp32 --json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(json_number(r.out, "total") > 0);
  CHECK(r.out.find("\"area_nand2\": null") != std::string::npos);
}

TEST_CASE("a dot-product unit (--unit): analytical gates, synthesized area and energy, whole "
          "and per product",
          "[tool-bound]") {
  // Units of 8 and 2 products keep Yosys to seconds (h100's 32 take about a
  // minute); 4096 products keep the toggle simulation short.
  const Run h100 =
      cost("--a e4m3fn --b e4m3fn --acc fp32 --unit h100,n=8 --macs 4096 --k 128 --json");
  INFO(h100.err);
  REQUIRE(h100.status == 0);
  const double total = json_number(h100.out, "total"), area = json_number(h100.out, "area_nand2");
  CHECK(json_number(h100.out, "mpy") + json_number(h100.out, "alignadd") +
            json_number(h100.out, "normalize") ==
        Approx(total));
  CHECK(json_number(h100.out, "n") == 8);
  CHECK(json_number(h100.out, "gates_per_product") == Approx(total / 8));
  CHECK(json_number(h100.out, "area_per_product") == Approx(area / 8));
  CHECK(json_number(h100.out, "depth") > 0);
  const double energy = json_number(h100.out, "energy_per_product");
  CHECK(energy > 0);
  CHECK(json_number(h100.out, "logic") + json_number(h100.out, "registers") +
            json_number(h100.out, "clock") ==
        Approx(energy));
  CHECK(json_number(h100.out, "products") == 4096);
  CHECK(json_number(h100.out, "k") == 128);
  // Zero operands switch far less logic; --no-energy leaves it out.
  const Run zero = cost(
      "--a e4m3fn --b e4m3fn --acc fp32 --unit h100,n=8 --macs 4096 --k 128 --data zero --json");
  REQUIRE(zero.status == 0);
  CHECK(json_number(zero.out, "energy_per_product") < 0.5 * energy);
  const Run no_energy = cost("--a e4m3fn --b e4m3fn --acc fp32 --unit h100,n=8 --no-energy --json");
  REQUIRE(no_energy.status == 0);
  CHECK(no_energy.out.find("\"energy_per_product\": null") != std::string::npos);
  CHECK(json_number(no_energy.out, "area_nand2") == area);
  // Two products cost less in all than eight, more per product.
  const Run two = cost("--a e4m3fn --b e4m3fn --acc fp32 --unit h100,n=2 --no-energy --json");
  REQUIRE(two.status == 0);
  CHECK(json_number(two.out, "area_nand2") < area);
  CHECK(json_number(two.out, "area_per_product") > area / 8);
  // The text form, with every term.
  const Run text = cost("--a int8 --b int8 --acc int32 --unit n=8 --macs 2048 --explain");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("carry-save tree, 9 terms") != std::string::npos);
  CHECK(text.out.find("toggle units per product") != std::string::npos);
  // A unit the RTL does not build keeps the analytical model.
  const Run wide = cost("--a e4m3fn --b e4m3fn --acc fp32 --unit n=128,bits=14 --json");
  REQUIRE(wide.status == 0);
  CHECK(json_number(wide.out, "total") > total);
  CHECK(wide.out.find("\"area_nand2\": null") != std::string::npos);
  for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
           {"--a e4m3 --b e4m3 --acc fp32 --unit h100", "e4m3"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h200x", "h200x"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit exact --no-synth", "n = all"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h100 --array 4x4", "--array"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h100 --dataflow ws", "--dataflow"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h100 --data normal", "normal"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h100 --k 0", "--k"},
           {"--a e4m3fn --b e4m3fn --acc fp32 --unit h100 --macs 1", "--macs"},
           {"--a int8 --b int8 --acc int32 --k 64", "--k"},
           {"--a int8 --b int8 --acc int32 --unit n=8 --acc-saturate", "--acc-saturate"}}) {
    INFO(args);
    const Run r = cost(args);
    expect_user_error(r, needle);
    CHECK(r.out.empty());
  }
}

TEST_CASE("bad input: one line naming it, exit status 2, and a missing Yosys: exit status 1") {
  const std::string ok = "--a int8 --b int8 --acc int32";
  for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
           {"--a int9q --b int8 --acc int32", "int9q"},
           {"--a mxfp8_e4m3 --b int8 --acc int32", "mxfp8_e4m3"},
           {"--a e8m0fnu --b int8 --acc fp32 --no-synth", "e8m0fnu"},
           {"--a int8 --b int8 --acc fx+99999", "fx+99999"},
           {"--a int8 --b int8", "--acc"},
           {ok + " --pipeline 9", "--pipeline"},
           {ok + " --array 0x4", "0x4"},
           {ok + " --dataflow diagonal", "diagonal"},
           {ok + " --bogus", "--bogus"}}) {
    INFO(args);
    const Run r = cost(args);
    expect_user_error(r, needle);
    CHECK(r.out.empty());
  }
  const Run r = run_qmac_env(cache_env() + "PATH=/nonexistent ", "cost " + ok, "");
  CHECK(r.status == 1);
  CHECK(r.err.find("yosys") != std::string::npos);
  CHECK(r.out.empty());
}
