// The accuracy figures of a sweep row at the default sizes, with the time each
// call takes: best (and absmax) SQNR per format and distribution, and the dot
// product errors of int8 and e4m3fn through the accumulators.
// Usage: qmac_accuracy_bench [format ...]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "qmac/accuracy/dot_error.h"
#include "qmac/accuracy/sqnr.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

const std::vector<qmac::Distribution> kDistributions = {
    qmac::Distribution::Gaussian, qmac::Distribution::Laplace, qmac::Distribution::Uniform,
    qmac::Distribution::StudentT};

void sqnr_table(const std::vector<std::string>& formats) {
  std::printf("| format | gaussian | laplace | uniform | student-t | slowest call (s) |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const auto& f : formats) {
    std::printf("| %s |", f.c_str());
    double slowest = 0;
    for (auto d : kDistributions) {
      const auto t = Clock::now();
      const auto r = qmac::accuracy::sqnr(f, d);
      slowest = std::max(slowest, seconds_since(t));
      std::printf(" %.2f (absmax %.2f, clip %.3f) |", r.best_db, r.absmax_db, r.best_scale_ratio);
    }
    std::printf(" %.3f |\n", slowest);
    std::fflush(stdout);
  }
}

void dot_table() {
  std::printf("\n| a x b | acc | dist | median rel | max rel | median total | max total | "
              "overflow | time (s) |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const char* f : {"int8", "e4m3fn"})
    for (const char* acc : {"fx+12", "int32", "fp32", "fp16", "bf16"})
      for (auto d : kDistributions) {
        const auto t = Clock::now();
        const auto e = qmac::accuracy::dot_error(f, f, acc, d);
        std::printf("| %s | %s | %s | %.3g | %.3g | %.3g | %.3g | %.3f | %.3f |\n", f, acc,
                    qmac::distribution_names()[size_t(d)].c_str(), e.median_rel, e.max_rel,
                    e.median_rel_total, e.max_rel_total, e.overflow_fraction, seconds_since(t));
        std::fflush(stdout);
      }
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> formats(argv + 1, argv + argc);
  if (formats.empty())
    formats = {"int4", "flint4",  "float4_e2m1fn", "mxfp4",      "nvfp4",
               "int8", "flint8",  "e5m2",          "e4m3fn",     "e3m4",
               "e2m5", "e3m4fin", "e2m5fin",       "mxfp8_e4m3", "mxint8"};
  sqnr_table(formats);
  dot_table();
}
