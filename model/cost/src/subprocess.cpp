#include "qmac/cost/subprocess.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmac/cost/tool_error.h"

extern char** environ;

namespace qmac::cost {
namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

// posix_spawn file actions, destroyed on every path out.
struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

// How long a tool may run: $QMAC_TOOL_TIMEOUT seconds (0: no limit), else an
// hour, far beyond any synthesis or toggle simulation qmac starts, so that
// only a hung tool meets it.
long timeout_seconds() {
  const char* text = std::getenv("QMAC_TOOL_TIMEOUT");
  if (!text || !*text) return 3600;
  char* end = nullptr;
  const long seconds = std::strtol(text, &end, 10);
  if (*end || seconds < 0)
    throw ToolError(std::string("QMAC_TOOL_TIMEOUT must be a number of seconds, not '") + text +
                    "'");
  return seconds;
}

// Everything the child writes until it closes its end, or false if the
// deadline passes first.
bool read_all(int fd, std::string& text, long seconds) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::seconds(seconds);
  char buffer[4096];
  for (;;) {
    if (seconds > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
      pollfd p{fd, POLLIN, 0};
      const int ready = left > 0 ? poll(&p, 1, int(std::min<long long>(left, 60000))) : 0;
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) {
        if (clock::now() >= deadline) return false;
        continue;
      }
    }
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, size_t(n));
    } else if (n == 0 || errno != EINTR) {
      return true;
    }
  }
}

} // namespace

namespace {

// Runs the program; after `seconds` (0: never) it is killed and the result
// says timed_out.
ProcessResult run(const std::vector<std::string>& argv, const std::string& cwd, long seconds) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0)
    throw ToolError("cannot run " + argv.at(0) + ": pipe: " + std::strerror(errno));
  Fd read_end{ends[0]}, write_end{ends[1]};

  // The child: stdin from /dev/null, stdout and stderr into the pipe, in cwd.
  FileActions fa;
  posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa.actions, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&fa.actions, write_end.fd, 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa.actions, cwd.c_str());

  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  // glibc's posix_spawnp reports a failed exec (not found, not executable)
  // as its own return value, so a missing tool is an error here, not a
  // mysterious exit status 127.
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, args[0], &fa.actions, nullptr, args.data(), environ);
  if (err != 0)
    throw ToolError("cannot run '" + argv[0] + "': " + std::strerror(err) +
                    (err == ENOENT ? " (is it installed and on PATH?)" : ""));
  write_end.reset();

  ProcessResult result;
  if (!read_all(read_end.fd, result.output, seconds)) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    result.exit_status = 128 + SIGKILL;
    result.timed_out = true;
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw ToolError("cannot wait for " + argv[0] + ": " + std::strerror(errno));
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd) {
  const long seconds = timeout_seconds();
  ProcessResult result = run(argv, cwd, seconds);
  // A hung tool must not hang qmac (a sweep goes on to its next point).
  if (result.timed_out)
    throw ToolError("'" + argv[0] + "' did not finish in " + std::to_string(seconds) +
                    " s and was stopped (QMAC_TOOL_TIMEOUT sets the limit in seconds)");
  return result;
}

ProcessResult run_process_for(const std::vector<std::string>& argv, const std::string& cwd,
                              long seconds) {
  return run(argv, cwd, seconds);
}

} // namespace qmac::cost
