// What a running sweep tells its user: a bar with the time left on a
// terminal, a line per finished point otherwise (logs, CI).
#pragma once

#include <chrono>
#include <string>

namespace qmac::cli {

class SweepProgress {
public:
  SweepProgress(size_t total, bool bar);
  // One more point finished: `what` names it, `status` says how it went.
  void done(const std::string& what, const std::string& status);

private:
  using clock = std::chrono::steady_clock;
  size_t total_, done_ = 0;
  bool bar_;
  clock::time_point t0_;
};

} // namespace qmac::cli
