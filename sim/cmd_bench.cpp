// qmac bench: bit-exact MACs per second per (input format, accumulator) pair,
// next to a plain fp32 multiply-add loop over the same data in the same run.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "bench_data.h"
#include "cli.h"
#include "commands.h"
#include "qmac/numerics/codec.h"
#include "qmac/numerics/dot_kernel.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac bench [--macs N] [--k K] [--seed S] [--formats LIST] [--accs LIST]
       qmac bench --dot [--macs N] [--k K] [--seed S] [--configs LIST]
       qmac bench --rtl [--macs N] [--units LIST]
       qmac bench --array [--a F --b F --acc A] [--dataflow ws|os] [--sizes 8,16,32]
                  [--pipeline N] [--pe-cycles N] [--seed S]

For each input format (both operands) and accumulator, times bit-exact dot
products of length K (default 256) over Gaussian data quantized to the format,
and in the same run a plain fp32 loop `acc += a[i] * b[i]` over the same values.
Prints MAC/s, the kernel path taken and the ratio to the plain loop.
  --macs N     MACs timed per pair (default 20000000)
  --formats    comma-separated input formats (default: the 4- and 8-bit set)
  --accs       comma-separated accumulators (default int32,fx+12,fp32,fp16,bf16)

With --dot: products per second of golden dot-product units (qmac dot) on
dot products of length K over Gaussian data, next to the plain fp32 loop and
an exact rational sum (cpp_rational) of the same products.
  --configs    semicolon-separated UNIT:A:B:ACC items (default: h100, b200,
               ada, arm-fdot4 and arm-fdot2 on FP8, exact, int8 n=32 -> int32,
               flint8)

With --array: the SystemC MAC array and the Verilated RTL array of the same
configuration (if built, see testbench/arrays/arrays.txt) run the same GEMM,
each in a process of its own; prints PE-cycles/s of both, whether their results
and cycle counts agree, and the analytical model's time per GEMM and speed-up
over SystemC (default int8 x int8 -> int32, ws, 8x8, 16x16 and 32x32 arrays,
about --pe-cycles 20000000 simulated PE-cycles each).
With --rtl: for each RTL unit (default: a set of PEs; see qmac verify --list),
cycles per second of the Verilated PE alone, of its golden twin alone, of
both in lockstep as qmac verify runs them, and of a plain fp32 loop over the
same operands; N cycles each (default 5000000).
  --units      comma-separated unit names
)";

} // namespace

int cmd_bench(int argc, char** argv) {
  auto parsed =
      parse_command(argc, argv,
                    {"--macs", "--k", "--seed", "--formats", "--accs", "--units", "--a", "--b",
                     "--acc", "--dataflow", "--sizes", "--pipeline", "--pe-cycles", "--configs"},
                    {"--rtl", "--array", "--dot"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.flag("--rtl")) return bench_rtl(args);
  if (args.flag("--array")) return bench_array(args);
  if (args.flag("--dot")) return bench_dot(args);
  const size_t macs = size_t(args.integer("--macs", 20000000, 1000, 100000000000LL));
  const size_t k = size_t(args.integer("--k", 256, 1, 1 << 20));
  std::mt19937_64 rng(uint64_t(args.integer("--seed", 1, 0, INT64_MAX)));
  auto formats = split_list(args.get("--formats")
                                .value_or("int8,uint8,int4,e4m3fn,e5m2,e4m3fnuz,e5m2fnuz,e3m4,e2m5,"
                                          "float4_e2m1fn,uflint4,flint4,"
                                          "flint8"));
  auto accs = split_list(args.get("--accs").value_or("int32,fx+12,fp32,fp16,bf16"));

  // Every name is checked before the first line is printed (an accumulator
  // name on int8 products: some formats refuse some widths, and are skipped).
  for (const std::string& fname : formats)
    parse_format(fname);
  const Format int8 = parse_format("int8");
  for (const std::string& aname : accs)
    parse_accumulator(aname, int8, int8);

  const size_t pool = 1 << 16; // operands stay in cache: this measures arithmetic
  const size_t dots = std::max<size_t>(1, macs / k);
  std::printf("%-14s %-7s %-13s %12s %14s %8s\n", "format", "acc", "path", "MAC/s", "plain fp32/s",
              "ratio");
  for (const std::string& fname : formats) {
    Format f = parse_format(fname);
    std::vector<uint32_t> a = gaussian_codes<uint32_t>(f, pool + k, rng),
                          b = gaussian_codes<uint32_t>(f, pool + k, rng);
    std::vector<float> fa(a.size()), fb(b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      fa[i] = float(decode(f, a[i]).to_double());
      fb[i] = float(decode(f, b[i]).to_double());
    }
    // The baseline: a plain fp32 multiply-add loop over the same values.
    volatile float sink = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (size_t d = 0; d < dots; ++d) {
      size_t off = (d * 4099) % pool;
      float acc = 0;
      for (size_t i = 0; i < k; ++i)
        acc += fa[off + i] * fb[off + i];
      sink = sink + acc;
    }
    double plain = double(dots * k) / seconds_since(t0);

    for (const std::string& aname : accs) {
      AccumulatorSpec spec;
      try {
        spec = parse_accumulator(aname, f, f);
      } catch (const InputError&) {
        continue; // a pair the accumulator refuses (e.g. an absurd width)
      }
      DotKernel kernel(f, f, spec);
      Accumulator acc(spec);
      uint64_t check = 0;
      t0 = std::chrono::steady_clock::now();
      for (size_t d = 0; d < dots; ++d) {
        size_t off = (d * 4099) % pool;
        kernel.dot(&a[off], &b[off], k, acc);
        check += acc.code();
      }
      double rate = double(dots * k) / seconds_since(t0);
      std::printf("%-14s %-7s %-13s %12.3g %14.3g %8.2f\n", f.name.c_str(), aname.c_str(),
                  DotKernel::path_name(kernel.path()), rate, plain, rate / plain);
      sink = sink + float(check & 1);
    }
  }
  return 0;
}

} // namespace qmac::cli
