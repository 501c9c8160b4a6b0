#include "sweep_workers.h"

#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qmac::cli {

SweepWorkers::SweepWorkers(const std::vector<std::vector<size_t>>& assignments,
                           const std::function<void(size_t)>& job) {
  // Close-on-exec: the tools a worker starts must not hold the pipe open.
  if (pipe2(pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  for (const std::vector<size_t>& jobs : assignments) {
    if (jobs.empty()) continue;
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(pipe_[0]);
      for (size_t j : jobs) {
        try {
          job(j);
        } catch (const std::exception& e) {
          // One write below PIPE_BUF is atomic: reasons never interleave.
          const std::string why = std::string(e.what()).substr(0, PIPE_BUF - 1) + "\n";
          (void)!write(pipe_[1], why.data(), why.size());
          _exit(2);
        }
      }
      _exit(0);
    }
    pids_.push_back(pid);
  }
  close(pipe_[1]);
  pipe_[1] = -1;
}

// Normally every worker has been waited for; if the sweep is leaving on an
// exception, its workers go with it (as they would when it exits).
SweepWorkers::~SweepWorkers() {
  for (pid_t pid : pids_)
    kill(pid, SIGKILL);
  wait_all();
  if (pipe_[0] >= 0) close(pipe_[0]);
}

bool SweepWorkers::reap_one() {
  for (size_t i = 0; i < pids_.size(); ++i) {
    int status = 0;
    if (waitpid(pids_[i], &status, WNOHANG) != pids_[i]) continue;
    pids_.erase(pids_.begin() + long(i));
    note(status);
    return true;
  }
  return false;
}

void SweepWorkers::wait_all() {
  for (pid_t pid : pids_) {
    int status = 0;
    if (waitpid(pid, &status, 0) == pid) note(status);
  }
  pids_.clear();
}

void SweepWorkers::note(int status) {
  if (WIFSIGNALED(status) && death_.empty())
    death_ = "a worker died (signal " + std::to_string(WTERMSIG(status)) + ")";
}

std::string SweepWorkers::failure() {
  wait_all(); // every worker has exited: the pipe holds all it will ever hold
  if (pipe_[0] >= 0) {
    std::string reported(PIPE_BUF, '\0');
    const ssize_t got = read(pipe_[0], reported.data(), reported.size());
    close(pipe_[0]);
    pipe_[0] = -1;
    reported.resize(got > 0 ? size_t(got) : 0);
    reported_ = reported.substr(0, reported.find('\n'));
  }
  return reported_.empty() ? death_ : reported_;
}

} // namespace qmac::cli
