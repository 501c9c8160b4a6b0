// qmac_sc_cosim: a unit's Verilated RTL PE (verilator --sc) and GoldenPeSc
// in one SystemC simulation, on one clock and the same input signals, with
// their outputs compared after every rising edge.
//
//   qmac_sc_cosim [--fault F] UNIT VECTORS SEED
//
// The beats are those of `qmac verify --unit UNIT --vectors VECTORS --seed
// SEED`: the directed corner cases, then random dot products, one per clock,
// then PIPELINE bubbles so the last beats reach the accumulator. On each
// falling edge the monitor compares acc and flags of the two PEs and the
// rising edges each has counted since reset. Prints the unit, the cycles, the
// mismatches and the cycles per second; exit status 1 on any mismatch (with
// the first one), 2 on a usage error. `--fault F` runs the fault-injected RTL
// (QMAC_FAULT_F) instead, which must fail. SystemC elaborates once per
// process, so one run checks one unit.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "describe.h"
#include "golden_pe_sc.h"
#include "qmac/numerics/codec.h"
#include "rtl_pe_sc.h"
#include "vectors.h"

namespace qmac::sc {
namespace {

// Cycle c is the c-th rising edge after the reset edge (from 0), the one that
// takes beat c, as in `qmac verify`.
struct Mismatch {
  std::optional<uint64_t> cycle;  // empty: the reset edge
  rtl::Beat applied, accumulated; // presented at that edge; reaching the accumulator at it
  rtl::PeState expected, got;     // golden, RTL
  uint64_t golden_cycles = 0, rtl_cycles = 0;
};

// The testbench: a clock, the input signals, the golden and the RTL PE bound
// to them, a driver and a monitor.
class Cosim : public sc_core::sc_module {
public:
  Cosim(const sc_core::sc_module_name& name, const rtl::Unit& unit,
        const std::vector<rtl::Beat>& beats, RtlPeFactory make_rtl)
      : sc_core::sc_module(name),
        // Low at 0, when the driver raises rst; rising at 5 ns, falling at 10 ns.
        clk_("clk", period(), 0.5, period() / 2, true), in_("in"), golden_out_("golden"),
        rtl_out_("rtl"), rtl_cycles_("rtl_cycles"), golden_("golden_pe", unit), unit_(unit),
        beats_(beats), total_(beats.size() + size_t(unit.pipeline)) {
    bind_pe(golden_, clk_, in_, golden_out_);
    rtl_ = make_rtl("rtl_pe", clk_, in_, rtl_out_, rtl_cycles_);
    SC_HAS_PROCESS(Cosim);
    SC_THREAD(drive);
    SC_METHOD(monitor);
    sensitive << clk_.negedge_event();
    dont_initialize();
  }

  // Cycles to compare after the reset edge.
  uint64_t total() const { return total_; }
  // A time just after the last falling edge, the last sample.
  sc_core::sc_time end() const { return period() * double(total_ + 1) + period() / 10; }
  // Falling edges sampled, the reset cycle included.
  uint64_t samples() const { return samples_; }
  uint64_t mismatches() const { return mismatches_; }
  const std::optional<Mismatch>& first() const { return first_; }
  uint64_t golden_cycles() const { return golden_.cycles(); }
  uint64_t rtl_cycles() const { return rtl_cycles_.read(); }

private:
  static sc_core::sc_time period() { return sc_core::sc_time(10, sc_core::SC_NS); }
  rtl::Beat applied(uint64_t c) const { return c < beats_.size() ? beats_[c] : rtl::Beat{}; }

  // One reset cycle, then one beat per clock and the draining bubbles. Inputs
  // change right after a rising edge, as a clocked upstream stage drives them.
  void drive() {
    in_.rst.write(true);
    wait(clk_.posedge_event());
    for (uint64_t c = 0; c < total_; ++c) {
      in_.write(applied(c));
      wait(clk_.posedge_event());
    }
    in_.write(rtl::Beat{});
  }

  // Sample k: the state after cycle k - 1 (k = 0: after the reset edge),
  // when each PE has counted k rising edges since reset.
  void monitor() {
    const uint64_t k = samples_++;
    const rtl::PeState want = golden_out_.read(), got = rtl_out_.read();
    const uint64_t golden_cycles = golden_.cycles(), rtl_cycles = rtl_cycles_.read();
    if (want != got || golden_cycles != k || rtl_cycles != k) {
      if (!first_) {
        Mismatch m;
        const uint64_t p = uint64_t(unit_.pipeline);
        if (k > 0) {
          m.cycle = k - 1;
          m.applied = applied(k - 1);
          if (k - 1 >= p) m.accumulated = applied(k - 1 - p);
        }
        m.expected = want;
        m.got = got;
        m.golden_cycles = golden_cycles;
        m.rtl_cycles = rtl_cycles;
        first_ = m;
      }
      ++mismatches_;
    }
  }

