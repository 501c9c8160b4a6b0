// The report script runs as a child process with its stderr on a pipe: the
// user still sees everything it prints, and a failure is reported with its
// last line (the exception of a Python traceback) instead of a bare status.
#include "report_script.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "qmac/cost/tool_error.h"

#ifndef QMAC_REPORT_SCRIPT
#define QMAC_REPORT_SCRIPT "scripts/report/make_report.py"
#endif

namespace qmac::cli {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  const size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end + 1 - (start == std::string::npos ? 0 : start + 1));
}

// Why a failed run failed, in words the user can act on.
std::string hint(const std::string& line) {
  if (line.find("matplotlib") != std::string::npos)
    return " (install Debian's python3-matplotlib: apt-get install python3-matplotlib)";
  return "";
}

} // namespace

ReportScript find_report_script() {
  return {env_or("QMAC_PYTHON", "/usr/bin/python3"),
          env_or("QMAC_REPORT_SCRIPT", QMAC_REPORT_SCRIPT)};
}

void run_report_script(const ReportScript& s, const std::string& results_dir,
                       const std::string& out_dir, const std::string& qmac_binary) {
  struct stat st;
  if (stat(s.script.c_str(), &st) != 0)
    throw cost::ToolError("the report script " + s.script +
                          " is missing (QMAC_REPORT_SCRIPT names another)");
  std::vector<std::string> args = {s.python, s.script, "--results", results_dir,
                                   "--out",  out_dir,  "--qmac",    qmac_binary};
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) throw cost::ToolError(std::string("pipe: ") + std::strerror(errno));
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw cost::ToolError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(pipe_fd[1], 2);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    execv(argv[0], argv.data());
    const std::string why = "cannot run " + s.python + ": " + std::strerror(errno) + "\n";
    (void)!write(2, why.data(), why.size());
    _exit(127);
  }
  close(pipe_fd[1]);
  std::string err;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(pipe_fd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    err.append(buf, size_t(n));
    (void)!write(2, buf, size_t(n)); // the user sees warnings as they come
  }
  close(pipe_fd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string line = last_line(err);
  const std::string how = WIFEXITED(status)
                              ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : "killed by signal " + std::to_string(WTERMSIG(status));
  throw cost::ToolError("the report script failed (" + how + ")" +
                        (line.empty() ? std::string() : ": '" + line + "'") + hint(line));
}

} // namespace qmac::cli
