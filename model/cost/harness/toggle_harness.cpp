// The toggle counter: compiled at run time by qmac's energy flow
// (model/cost/src/toggle_simulator.cpp) together with one Verilated toggle top
// (model/cost/src/toggle_top.h), never by the project's build.
//
//   toggle_sim STIMULUS OUT [--per-net]
//
// STIMULUS: "qmac-stimulus 2\n", then uint64 beats, uint64 count_from,
// uint64 words per beat (QMAC_IN_WORDS), then per beat that many uint32
// words of the top's packed inputs, LSB word first, little-endian. Each beat
// is one clock cycle: the inputs are applied, the clock rises, and the probe
// (every cell output) is sampled; transitions are counted between
// consecutive samples from beat count_from (>= 1) on.
//
// OUT (text): "cycles N", "word W RISES FALLS" for each 32-bit probe word,
// with --per-net "net BIT RISES FALLS" for each probe bit that toggled, the
// last cycle's packed outputs "out HEX" (most significant digit first), "end".
#include <pthread.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "Vqmac_toggle_top.h"
#include "verilated.h"

namespace {

// Verilator holds a port in an integer up to 64 bits, else in 32-bit words.
template <typename T> uint32_t word_of(const T& port, size_t i) {
  if constexpr (std::is_integral_v<T>)
    return i < sizeof(T) / 4 + (sizeof(T) < 4) ? uint32_t(uint64_t(port) >> (32 * i)) : 0;
  else
    return port[i];
}

template <typename T> void set_words(T& port, const uint32_t* words, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 2; ++i)
      v |= uint64_t(words[i]) << (32 * i);
    port = T(v);
  } else {
    for (size_t i = 0; i < n; ++i)
      port[i] = words[i];
  }
}

struct Job {
  int argc;
  char** argv;
  int status = 1;
};

bool read_stimulus(const char* path, std::vector<uint32_t>& words, uint64_t& n, uint64_t& from) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char magic[16] = {};
  uint64_t per_beat = 0;
  const bool ok = std::fread(magic, 1, 16, f) == 16 &&
                  std::memcmp(magic, "qmac-stimulus 2\n", 16) == 0 &&
                  std::fread(&n, 8, 1, f) == 1 && std::fread(&from, 8, 1, f) == 1 &&
                  std::fread(&per_beat, 8, 1, f) == 1 && per_beat == QMAC_IN_WORDS;
  if (ok) {
    words.resize(n * QMAC_IN_WORDS);
    if (std::fread(words.data(), 4, words.size(), f) != words.size()) n = 0;
  }
  std::fclose(f);
  return ok && n > 0 && from >= 1;
}

int run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s STIMULUS OUT [--per-net]\n", argv[0]);
    return 2;
  }
  const bool per_net = argc > 3 && std::strcmp(argv[3], "--per-net") == 0;
  std::vector<uint32_t> stimulus;
  uint64_t n = 0, from = 0;
  if (!read_stimulus(argv[1], stimulus, n, from)) {
    std::fprintf(stderr, "cannot read stimulus %s\n", argv[1]);
    return 1;
  }

  auto context = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<Vqmac_toggle_top>(context.get());
  constexpr size_t kWords = QMAC_PROBE_WORDS;
  std::vector<uint32_t> previous(kWords, 0), current(kWords, 0);
  std::vector<uint64_t> rises(kWords, 0), falls(kWords, 0);
  std::vector<uint64_t> net_rises(per_net ? kWords * 32 : 0), net_falls(net_rises.size());

  top->clk = 0;
  top->eval();
  for (uint64_t t = 0; t < n; ++t) {
    set_words(top->data_in, &stimulus[t * QMAC_IN_WORDS], QMAC_IN_WORDS);
    top->clk = 0;
    top->eval();
    top->clk = 1;
    top->eval();
    for (size_t w = 0; w < kWords; ++w)
      current[w] = word_of(top->probe, w);
    if (t >= from) {
      for (size_t w = 0; w < kWords; ++w) {
        const uint32_t changed = current[w] ^ previous[w];
        rises[w] += uint64_t(__builtin_popcount(changed & current[w]));
        falls[w] += uint64_t(__builtin_popcount(changed & ~current[w]));
        for (uint32_t c = per_net ? changed : 0; c; c &= c - 1) {
          const int bit = __builtin_ctz(c);
          ((current[w] >> bit) & 1 ? net_rises : net_falls)[w * 32 + size_t(bit)]++;
        }
      }
    }
    previous.swap(current);
  }

  FILE* out = std::fopen(argv[2], "w");
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 1;
  }
  std::fprintf(out, "cycles %" PRIu64 "\n", n - from);
  for (size_t w = 0; w < kWords; ++w)
    std::fprintf(out, "word %zu %" PRIu64 " %" PRIu64 "\n", w, rises[w], falls[w]);
  for (size_t b = 0; b < net_rises.size(); ++b)
    if (net_rises[b] || net_falls[b])
      std::fprintf(out, "net %zu %" PRIu64 " %" PRIu64 "\n", b, net_rises[b], net_falls[b]);
  std::fprintf(out, "out ");
  for (size_t w = QMAC_OUT_WORDS; w-- > 0;)
    std::fprintf(out, "%08" PRIx32, word_of(top->data_out, w));
  std::fprintf(out, "\nend\n");
  top->final();
  return std::fclose(out) == 0 ? 0 : 1;
}

void* run_job(void* p) {
  Job* job = static_cast<Job*>(p);
  job->status = run(job->argc, job->argv);
  return nullptr;
}

} // namespace

// The simulation runs on a thread with a 1 GiB stack: the netlist is
// compiled at -O0, where Verilator's evaluation of a large unit (tens of
// thousands of cells) keeps every temporary on the stack.
int main(int argc, char** argv) {
  Job job{argc, argv};
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, size_t(1) << 30) != 0 ||
      pthread_create(&thread, &attr, run_job, &job) != 0)
    return run(argc, argv);
  pthread_join(thread, nullptr);
  return job.status;
}