  sc_core::sc_clock clk_;
  PeInputSignals in_;
  PeOutputSignals golden_out_, rtl_out_;
  CycleSignal rtl_cycles_;
  GoldenPeSc golden_;
  std::unique_ptr<sc_core::sc_module> rtl_;
  const rtl::Unit& unit_;
  const std::vector<rtl::Beat>& beats_;
  const uint64_t total_;
  uint64_t samples_ = 0, mismatches_ = 0;
  std::optional<Mismatch> first_;
};

int usage() {
  std::fprintf(stderr, "usage: qmac_sc_cosim [--fault F] UNIT VECTORS SEED\n");
  return 2;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string fault;
  if (args.size() >= 2 && args[0] == "--fault") {
    fault = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.size() != 3) return usage();
  const rtl::Unit unit = rtl::parse_unit(args[0]);
  const uint64_t vectors = std::stoull(args[1]), seed = std::stoull(args[2]);

  const RtlPeEntry* entry = nullptr;
  for (const auto& e : rtl_pes())
    if (unit.name == e.unit && fault == (e.fault ? e.fault : "")) entry = &e;
  if (!entry) {
    std::fprintf(stderr, "qmac_sc_cosim: %s%s%s is not built in; built in:\n", unit.name.c_str(),
                 fault.empty() ? "" : " with fault ", fault.c_str());
    for (const auto& e : rtl_pes())
      std::fprintf(stderr, "  %s%s%s\n", e.unit, e.fault ? " --fault " : "",
                   e.fault ? e.fault : "");
    return 2;
  }

  const std::vector<rtl::Beat> beats = rtl::check_stream(unit, vectors, seed);
  Cosim cosim("cosim", unit, beats, entry->make);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start(cosim.end());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Every cycle sampled, and both PEs saw every rising edge after reset.
  const bool complete = cosim.samples() == cosim.total() + 1 &&
                        cosim.golden_cycles() == cosim.total() &&
                        cosim.rtl_cycles() == cosim.total();
  const std::string name = unit.name + (fault.empty() ? "" : " (fault " + fault + ")");
  std::printf("%-36s %10s %10s %12s  %s\n", "unit", "cycles", "mismatches", "cycles/s", "result");
  std::printf("%-36s %10llu %10llu %12.3g  %s\n", name.c_str(),
              (unsigned long long)cosim.golden_cycles(), (unsigned long long)cosim.mismatches(),
              seconds > 0 ? double(cosim.golden_cycles()) / seconds : 0.0,
              cosim.mismatches() ? "MISMATCH"
              : complete         ? "ok"
                                 : "INCOMPLETE");
  if (!complete)
    std::printf(
        "incomplete run: %llu cycles expected, %llu sampled, golden saw %llu, RTL saw %llu\n",
        (unsigned long long)cosim.total(), (unsigned long long)cosim.samples(),
        (unsigned long long)cosim.golden_cycles(), (unsigned long long)cosim.rtl_cycles());
  if (const auto& m = cosim.first()) {
    if (m->cycle)
      std::printf("first mismatch at cycle %llu:\n", (unsigned long long)*m->cycle);
    else
      std::printf("first mismatch at the reset edge:\n");
    std::printf("  inputs at that edge:            %s\n", rtl::describe(unit, m->applied).c_str());
    std::printf("  beat accumulated on that edge:  %s\n",
                rtl::describe(unit, m->accumulated).c_str());
    std::printf("  expected  %s  (golden, %llu edges since reset)\n"
                "  got       %s  (RTL, %llu edges since reset)\n",
                rtl::describe(unit, m->expected).c_str(), (unsigned long long)m->golden_cycles,
                rtl::describe(unit, m->got).c_str(), (unsigned long long)m->rtl_cycles);
    std::printf("  reproduce: qmac_sc_cosim %s%s%s %llu %llu\n", fault.empty() ? "" : "--fault ",
                fault.empty() ? "" : (fault + " ").c_str(), unit.name.c_str(),
                (unsigned long long)vectors, (unsigned long long)seed);
  }
  return cosim.mismatches() || !complete ? 1 : 0;
}

} // namespace
} // namespace qmac::sc

int sc_main(int argc, char** argv) {
  try {
    return qmac::sc::run(argc, argv);
  } catch (const qmac::InputError& e) {
    std::fprintf(stderr, "qmac_sc_cosim: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qmac_sc_cosim: %s\n", e.what());
    return 2;
  }
}
