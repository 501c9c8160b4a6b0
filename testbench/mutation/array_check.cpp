#include "array_check.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include <systemc>

#include "lockstep.h"
#include "mutant_design.h"
#include "qmac/sc/array_simulation.h"
#include "qmac/sc/systolic_array.h"

namespace qmac::rtl::mutation {
namespace {

using array::ArrayConfig;
using array::Gemm;

// One mutant's RTL array on a rig's input signals, its own output, and the
// checker against the rig's SystemC array.
struct Probe {
  sc_core::sc_signal<sc::ArrayOutput> out;
  std::unique_ptr<RtlArray> rtl;
  OutputChecker checker;

  Probe(const MutantModel& m, uint32_t mutant, const ArrayConfig& c, const std::string& name,
        sc_core::sc_clock& clk, sc_core::sc_signal<bool>& rst,
        sc_core::sc_signal<sc::ArrayBeat>& beats, sc_core::sc_signal<sc::WeightWrite>& weights,
        sc_core::sc_signal<sc::ArrayOutput>& reference)
      : out((name + "_out").c_str(), sc::idle_output(c)),
        rtl(m.make_array((name + "_rtl").c_str(), mutant)), checker((name + "_check").c_str()) {
    rtl->clk(clk);
    rtl->rst(rst);
    rtl->in(beats);
    rtl->weights(weights);
    rtl->out(out);
    checker.clk(clk);
    checker.rst(rst);
    checker.systemc(reference);
    checker.rtl(out);
  }
};

// Random port traffic into a SystemC array (as the lockstep tests' rig).
struct TrafficRig {
  sc_core::sc_clock clk;
  sc_core::sc_signal<bool> rst;
  sc_core::sc_signal<sc::ArrayBeat> beat;
  sc_core::sc_signal<sc::WeightWrite> weights;
  sc_core::sc_signal<sc::ArrayOutput> out;
  sc::SystolicArray systemc;
  RandomPorts ports;

