// qmac verify: the Verilated RTL against the golden model, bit for bit and
// cycle for cycle (testbench/harness/check.h does the work).
#include <cstdio>
#include <thread>

#include "check.h"
#include "cli.h"
#include "commands.h"
#include "describe.h"
#include "dot_check.h"
#include "qmac/numerics/codec.h"

namespace qmac::cli {
namespace {

const char* kHelp =
    R"(usage: qmac verify [--unit NAME | --dot NAME | --all] [--vectors N] [--seed S]
                   [--waveform-dir DIR]
       qmac verify --exhaustive --unit NAME [--threads T]
       qmac verify --list | --fault F | --dot-fault F

Drives the Verilated RTL and the golden model with the same vectors and
compares every output bit after every clock edge. Units are MAC PEs named
A:B:ACC[:pN][:sat][:ftz] (e.g. e4m3fn:e4m3fn:fp16), plus "multipliers": every
pair of the 4- and 8-bit formats, exhaustively. Per unit it prints the vectors
checked, the mismatches and the vectors per second; exit status 1 on any
mismatch, with the first failing vector, the seed that reproduces it and a VCD
waveform of the failing run.
  --unit NAME       one unit (default: --all, every unit built in)
  --dot NAME        one dot-product unit, UNIT:A:B:OUT[:pN] (e.g.
                    h100:e4m3fn:e4m3fn:fp32): its PE against the dot PE cycle
                    model, one block of N pairs per cycle
  --vectors N       PE cycles per unit: directed corner cases, then random dot
                    products (default 100000)
  --seed S          seed of the random vectors (default 1)
  --waveform-dir D  where a failing run's VCD goes (default .)
  --exhaustive      every (accumulator state, a, b) triple of the unit's
                    accumulation step (units built with a step top)
  --threads T       threads for --exhaustive (default: all cores)
  --list            the units and the deliberately broken units built into this qmac
  --fault F         a deliberately broken unit (one per RTL module family, e.g.
                    truncate, mul_lsb, decode_subnormal: see --list) that must fail
  --dot-fault F     a deliberately broken dot unit (dot_width) that must fail
)";

void print_row(const rtl::CheckReport& r) {
  static bool header = false;
  if (!header)
    std::printf("%-28s %12s %10s %12s  %s\n", "unit", "vectors", "mismatches", "vectors/s",
                "result");
  header = true;
  double rate = r.seconds > 0 ? double(r.vectors) / r.seconds : 0;
  std::printf("%-28s %12llu %10llu %12.3g  %s\n", r.unit.c_str(), (unsigned long long)r.vectors,
              (unsigned long long)r.mismatches, rate, r.mismatches ? "MISMATCH" : "ok");
  std::fflush(stdout);
}

void print_failure(const rtl::CheckReport& r, const rtl::Unit* unit, uint64_t seed,
                   const std::string& command) {
  const rtl::Mismatch& m = *r.first;
  std::printf("first mismatch in %s at %s %llu:\n", r.unit.c_str(), unit ? "cycle" : "vector",
              (unsigned long long)m.cycle);
  if (unit) {
    std::printf("  beat accumulated on that edge: valid=%d clear=%d a=%s b=%s\n", m.beat.valid,
                m.beat.clear, rtl::describe_code(unit->a, m.beat.a).c_str(),
                rtl::describe_code(unit->b, m.beat.b).c_str());
    std::printf("  expected  %s\n  got       %s\n", rtl::describe(*unit, m.expected).c_str(),
                rtl::describe(*unit, m.got).c_str());
  } else {
    std::printf("  a=0x%02x b=0x%02x expected slot 0x%016llx got 0x%016llx\n", m.beat.a, m.beat.b,
                (unsigned long long)m.expected.reg[0], (unsigned long long)m.got.reg[0]);
  }
  std::printf("  reproduce: %s --seed %llu\n", command.c_str(), (unsigned long long)seed);
  if (!r.waveform.empty()) std::printf("  waveform:  %s\n", r.waveform.c_str());
}

} // namespace

