// A sweep killed with SIGKILL at random moments and resumed ends with exactly
// the results of an uninterrupted run: no lost, duplicated or corrupt rows.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <signal.h>
#include <thread>

#include "qmac_runner.h"

namespace {

namespace fs = std::filesystem;

const char* kSweep = R"(formats: [int8, e4m3fn, int4]
accumulators: [fx+12, fp16, fp32]
workloads: [bert-base, llm7b-decode]
synthesis: false
accuracy: {samples: 4096, dots: 8}
)";

// Starts `qmac sweep` in the background; returns its pid.
pid_t start_sweep(const std::string& config, const std::string& out) {
  const pid_t pid = fork();
  if (pid == 0) {
    // Quiet: the progress lines would fill the test log.
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(QMAC_BINARY, QMAC_BINARY, "sweep", config.c_str(), "-o", out.c_str(), "-j", "2",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Every row file is whole: a header and one row of as many fields. Returns
// how many there are.
size_t check_rows_whole(const std::string& out) {
  size_t whole = 0;
  const fs::path rows = fs::path(out) / "rows";
  if (!fs::exists(rows)) return 0;
  for (const auto& entry : fs::directory_iterator(rows)) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    if (name.find(".tmp.") != std::string::npos) continue; // a write cut short: never read
    const std::string text = slurp(entry.path().string());
    REQUIRE(count_lines(text) == 2);
    const size_t header_commas = std::count(text.begin(), text.begin() + text.find('\n'), ',');
    CHECK(header_commas > 40);
    CHECK(text.substr(text.find('\n') + 1).rfind(name.substr(0, 16), 0) == 0);
    ++whole;
  }
  return whole;
}

} // namespace

TEST_CASE("kill -9 at random moments, then resume: the results of an uninterrupted run") {
  const fs::path dir =
      fs::temp_directory_path() / ("qmac_sweep_faults_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string config = (dir / "sweep.yaml").string();
  std::ofstream(config) << kSweep;
  const std::string reference = (dir / "reference").string(), out = (dir / "killed").string();
  REQUIRE(run_qmac("sweep " + config + " -o " + reference, "").status == 0);
  const std::string want_csv = slurp(reference + "/results.csv");
  const std::string want_json = slurp(reference + "/results.json");

  std::mt19937_64 rng(20261129);
  int kills = 0, completed = 0, mid_sweep = 0;
  while (kills < 24) {
    const pid_t pid = start_sweep(config, out);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      // It finished before the kill: its results must already be right.
      ++completed;
      CHECK(slurp(out + "/results.csv") == want_csv);
      fs::remove_all(out);
      continue;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ++kills;
    // The workers die with the sweep (PDEATHSIG): give them a moment, then
    // every row on disk must be whole.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const size_t rows = check_rows_whole(out);
    mid_sweep += rows > 0 && rows < 18;
  }
  // The kills fell while points were being written, not only before or after.
  CHECK(mid_sweep >= 5);
  INFO("completed before a kill: " << completed);
  const Run resumed = run_qmac("sweep " + config + " -o " + out, "");
  REQUIRE(resumed.status == 0);
  CHECK(slurp(out + "/results.csv") == want_csv);
  CHECK(slurp(out + "/results.json") == want_json);
  // One row file per point, nothing left over.
  std::set<std::string> ids;
  for (const auto& entry : fs::directory_iterator(fs::path(out) / "rows"))
    if (entry.path().extension() == ".csv") ids.insert(entry.path().stem().string());
  CHECK(ids.size() == 18);
  fs::remove_all(dir);
}
