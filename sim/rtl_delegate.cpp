// The qmac commands that drive Verilated RTL (verify, bench --rtl, bench
// --array) in the qmac binary built without it: they run qmac-rtl, the same
// command line with the RTL models linked in, found next to this binary.
// Keeping the models out of qmac lets the efficiency study build in minutes
// (scripts/run.sh builds only qmac); scripts/test.sh builds both.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "qmac/cost/tool_error.h"

namespace qmac::cli {
namespace {

std::string rtl_binary() {
  std::string self(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", self.data(), self.size());
  if (n <= 0) throw cost::ToolError("cannot locate the qmac binary (/proc/self/exe)");
  self.resize(size_t(n));
  return self.substr(0, self.rfind('/') + 1) + "qmac-rtl";
}

[[noreturn]] void run_rtl_binary() {
  const std::string path = rtl_binary();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& arg : invocation())
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  execv(path.c_str(), argv.data());
  throw cost::ToolError("this command drives the Verilated RTL, which is in '" + path +
                        "': " + std::strerror(errno) +
                        " (build it: cmake --build build --target qmac-rtl; scripts/test.sh does)");
}

} // namespace

int cmd_verify(int, char**) {
  run_rtl_binary();
}

int bench_rtl(const Args&) {
  run_rtl_binary();
}

int bench_array(const Args&) {
  run_rtl_binary();
}

} // namespace qmac::cli