int cmd_verify(int argc, char** argv) {
  auto parsed = parse_command(argc, argv,
                              {"--unit", "--vectors", "--seed", "--waveform-dir", "--threads",
                               "--fault", "--dot", "--dot-fault"},
                              {"--all", "--exhaustive", "--list"}, kHelp);
  if (!parsed) return 0;
  const Args& args = *parsed;
  const uint64_t vectors = uint64_t(args.integer("--vectors", 100000, 1, 1000000000000LL));
  const uint64_t seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  const std::string wave_dir = args.get("--waveform-dir").value_or(".");
  const auto unit = args.get("--unit");
  const auto dot_unit = args.get("--dot");
  if (unit && args.flag("--all")) throw InputError("give --unit NAME or --all, not both");
  if (dot_unit && args.flag("--all")) throw InputError("give --dot NAME or --all, not both");
  if (unit && dot_unit) throw InputError("give --unit NAME or --dot NAME, not both");

  if (args.flag("--list")) {
    std::printf("multipliers  (exhaustive, %zu formats)\n", rtl::multiplier_bank_formats().size());
    for (const auto& e : rtl::compiled_units())
      std::printf("%s%s\n", e.name, e.make_step ? "  (+ exhaustive step)" : "");
    for (const auto& e : rtl::compiled_dot_units())
      std::printf("--dot %s\n", e.name);
    for (const auto& e : rtl::faulty_units())
      std::printf("--fault %-20s %s, deliberately broken: must fail\n", e.fault, e.name);
    for (const auto& e : rtl::faulty_dot_units())
      std::printf("--dot-fault %-16s %s, deliberately broken: must fail\n", e.fault, e.name);
    return 0;
  }

  bool failed = false;
  auto pe_check = [&](const rtl::UnitEntry& e, const std::string& command) {
    rtl::CheckReport r = rtl::check_pe(e, vectors, seed, wave_dir);
    print_row(r);
    if (r.first) {
      rtl::Unit u = rtl::parse_unit(e.name);
      print_failure(r, &u, seed, command + " --vectors " + std::to_string(vectors));
      failed = true;
    }
  };
  auto dot_check = [&](const rtl::DotUnitEntry& e, const std::string& command) {
    rtl::DotCheckReport r = rtl::check_dot_pe(e, vectors, seed, wave_dir);
    rtl::CheckReport row;
    row.unit = "dot " + r.unit;
    row.vectors = r.vectors;
    row.mismatches = r.mismatches;
    row.seconds = r.seconds;
    print_row(row);
    if (r.first) {
      const rtl::DotRtlUnit u = rtl::parse_dot_rtl_unit(e.name);
      const rtl::DotMismatch& m = *r.first;
      std::printf("first mismatch in %s at cycle %llu:\n", r.unit.c_str(),
                  (unsigned long long)m.cycle);
      std::printf("  block whose result reached the register on that edge: %s\n",
                  rtl::describe(u, m.beat).c_str());
      std::printf("  expected  %s\n  got       %s\n", rtl::describe_result(u, m.expected).c_str(),
                  rtl::describe_result(u, m.got).c_str());
      std::printf("  reproduce: %s --vectors %llu --seed %llu\n", command.c_str(),
                  (unsigned long long)vectors, (unsigned long long)seed);
      if (!r.waveform.empty()) std::printf("  waveform:  %s\n", r.waveform.c_str());
      failed = true;
    }
  };
  auto bank_check = [&] {
    rtl::CheckReport r = rtl::check_multiplier_bank();
    print_row(r);
    if (r.first) {
      print_failure(r, nullptr, seed, "qmac verify --unit multipliers");
      failed = true;
    }
  };

  if (auto fault = args.get("--fault")) {
    for (const auto& e : rtl::faulty_units())
      if (std::string(e.fault) == *fault) {
        pe_check(e, "qmac verify --fault " + *fault);
        return failed ? 1 : 0;
      }
    std::string known;
    for (const auto& e : rtl::faulty_units())
      known += (known.empty() ? "" : ", ") + std::string(e.fault);
    throw InputError("unknown fault '" + *fault + "' (expected one of " + known + ")");
  }
  if (auto fault = args.get("--dot-fault")) {
    for (const auto& e : rtl::faulty_dot_units())
      if (std::string(e.fault) == *fault) {
        dot_check(e, "qmac verify --dot-fault " + *fault);
        return failed ? 1 : 0;
      }
    std::string known;
    for (const auto& e : rtl::faulty_dot_units())
      known += (known.empty() ? "" : ", ") + std::string(e.fault);
    throw InputError("unknown dot fault '" + *fault + "' (expected one of " + known + ")");
  }

  if (args.flag("--exhaustive")) {
    if (!unit) throw InputError("--exhaustive needs --unit NAME (a unit built with a step top)");
    int threads =
        int(args.integer("--threads", std::max(1u, std::thread::hardware_concurrency()), 1, 256));
    const rtl::UnitEntry& e = rtl::compiled_unit(*unit);
    rtl::CheckReport r = rtl::check_step_exhaustive(
        e, threads, [](double f) { std::fprintf(stderr, "\r%5.1f%%", 100 * f); });
    std::fprintf(stderr, "\r");
    print_row(r);
    if (r.first) {
      rtl::Unit u = rtl::parse_unit(e.name);
      const rtl::Mismatch& m = *r.first;
      std::printf("first mismatch at triple %llu: acc=%s a=%s b=%s\n  expected  %s\n  got       "
                  "%s\n",
                  (unsigned long long)m.cycle, rtl::describe(u, m.before).c_str(),
                  rtl::describe_code(u.a, m.beat.a).c_str(),
                  rtl::describe_code(u.b, m.beat.b).c_str(), rtl::describe(u, m.expected).c_str(),
                  rtl::describe(u, m.got).c_str());
      failed = true;
    }
    return failed ? 1 : 0;
  }

  if (dot_unit) {
    dot_check(rtl::compiled_dot_unit(*dot_unit), "qmac verify --dot " + *dot_unit);
  } else if (unit && (*unit == "multipliers" || *unit == "mul")) {
    bank_check();
  } else if (unit) {
    pe_check(rtl::compiled_unit(*unit), "qmac verify --unit " + *unit);
  } else {
    bank_check();
    for (const auto& e : rtl::compiled_units())
      pe_check(e, std::string("qmac verify --unit ") + e.name);
    for (const auto& e : rtl::compiled_dot_units())
      dot_check(e, std::string("qmac verify --dot ") + e.name);
  }
  return failed ? 1 : 0;
}

} // namespace qmac::cli
