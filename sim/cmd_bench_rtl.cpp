// qmac bench --rtl: how fast the Verilated RTL PEs run, next to their golden
// twins and a plain fp32 multiply-add loop, in the same run.
#include <chrono>
#include <cstdio>

#include "check.h"
#include "cli.h"
#include "commands.h"
#include "qmac/numerics/codec.h"
#include "vectors.h"

namespace qmac::cli {
namespace {} // namespace

int bench_rtl(const Args& args) {
  const uint64_t cycles = uint64_t(args.integer("--macs", 5000000, 1000, 10000000000LL));
  auto units = split_list(args.get("--units").value_or(
      "int8:int8:int32,int8:int8:int32:p0,e4m3fn:e4m3fn:fp32,e4m3fn:e4m3fn:fp16,"
      "e5m2:e5m2:bf16,e4m3fn:e4m3fn:fx+12,flint8:flint8:fp32"));
  for (const std::string& name : units)
    rtl::compiled_unit(name); // every name checked before the first line is printed
  std::printf("%-24s %14s %14s %14s %14s\n", "unit", "RTL cycles/s", "golden MAC/s", "lockstep/s",
              "plain fp32/s");
  for (const std::string& name : units) {
    const rtl::UnitEntry& e = rtl::compiled_unit(name);
    const rtl::Unit u = rtl::parse_unit(e.name);
    // Random dot products over 2^16 beats, replayed: this times the models,
    // not the vector generator.
    std::vector<rtl::Beat> beats;
    rtl::RandomBeats(u, 1).fill(beats, 1 << 16);
    beats.resize(1 << 16);
    std::vector<float> fa(beats.size()), fb(beats.size());
    for (size_t i = 0; i < beats.size(); ++i) {
      fa[i] = float(decode(u.a, beats[i].a).to_double());
      fb[i] = float(decode(u.b, beats[i].b).to_double());
    }
    const size_t mask = beats.size() - 1;

    auto pe = e.make_pe();
    pe->reset();
    uint64_t sink = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < cycles; ++c)
      sink += pe->cycle(beats[c & mask]).reg[0];
    const double rtl_rate = double(cycles) / seconds_since(t0);

    array::PeCycleModel golden = rtl::golden_pe(u);
    golden.reset();
    t0 = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < cycles; ++c)
      sink += golden.cycle(beats[c & mask]).reg[0];
    const double golden_rate = double(cycles) / seconds_since(t0);

    rtl::CheckReport r = rtl::check_pe(e, cycles, 1, "");
    const double lockstep_rate = double(r.vectors) / r.seconds;

    volatile float acc = 0;
    t0 = std::chrono::steady_clock::now();
    float a = 0;
    for (uint64_t c = 0; c < cycles; ++c) {
      if (beats[c & mask].clear) a = 0;
      a += fa[c & mask] * fb[c & mask];
      if ((c & 1023) == 0) acc = acc + a;
    }
    const double plain_rate = double(cycles) / seconds_since(t0);
    std::printf("%-24s %14.3g %14.3g %14.3g %14.3g%s\n", u.name.c_str(), rtl_rate, golden_rate,
                lockstep_rate, plain_rate, r.mismatches ? "  MISMATCH" : "");
    if (sink == 42) std::printf(" ");
  }
  return 0;
}

} // namespace qmac::cli
