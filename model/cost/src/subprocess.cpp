#include "subprocess.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmac/cost/tool_error.h"

extern char** environ;

namespace qmac::cost::detail {
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

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, size_t(n));
    } else if (n == 0 || errno != EINTR) {
      return text;
    }
  }
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd) {
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
  result.output = read_all(read_end.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw ToolError("cannot wait for " + argv[0] + ": " + std::strerror(errno));
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

} // namespace qmac::cost::detail
