#include "sweep_progress.h"

#include <algorithm>
#include <cstdio>

namespace qmac::cli {
namespace {

std::string duration(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

} // namespace

SweepProgress::SweepProgress(size_t total, bool bar)
    : total_(total), bar_(bar), t0_(clock::now()) {}

void SweepProgress::done(const std::string& what, const std::string& status) {
  ++done_;
  const double spent = std::chrono::duration<double>(clock::now() - t0_).count();
  const double eta = spent / double(done_) * double(total_ - done_);
  if (bar_) {
    const int width = 30, filled = int(width * done_ / std::max<size_t>(total_, 1));
    std::fprintf(stderr, "\r[%s%s] %zu/%zu points, %s elapsed, ETA %s ",
                 std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(), done_,
                 total_, duration(spent).c_str(), duration(eta).c_str());
    if (done_ == total_) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "sweep: %zu/%zu %s: %s (ETA %s)\n", done_, total_, what.c_str(),
                 status.c_str(), duration(eta).c_str());
  }
  std::fflush(stderr);
}

} // namespace qmac::cli
