// qmac bench --array: simulated PE-cycles per second of the SystemC array and
// of the Verilated RTL array of the same configuration, on the same GEMM, and
// the analytical model's speed-up; each simulation in a child process of its
// own (SystemC elaborates once per process, and an idle design would still
// take its clock edges).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <random>

#include "cli.h"
#include "commands.h"
#include "qmac/array/cycle_model.h"
#include "qmac/numerics/tensor.h"
#include "qmac/sc/array_simulation.h"
#include "rtl_array.h"

namespace qmac::cli {
namespace {

struct Measurement {
  bool ok = false;
  double seconds = 0;
  uint64_t cycles = 0, result_hash = 0;
  char error[256] = {};
};

// Runs f in a forked child and returns what it measured.
Measurement in_child(const std::function<Measurement()>& f) {
  int fd[2];
  if (pipe(fd) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fd[0]);
    Measurement m;
    try {
      m = f();
    } catch (const std::exception& e) {
      std::snprintf(m.error, sizeof m.error, "%s", e.what());
    }
    ssize_t written = write(fd[1], &m, sizeof m);
    _exit(written == ssize_t(sizeof m) ? 0 : 1);
  }
  close(fd[1]);
  Measurement m;
  const ssize_t got = read(fd[0], &m, sizeof m);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != ssize_t(sizeof m)) std::snprintf(m.error, sizeof m.error, "the child process died");
  return m;
}

uint64_t hash_of(const std::vector<AccState>& v) {
  uint64_t h = 1469598103934665603ull; // FNV-1a over every register word and flag
  auto mix = [&](uint64_t x) {
    for (int i = 0; i < 8; ++i)
      h = (h ^ ((x >> (8 * i)) & 0xff)) * 1099511628211ull;
  };
  for (const AccState& s : v)
    mix(s.reg[0]), mix(s.reg[1]), mix(s.flags);
  return h;
}

Measurement simulate(const array::ArrayConfig& c, const array::Gemm& g, uint64_t seed, bool rtl) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  std::mt19937_64 rng(seed);
  const auto A = quantized_tensor(c.a, g.M * g.K, Distribution::Gaussian, rng);
  const auto B = quantized_tensor(c.b, g.K * g.N, Distribution::Gaussian, rng);
  std::unique_ptr<sc::ArraySimulation> simulation;
  if (rtl)
    simulation = std::make_unique<sc::ArraySimulation>(
        c, rtl::find_compiled_array(c)->make("rtl_array"), "array");
  else
    simulation = std::make_unique<sc::ArraySimulation>(c);
  std::vector<AccState> results;
  const auto t0 = std::chrono::steady_clock::now();
  const array::ArrayRun run = simulation->run(g, A, B, &results);
  Measurement m;
  m.seconds = seconds_since(t0);
  m.cycles = run.cycles;
  m.result_hash = hash_of(results);
  m.ok = true;
  return m;
}

} // namespace

int bench_array(const Args& args) {
  array::ArrayConfig c;
  c.dataflow = array::parse_dataflow(args.get("--dataflow").value_or("ws"));
  c.a = parse_format(args.get("--a").value_or("int8"));
  c.b = parse_format(args.get("--b").value_or(c.a.name));
  c.acc = parse_accumulator(args.get("--acc").value_or("int32"), c.a, c.b);
  c.pipeline = int(args.integer("--pipeline", 1, 0, 3));
  const uint64_t seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  const double target = double(args.integer("--pe-cycles", 20000000, 10000, 200000000));
  std::vector<uint32_t> sizes;
  for (const std::string& s : split_list(args.get("--sizes").value_or("8,16,32"))) {
    uint32_t r = 0, cols = 0;
    try {
      array::parse_array_size(s.find('x') == std::string::npos ? s + "x" + s : s, r, cols);
    } catch (const InputError& e) {
      throw InputError("bad --sizes entry '" + s + "': " + e.what());
    }
    if (r != cols) throw InputError("--sizes takes square arrays (8,16,32), not '" + s + "'");
    sizes.push_back(r);
  }
  Out out;
  out.line("MAC array simulation speed, " + c.a.name + " x " + c.b.name + " -> " + c.acc.name +
           ", " + array::dataflow_name(c.dataflow) + ", pipeline " + std::to_string(c.pipeline) +
           "; one core each; PE-cycles/s = R*C*cycles/s");
  out.line("array   GEMM MxKxN          cycles   SystemC PE-cyc/s   RTL PE-cyc/s  SC/RTL  "
           "same results  analytic/GEMM  speed-up  exact");
  for (uint32_t S : sizes) {
    c.rows = c.cols = S;
    array::validate(c);
    // K and N of four array sides: 16 tiles; M long enough for ~target PE-cycles.
    array::Gemm g{0, 4ull * S, 4ull * S};
    g.M = std::max<uint64_t>(64, uint64_t(target / (16.0 * S * S)));
    const array::ArrayRun model = array::analytic_run(c, g);
    const Measurement sc = in_child([&] { return simulate(c, g, seed, false); });
    const bool have_rtl = rtl::find_compiled_array(c) != nullptr;
    Measurement hw;
    if (have_rtl) hw = in_child([&] { return simulate(c, g, seed, true); });
    // The analytical model: as many calls as fit in ~0.2 s.
    uint64_t calls = 0, sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double spent = 0;
    do {
      for (int i = 0; i < 1000; ++i, ++calls)
        sink += array::analytic_run(c, g).cycles;
      spent = seconds_since(t0);
    } while (spent < 0.2);
    const double per_call = spent / double(calls);
    if (!sc.ok) throw std::runtime_error(std::string("SystemC run failed: ") + sc.error);
    const double pes = double(S) * S;
    auto rate = [&](const Measurement& m) { return pes * double(m.cycles) / m.seconds; };
    char buf[512];
    std::string rtl_rate = "not built", ratio = "-", same = "-";
    if (have_rtl && hw.ok) {
      std::snprintf(buf, sizeof buf, "%.1f M", rate(hw) / 1e6);
      rtl_rate = buf;
      std::snprintf(buf, sizeof buf, "%.2fx", rate(sc) / rate(hw));
      ratio = buf;
      same = hw.result_hash == sc.result_hash && hw.cycles == sc.cycles ? "yes" : "NO";
    } else if (have_rtl) {
      rtl_rate = std::string("failed: ") + hw.error;
    }
    std::snprintf(buf, sizeof buf,
                  "%2ux%-3u %6llux%llux%llu %14llu %14.1f M %14s %7s %13s %11.2f us %8.0fx  %s", S,
                  S, (unsigned long long)g.M, (unsigned long long)g.K, (unsigned long long)g.N,
                  (unsigned long long)sc.cycles, rate(sc) / 1e6, rtl_rate.c_str(), ratio.c_str(),
                  same.c_str(), per_call * 1e6, sc.seconds / per_call,
                  sink && model.cycles == sc.cycles ? "yes" : "NO");
    out.line(buf);
  }
  return 0;
}

} // namespace qmac::cli
