#include "sweep_workers.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <new>
#include <signal.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qmac::cli {

SweepWorkers::SweepWorkers(const std::vector<std::vector<size_t>>& groups, size_t workers,
                           const std::function<void(size_t)>& job) {
  // The queue's head, shared by every worker (a lock-free atomic needs no
  // more than shared memory across processes).
  static_assert(std::atomic<size_t>::is_always_lock_free);
  next_group_ = mmap(nullptr, sizeof(std::atomic<size_t>), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (next_group_ == MAP_FAILED) throw std::runtime_error("mmap failed");
  auto* next = new (next_group_) std::atomic<size_t>(0);
  // Close-on-exec: the tools a worker starts must not hold the pipe open.
  if (pipe2(pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  for (size_t w = 0; w < std::min(workers, groups.size()); ++w) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(pipe_[0]);
      for (size_t g = next->fetch_add(1); g < groups.size(); g = next->fetch_add(1)) {
        for (size_t j : groups[g]) {
          try {
            job(j);
          } catch (const std::exception& e) {
            // One write below PIPE_BUF is atomic: reasons never interleave.
            const std::string why = std::string(e.what()).substr(0, PIPE_BUF - 1) + "\n";
            (void)!write(pipe_[1], why.data(), why.size());
            _exit(2);
          }
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
  if (next_group_ && next_group_ != MAP_FAILED) munmap(next_group_, sizeof(std::atomic<size_t>));
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
