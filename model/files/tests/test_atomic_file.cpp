// write_atomically: a reader sees the old file or the whole new one, never
// part, under concurrent writers, and a failed write (a missing directory, a
// file-size limit standing in for a full disk) leaves the old file and no
// temporary behind.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "qmac/files/atomic_file.h"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  TempDir() : path(fs::temp_directory_path() / ("qmac_files_" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  // The names in the directory.
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path))
      out.insert(e.path().filename().string());
    return out;
  }
  fs::path path;
};

} // namespace

TEST_CASE("writes the file, replaces an old one, leaves no temporary") {
  TempDir dir;
  const fs::path file = dir.path / "table.csv";
  CHECK(qmac::files::write_atomically(file, "a,b\n1,2\n").empty());
  CHECK(slurp(file) == "a,b\n1,2\n");
  const std::string big(1 << 20, 'x');
  CHECK(qmac::files::write_atomically(file, big).empty());
  CHECK(slurp(file) == big);
  CHECK(qmac::files::write_atomically(file, "").empty());
  CHECK(slurp(file).empty());
  CHECK(dir.names() == std::set<std::string>{"table.csv"});
}

TEST_CASE("a directory that does not exist: the reason, nothing written") {
  TempDir dir;
  CHECK(qmac::files::write_atomically(dir.path / "no" / "file", "x") ==
        "No such file or directory");
  CHECK(dir.names().empty());
}

TEST_CASE("past a file-size limit: the reason, the old file intact, no temporary") {
  TempDir dir;
  const fs::path file = dir.path / "rows.csv";
  REQUIRE(qmac::files::write_atomically(file, "old\n").empty());
  // In a child, which alone carries the limit (and ignores SIGXFSZ, so that
  // write() fails with EFBIG as on a full disk).
  const pid_t pid = fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    const std::string why = qmac::files::write_atomically(file, std::string(10000, 'n'));
    _exit(why == "File too large" ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK(slurp(file) == "old\n");
  CHECK(dir.names() == std::set<std::string>{"rows.csv"});
}

TEST_CASE("concurrent writers and a reader: every read is one whole version") {
  TempDir dir;
  const fs::path file = dir.path / "entry";
  // Versions of different lengths, each a run of one letter.
  auto version = [](int v) { return std::string(1000 + 977 * v, char('a' + v)); };
  REQUIRE(qmac::files::write_atomically(file, version(0)).empty());
  std::vector<pid_t> writers;
  for (int p = 0; p < 3; ++p) {
    const pid_t pid = fork();
    if (pid == 0) {
      // Two threads per process: the temporary names must differ between them too.
      auto write_many = [&](int first) {
        for (int i = 0; i < 200; ++i)
          if (!qmac::files::write_atomically(file, version((first + i) % 8)).empty()) _exit(1);
      };
      std::thread other(write_many, p + 3);
      write_many(p);
      other.join();
      _exit(0);
    }
    writers.push_back(pid);
  }
  int reads = 0, torn = 0;
  for (size_t done = 0; done < writers.size();) {
    const std::string text = slurp(file);
    ++reads;
    const int v = text.empty() ? -1 : text[0] - 'a';
    torn += v < 0 || v > 7 || text != version(v);
    int status = 0;
    if (waitpid(-1, &status, WNOHANG) > 0) {
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
      ++done;
    }
  }
  CHECK(reads > 10);
  CHECK(torn == 0);
  CHECK(dir.names() == std::set<std::string>{"entry"});
}

TEST_CASE("temporary names are told apart from the files") {
  CHECK(qmac::files::is_temporary("rows/0123.csv.tmp.4242.0"));
  CHECK_FALSE(qmac::files::is_temporary("rows/0123.csv"));
  CHECK_FALSE(qmac::files::is_temporary("tmp/rows.csv"));
}
