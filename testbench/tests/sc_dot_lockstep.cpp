// qmac_sc_dot_lockstep [--fault F] DOT_UNIT VECTORS SEED: the SystemC dot PE
// (qmac::sc::DotPe, wrapping the golden dot PE cycle model) and the Verilated
// qmac_dot_pe (qmac::rtl::RtlDotPeSc) in one SystemC simulation, on one clock
// and the same signals, driven with the beats of `qmac verify --dot DOT_UNIT
// --vectors VECTORS --seed SEED`; their result registers are compared on
// every falling edge. Prints the unit, cycles, mismatches and cycles per
// second; exit status 1 on a mismatch (with the first one), 2 on bad usage.
#include <chrono>
#include <cstdio>
#include <string>

#include <systemc>

#include "dot_check.h"
#include "dot_vectors.h"
#include "rtl_dot_pe_sc.h"
#include "vectors.h"

namespace {

using namespace sc_core;

struct Testbench : sc_module {
  sc_in<bool> clk;
  sc_signal<bool> rst{"rst"}, valid{"valid"}, start{"start"};
  sc_signal<qmac::sc::DotPairs> pairs{"pairs"};
  sc_signal<uint64_t> c_in{"c_in"}, acc_sc{"acc_sc"}, acc_rtl{"acc_rtl"};

  qmac::rtl::DotRtlUnit unit;
  qmac::rtl::DotBeats beats;
  uint64_t vectors, cycle = 0, mismatches = 0;
  bool reset_done = false;
  std::string first;

  Testbench(sc_module_name name, const qmac::rtl::DotRtlUnit& u, uint64_t seed, uint64_t n)
      : sc_module(name), unit(u), beats(u, seed), vectors(n) {
    SC_HAS_PROCESS(Testbench);
    SC_METHOD(on_falling_edge);
    sensitive << clk.neg();
  }

  // Each falling edge compares what the last rising edge gave, then presents
  // the next beat (the first edge holds rst high).
  void on_falling_edge() {
    compare();
    drive();
  }

  void drive() {
    if (!reset_done) {
      rst.write(true);
      reset_done = true;
      return;
    }
    rst.write(false);
    if (cycle >= vectors) {
      sc_stop();
      return;
    }
    qmac::dot::DotBeat b;
    beats.next(b);
    qmac::sc::DotPairs p;
    for (size_t i = 0; i < b.a.size(); ++i) {
      p.a[i] = uint16_t(b.a[i]);
      p.b[i] = uint16_t(b.b[i]);
    }
    pairs.write(p);
    valid.write(b.valid);
    start.write(b.start);
    c_in.write(b.c);
    ++cycle;
  }

  // The registers after the rising edge that took beat cycle - 1.
  void compare() {
    if (cycle == 0) return;
    const uint64_t want = acc_sc.read(), got = acc_rtl.read();
    if (want != got) {
      if (first.empty())
        first = "cycle " + std::to_string(cycle - 1) + ": SystemC " +
                qmac::rtl::describe_result(unit, want) + ", RTL " +
                qmac::rtl::describe_result(unit, got);
      ++mismatches;
    }
  }
};

} // namespace

int sc_main(int argc, char** argv) {
  std::string fault;
  int arg = 1;
  if (argc > 2 && std::string(argv[1]) == "--fault") {
    fault = argv[2];
    arg = 3;
  }
  if (argc - arg != 3) {
    std::fprintf(stderr, "usage: qmac_sc_dot_lockstep [--fault F] DOT_UNIT VECTORS SEED\n");
    return 2;
  }
  try {
    const qmac::rtl::DotUnitEntry* entry = nullptr;
    if (fault.empty()) {
      entry = &qmac::rtl::compiled_dot_unit(argv[arg]);
    } else {
      for (const auto& e : qmac::rtl::faulty_dot_units())
        if (fault == e.fault) entry = &e;
      if (!entry) throw qmac::InputError("unknown dot fault '" + fault + "'");
    }
    const qmac::rtl::DotRtlUnit unit = qmac::rtl::parse_dot_rtl_unit(entry->name);
    const uint64_t vectors = std::stoull(argv[arg + 1]), seed = std::stoull(argv[arg + 2]);

    sc_clock clk("clk", 10, SC_NS);
    Testbench tb("tb", unit, qmac::rtl::unit_seed(seed, unit.name), vectors);
    tb.clk(clk);
    qmac::sc::DotPe golden("golden", unit.input_a(), unit.input_b(), unit.out, unit.unit,
                           unit.pipeline);
    qmac::rtl::RtlDotPeSc rtl("rtl", *entry);
    golden.clk(clk);
    rtl.clk(clk);
    for (auto* m : {&golden.rst, &rtl.rst})
      m->bind(tb.rst);
    golden.valid(tb.valid);
    rtl.valid(tb.valid);
    golden.start(tb.start);
    rtl.start(tb.start);
    golden.pairs(tb.pairs);
    rtl.pairs(tb.pairs);
    golden.c_in(tb.c_in);
    rtl.c_in(tb.c_in);
    golden.acc(tb.acc_sc);
    rtl.acc(tb.acc_rtl);

    const auto t0 = std::chrono::steady_clock::now();
    sc_start();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s%s: %llu cycles, %llu mismatches, %.3g cycles/s\n", unit.name.c_str(),
                fault.empty() ? "" : (" (fault " + fault + ")").c_str(),
                (unsigned long long)tb.cycle, (unsigned long long)tb.mismatches,
                s > 0 ? double(tb.cycle) / s : 0.0);
    if (!tb.first.empty()) std::printf("first mismatch at %s\n", tb.first.c_str());
    return tb.mismatches || tb.cycle < vectors ? 1 : 0;
  } catch (const qmac::InputError& e) {
    std::fprintf(stderr, "qmac_sc_dot_lockstep: %s\n", e.what());
    return 2;
  }
}
