// A sweep killed with SIGKILL at random moments and resumed ends with exactly
// the results of an uninterrupted run: no lost, duplicated or corrupt rows. A
// sweep that runs out of disk (a small tmpfs) or past a file-size limit stops
// with one line naming the file and the reason, and keeps its finished rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <signal.h>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include "qmac/testing/skip.h"
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
  std::fflush(stdout); // or the child's freopen writes this process's buffer again
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

// A directory of its own holding the sweep's configuration and the results
// of an uninterrupted run of it.
struct Scratch {
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("qmac_sweep_faults_" + name + "_" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    config = path("sweep.yaml");
    std::ofstream(config) << kSweep;
    reference = path("reference");
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run_qmac("sweep " + config + " -o " + reference, "").status == 0);
    reference_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }

  fs::path dir;
  std::string config, reference;
  long reference_ms = 0; // how long the uninterrupted run took (one worker)
};

// The last line of a sweep's stderr (the lines before are its progress).
std::string last_line(const std::string& err) {
  const size_t end = err.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  return err.substr(err.rfind('\n', end) + 1, end - err.rfind('\n', end));
}

// Each row file in `out` is byte for byte the reference's row of that point.
// Returns how many there are.
size_t check_rows_as_reference(const std::string& out, const std::string& reference) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(out) / "rows")) {
    INFO(entry.path());
    REQUIRE(entry.path().extension() == ".csv"); // no temporary file left behind
    CHECK(slurp(entry.path().string()) ==
          slurp((fs::path(reference) / "rows" / entry.path().filename()).string()));
    ++n;
  }
  return n;
}

// Runs qmac with a limit on the size of the files it writes (RLIMIT_FSIZE,
// as `ulimit -f`); stderr comes back through a pipe, which the limit spares.
Run run_with_file_limit(rlim_t bytes, std::vector<std::string> args) {
  int err[2];
  REQUIRE(pipe(err) == 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(err[1], 2);
    close(err[0]);
    freopen("/dev/null", "w", stdout);
    const rlimit limit{bytes, bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
    std::vector<char*> argv{const_cast<char*>(QMAC_BINARY)};
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(QMAC_BINARY, argv.data());
    _exit(127);
  }
  close(err[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(err[0], buf, sizeof buf)) > 0;)
    text.append(buf, size_t(n));
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", text};
}

} // namespace

TEST_CASE("kill -9 at random moments, then resume: the results of an uninterrupted run") {
  const Scratch s("killed");
  const std::string &config = s.config, &reference = s.reference, out = s.path("killed");
  const std::string want_csv = slurp(reference + "/results.csv");
  const std::string want_json = slurp(reference + "/results.json");

  std::mt19937_64 rng(20261129);
  // Kill moments spread over the time a whole run takes here (a sanitized
  // build, or a loaded machine, is several times slower than a plain one).
  const uint64_t window_ms = uint64_t(std::max(400L, s.reference_ms));
  int kills = 0, completed = 0, mid_sweep = 0;
  while (kills < 24) {
    const pid_t pid = start_sweep(config, out);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % window_ms));
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
}

TEST_CASE("a full disk: one line naming the file, finished rows kept, resume completes") {
  const Scratch s("full");
  // A tmpfs of 8 pages, mounted in a mount namespace of the sweep's own: room
  // for the manifest and a few rows. The sweep's outcome is copied out before
  // the namespace, and its tmpfs, go.
  const std::string disk = s.path("disk"), kept = s.path("kept");
  fs::create_directories(disk);
  const std::string unshare =
      geteuid() == 0 ? "unshare --mount" : "unshare --user --map-root-user --mount";
  if (std::system((unshare + " true 2>/dev/null").c_str()) != 0)
    QMAC_SKIP("no mount namespace here (unshare refused): the full-disk case cannot run");
  // The mount, then qmac ("$0" "$@"), then the copy, all in one namespace.
  const std::string script = "mount -t tmpfs -o size=32k tmpfs " + disk +
                             " && \"$0\" \"$@\"; status=$?; cp -a " + disk + "/out " + kept +
                             "; exit $status";
  const Run full = run_qmac_env(unshare + " sh -c '" + script + "' ",
                                "sweep " + s.config + " -o " + disk + "/out -j 2", "");
  INFO("stderr: " << full.err);
  CHECK(full.status == 2);
  const std::string message = last_line(full.err);
  CHECK(message.rfind("qmac sweep: cannot write '" + disk + "/out/rows/", 0) == 0);
  CHECK(message.find("No space left on device") != std::string::npos);
  CHECK(message.find("points unfinished in '" + disk + "/out'") != std::string::npos);
  CHECK(message.find("run again to resume") != std::string::npos);
  // What was written is whole and right, and the sweep did get some way.
  const size_t rows = check_rows_as_reference(kept, s.reference);
  CHECK(rows >= 2);
  CHECK(rows < 18);
  // With room again, the sweep resumes to the uninterrupted run's results.
  REQUIRE(run_qmac("sweep " + s.config + " -o " + kept, "").status == 0);
  CHECK(slurp(kept + "/results.csv") == slurp(s.reference + "/results.csv"));
  CHECK(slurp(kept + "/results.json") == slurp(s.reference + "/results.json"));
  CHECK(check_rows_as_reference(kept, s.reference) == 18);
}

TEST_CASE("a file-size limit: the results file is refused, every row kept, resume completes") {
  const Scratch s("fsize");
  // 2 KiB: the manifest and each row (about 1 KiB) fit, results.csv
  // (about 5 KiB) does not. write() fails with EFBIG (qmac ignores SIGXFSZ).
  const std::string out = s.path("out");
  const Run limited = run_with_file_limit(4 * 512, {"sweep", s.config, "-o", out, "-j", "2"});
  INFO("stderr: " << limited.err);
  CHECK(limited.status == 2);
  const std::string message = last_line(limited.err);
  CHECK(message.rfind("qmac sweep: cannot write '" + out + "/results.csv': File too large", 0) ==
        0);
  CHECK(message.find("every point's row is kept in '" + out + "/rows'") != std::string::npos);
  CHECK_FALSE(fs::exists(out + "/results.csv"));
  CHECK(check_rows_as_reference(out, s.reference) == 18);
  REQUIRE(run_qmac("sweep " + s.config + " -o " + out, "").status == 0);
  CHECK(slurp(out + "/results.csv") == slurp(s.reference + "/results.csv"));
}