  TrafficRig(const ArrayConfig& c, uint64_t seed)
      : clk("traffic_clk", 1, sc_core::SC_NS), rst("traffic_rst", true),
        beat("traffic_beat", sc::idle_beat(c)), weights("traffic_weights", sc::idle_weights(c)),
        out("traffic_out", sc::idle_output(c)), systemc("traffic_systemc", c),
        ports("traffic_ports", c, seed) {
    systemc.clk(clk);
    systemc.rst(rst);
    systemc.in(beat);
    systemc.weights(weights);
    systemc.out(out);
    ports.clk(clk);
    ports.rst(rst);
    ports.beat(beat);
    ports.weights(weights);
  }
};

ArrayCheck simulate(const MutantModel& model, size_t mutants, uint64_t cycles, uint64_t seed) {
  const ArrayConfig c = parse_array_key(array_key_of(model.unit));
  sc::ArraySimulation gemms(c, "gemm");
  TrafficRig traffic(c, seed);
  std::vector<std::unique_ptr<Probe>> probes;
  for (uint32_t k = 0; k <= mutants; ++k) {
    const std::string id = std::to_string(k);
    probes.push_back(std::make_unique<Probe>(model, k, c, "gemm_m" + id, gemms.clock(),
                                             gemms.reset(), gemms.beats(), gemms.weight_writes(),
                                             gemms.outputs()));
    probes.push_back(std::make_unique<Probe>(model, k, c, "traffic_m" + id, traffic.clk,
                                             traffic.rst, traffic.beat, traffic.weights,
                                             traffic.out));
  }
  auto check_all = [&] {
    for (auto& p : probes)
      p->checker.check();
  };

  // The lockstep tests' GEMMs: shapes around the array, random shapes, and
  // long sums of large codes; the traffic rig runs alongside.
  std::mt19937_64 rng(seed);
  std::vector<std::pair<Gemm, Codes>> plan;
  for (const Gemm& g : shapes_around(c))
    plan.emplace_back(g, Codes::Uniform);
  for (int j = 0; j < 100; ++j)
    plan.emplace_back(Gemm{1 + rng() % 40, 1 + rng() % 40, 1 + rng() % 40}, Codes::Uniform);
  plan.emplace_back(Gemm{3, 200, 2}, Codes::Uniform);
  plan.emplace_back(Gemm{c.rows + 1, 300, c.cols + 1}, Codes::Large);
  plan.emplace_back(Gemm{2, 1000, 1}, Codes::Large);
  for (const auto& [g, codes] : plan) {
    std::vector<uint32_t> A(g.M * g.K), B(g.K * g.N);
    for (auto& x : A)
      x = draw(c.a, codes, rng);
    for (auto& x : B)
      x = draw(c.b, codes, rng);
    gemms.run(g, A, B);
    check_all();
  }
  // Then traffic alone up to `cycles`: mostly 60% beats, then a beat on
  // every edge, then sparse, as the lockstep tests run it.
  const uint64_t done = probes.front()->checker.edges();
  const uint64_t left = cycles > done ? cycles - done : 0;
  for (auto [share, percent] : {std::pair{4, 60}, {1, 100}, {1, 8}}) {
    traffic.ports.set_density(percent);
    for (uint64_t i = 0; i < left * share / 6; ++i) {
      sc_core::sc_start(1, sc_core::SC_NS);
      check_all();
    }
  }

  ArrayCheck out;
  out.cycles = probes.front()->checker.edges();
  out.first_mismatch.assign(mutants + 1, 0);
  for (size_t k = 0; k <= mutants; ++k)
    for (size_t side = 0; side < 2; ++side) {
      const OutputChecker& ch = probes[2 * k + side]->checker;
      const uint64_t e = ch.first_mismatch_edge();
      uint64_t& first = out.first_mismatch[k];
      if (e && (!first || e < first)) first = e;
      if (k == 0 && ch.mismatches() && out.design_mismatch.empty())
        out.design_mismatch = ch.first_mismatch();
    }
  return out;
}

// The result through a pipe: cycles, then one first-mismatch cycle per
// mutant, then the design's mismatch text.
std::string encode(const ArrayCheck& r) {
  std::ostringstream s;
  s << r.cycles << '\n';
  for (uint64_t e : r.first_mismatch)
    s << e << '\n';
  s << r.design_mismatch;
  return s.str();
}

ArrayCheck decode(const std::string& text, size_t mutants) {
  std::istringstream s(text);
  ArrayCheck r;
  r.first_mismatch.resize(mutants + 1);
  if (!(s >> r.cycles)) throw std::runtime_error("the array check's child said nothing");
  for (uint64_t& e : r.first_mismatch)
    if (!(s >> e)) throw std::runtime_error("the array check's child was cut short");
  s.get();
  std::getline(s, r.design_mismatch, '\0');
  return r;
}

} // namespace

ArrayCheck check_array_mutants(const MutantModel& model, size_t mutants, uint64_t cycles,
                               uint64_t seed) {
  if (!model.make_array) throw std::logic_error(std::string(model.unit) + " is not an array model");
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("cannot make a pipe for the array check");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot fork the array check");
  if (pid == 0) { // the child: one SystemC elaboration, then out
    close(fds[0]);
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    int status = 0;
    std::string text;
    try {
      text = encode(simulate(model, mutants, cycles, seed));
    } catch (const std::exception& e) {
      text = std::string("error: ") + e.what();
      status = 1;
    }
    for (size_t at = 0; at < text.size();) {
      const ssize_t n = write(fds[1], text.data() + at, text.size() - at);
      if (n <= 0) break;
      at += size_t(n);
    }
    close(fds[1]);
    _exit(status);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
    text.append(buffer, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("the array check of " + std::string(model.unit) + " failed" +
                             (text.rfind("error: ", 0) == 0 ? ": " + text.substr(7) : ""));
  return decode(text, mutants);
}

} // namespace qmac::rtl::mutation
