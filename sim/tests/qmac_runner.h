// Runs the real qmac binary the way a user does, for the command-line tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Run {
  int status;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs `ENV qmac ARGS` with `input` on stdin; env is a shell prefix such as
// "QMAC_CACHE_DIR=/tmp/x " (empty: the test's own environment).
Run run_qmac_env(const std::string& env, const std::string& args, const std::string& input) {
  static int counter = 0;
  std::string base = "/tmp/qmac_cli_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  {
    std::ofstream in(base + ".in", std::ios::binary);
    in << input;
  }
  std::string cmd = env + std::string(QMAC_BINARY) + " " + args + " <" + base + ".in >" + base +
                    ".out 2>" + base + ".err";
  int raw = std::system(cmd.c_str());
  Run r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(base + ".out"), slurp(base + ".err")};
  for (const char* ext : {".in", ".out", ".err"})
    std::remove((base + ext).c_str());
  return r;
}

// Whether `qmac ARGS` runs qmac-rtl (verify, bench --rtl, bench --array),
// which a build with QMAC_RTL=OFF does not have.
[[maybe_unused]] bool needs_rtl(const std::string& args) {
  return args.rfind("verify", 0) == 0 ||
         (args.rfind("bench", 0) == 0 &&
          (args.find("--rtl") != std::string::npos || args.find("--array") != std::string::npos));
}

// Runs `qmac ARGS` with `input` on stdin.
[[maybe_unused]] Run run_qmac(const std::string& args, const std::string& input) {
  return run_qmac_env("", args, input);
}

[[maybe_unused]] size_t count_lines(const std::string& s) {
  size_t n = 0;
  for (char c : s)
    n += c == '\n';
  return n;
}

// A user error: exit 2, exactly one stderr line that mentions `needle`.
[[maybe_unused]] void expect_user_error(const Run& r, const std::string& needle) {
  INFO("stderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find(needle) != std::string::npos);
}

} // namespace
