// MacPe, clocked by the SystemC kernel, against a reference written here from
// qmac_pe's definition: a queue of PIPELINE beats and an Accumulator (checked
// against MPFR elsewhere). Random beats with bubbles, clears and clears
// without products, NaN/Inf codes, every pipeline depth, after every edge.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <random>

#include "qmac/numerics/mac.h"
#include "qmac/sc/mac_pe.h"

using namespace qmac;

namespace {

struct Bench {
  explicit Bench(const std::string& n)
      : rst((n + "_rst").c_str()), valid((n + "_valid").c_str()), clear((n + "_clear").c_str()),
        sa((n + "_a").c_str()), sb((n + "_b").c_str()), out((n + "_acc").c_str()) {}
  std::string a, b, acc;
  int pipeline = 0;
  sc_core::sc_signal<bool> rst, valid, clear;
  sc_core::sc_signal<uint32_t> sa, sb;
  sc_core::sc_signal<AccState> out;
  std::unique_ptr<sc::MacPe> pe;
};

std::vector<std::unique_ptr<Bench>> g_benches;
std::unique_ptr<sc_core::sc_clock> g_clk;

} // namespace

int sc_main(int argc, char** argv) {
  g_clk = std::make_unique<sc_core::sc_clock>("clk", 1, sc_core::SC_NS);
  const struct {
    const char *a, *b, *acc;
  } units[] = {{"int8", "int8", "int16"},     {"e4m3fn", "e4m3fn", "fp16"},
               {"e5m2", "e5m2", "bf16"},      {"e5m2", "e4m3fn", "fx+12"},
               {"flint8", "flint8", "int32"}, {"e4m3", "e4m3", "fp32"}};
  for (const auto& u : units)
    for (int p = 0; p <= 3; ++p) {
      auto bench = std::make_unique<Bench>("b" + std::to_string(g_benches.size()));
      bench->a = u.a;
      bench->b = u.b;
      bench->acc = u.acc;
      bench->pipeline = p;
      const Format fa = parse_format(u.a), fb = parse_format(u.b);
      bench->pe = std::make_unique<sc::MacPe>(("pe" + std::to_string(g_benches.size())).c_str(), fa,
                                              fb, parse_accumulator(u.acc, fa, fb), p);
      sc::MacPe& pe = *bench->pe;
      pe.clk(*g_clk);
      pe.rst(bench->rst);
      pe.valid(bench->valid);
      pe.clear(bench->clear);
      pe.a(bench->sa);
      pe.b(bench->sb);
      pe.acc(bench->out);
      g_benches.push_back(std::move(bench));
    }
  return Catch::Session().run(argc, argv);
}

TEST_CASE("MacPe equals the PE definition after every edge") {
  std::mt19937_64 rng(3);
  const int cycles = 20000;
  // Every PE runs at once; each has its own reference.
  struct Ref {
    Multiplier mul;
    Accumulator acc;
    std::deque<std::array<uint32_t, 4>> pipe; // valid, clear, a, b
  };
  std::vector<Ref> refs;
  for (auto& b : g_benches) {
    const Format fa = parse_format(b->a), fb = parse_format(b->b);
    refs.push_back(Ref{Multiplier(fa, fb), Accumulator(parse_accumulator(b->acc, fa, fb)),
                       std::deque<std::array<uint32_t, 4>>(size_t(b->pipeline), {0, 0, 0, 0})});
    b->rst.write(true);
  }
  sc_core::sc_start(1, sc_core::SC_NS); // the reset edge
  long mismatches = 0;
  for (int t = 0; t < cycles; ++t) {
    for (size_t i = 0; i < g_benches.size(); ++i) {
      Bench& b = *g_benches[i];
      const uint32_t valid = rng() % 8 != 0, clear = rng() % 64 == 0;
      const uint32_t a = uint32_t(rng() & 0xff), bb = uint32_t(rng() & 0xff);
      b.rst.write(false);
      b.valid.write(valid);
      b.clear.write(clear);
      b.sa.write(a);
      b.sb.write(bb);
      Ref& r = refs[i];
      r.pipe.push_back({valid, clear, a, bb});
      const auto now = r.pipe.front();
      r.pipe.pop_front();
      if (now[1]) r.acc.clear();
      if (now[0]) r.acc.add(r.mul(now[2], now[3]));
    }
    sc_core::sc_start(1, sc_core::SC_NS);
    for (size_t i = 0; i < g_benches.size(); ++i)
      if (g_benches[i]->out.read() != state_of(refs[i].acc) && ++mismatches <= 5)
        FAIL_CHECK(g_benches[i]->a << "x" << g_benches[i]->b << "->" << g_benches[i]->acc << " p"
                                   << g_benches[i]->pipeline << " cycle " << t << ": want "
                                   << state_of(refs[i].acc) << " got " << g_benches[i]->out.read());
  }
  CHECK(mismatches == 0);
}
