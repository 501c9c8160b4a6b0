// The worker processes of a sweep. They take groups of jobs from one shared
// queue, in order, each group whole as soon as a worker is free (so a slow
// group, a large dot unit's synthesis, does not hold back the jobs that a
// fixed assignment would have queued behind it), and die with the sweep (PR_SET_PDEATHSIG), so a
// killed sweep leaves no orphan writing rows. A job that throws (a row that cannot be written: a
// full disk) stops its worker, which passes the reason to the parent through a pipe in one write,
// so the sweep can end with one line naming the file and the reason.
#pragma once

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace qmac::cli {

class SweepWorkers {
public:
  // Forks min(workers, groups) workers; each takes the next group not yet
  // taken (a counter in memory the workers share) and runs job(j) for every
  // j of it, until none is left.
  SweepWorkers(const std::vector<std::vector<size_t>>& groups, size_t workers,
               const std::function<void(size_t)>& job);
  ~SweepWorkers();
  SweepWorkers(const SweepWorkers&) = delete;
  SweepWorkers& operator=(const SweepWorkers&) = delete;

  size_t running() const { return pids_.size(); }
  // Reaps a worker that has ended, if any (never blocks); true if one did.
  bool reap_one();
  // Waits for every worker; then failure() is complete.
  void wait_all();
  // The first reason a worker reported, else how a worker died, else "".
  std::string failure();

private:
  void note(int status); // how a reaped worker ended

  std::vector<pid_t> pids_;    // not yet reaped
  void* next_group_ = nullptr; // std::atomic<size_t> in shared memory
  int pipe_[2] = {-1, -1};
  std::string death_, reported_;
};

} // namespace qmac::cli
