// The toggle counter: compiled at run time by qmac's energy flow
// (model/cost/src/toggle_simulator.cpp) together with one Verilated toggle top
// (model/cost/src/toggle_top.h), never by the project's build.
//
//   toggle_sim STIMULUS OUT [--per-net]
//
// STIMULUS: "qmac-stimulus 1\n", then uint64 beats, uint64 count_from, then
// per beat uint16 a, uint16 b, uint8 control (bit 0 rst, 1 valid, 2 clear),
// little-endian. Each beat is one clock cycle: the inputs are applied, the
// clock rises, and the probe (every cell output) is sampled; transitions
// are counted between consecutive samples from beat count_from (>= 1) on.
//
// OUT (text): "cycles N", "word W RISES FALLS" for each 32-bit probe word,
// with --per-net "net BIT RISES FALLS" for each probe bit that toggled, and
// the last cycle's outputs "acc HEX" (128 bits) and "flags N".
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

bool read_stimulus(const char* path, std::vector<uint8_t>& beats, uint64_t& n, uint64_t& from) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char magic[16] = {};
  const bool ok = std::fread(magic, 1, 16, f) == 16 &&
                  std::memcmp(magic, "qmac-stimulus 1\n", 16) == 0 &&
                  std::fread(&n, 8, 1, f) == 1 && std::fread(&from, 8, 1, f) == 1;
  if (ok) {
    beats.resize(n * 5);
    if (std::fread(beats.data(), 1, beats.size(), f) != beats.size()) n = 0;
  }
  std::fclose(f);
  return ok && n > 0 && from >= 1;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s STIMULUS OUT [--per-net]\n", argv[0]);
    return 2;
  }
  const bool per_net = argc > 3 && std::strcmp(argv[3], "--per-net") == 0;
  std::vector<uint8_t> beats;
  uint64_t n = 0, from = 0;
  if (!read_stimulus(argv[1], beats, n, from)) {
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
    const uint8_t* beat = &beats[t * 5];
    top->a = uint16_t(beat[0] | beat[1] << 8);
    top->b = uint16_t(beat[2] | beat[3] << 8);
    top->rst = beat[4] & 1;
    top->valid = (beat[4] >> 1) & 1;
    top->clear = (beat[4] >> 2) & 1;
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
  std::fprintf(out, "acc ");
  for (int w = 3; w >= 0; --w)
    std::fprintf(out, "%08" PRIx32, word_of(top->acc, size_t(w)));
  std::fprintf(out, "\nflags %u\n", unsigned(top->flags));
  top->final();
  return std::fclose(out) == 0 ? 0 : 1;
}
