#include "check.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "describe.h"
#include "qmac/numerics/codec.h"
#include "vectors.h"

namespace qmac::rtl {
namespace {

using Clock = std::chrono::steady_clock;

// Runs the stream again with a waveform of the cycles before the failure.
std::string write_waveform(const UnitEntry& entry, const std::vector<Beat>& beats,
                           uint64_t fail_cycle, const std::string& dir, const Unit& unit) {
  std::string path = dir + "/" + module_name(unit.name);
  if (entry.fault) path += std::string("_fault_") + entry.fault; // never over a real unit's
  path += ".vcd";
  auto pe = entry.make_pe();
  pe->reset();
  const uint64_t start = fail_cycle > 2000 ? fail_cycle - 2000 : 0;
  for (uint64_t c = 0; c < beats.size() && c <= fail_cycle + 8; ++c) {
    if (c == start) pe->start_trace(path);
    pe->cycle(beats[c]);
  }
  pe->stop_trace();
  return path;
}

} // namespace

const UnitEntry& compiled_unit(const std::string& name) {
  const Unit u = parse_unit(name);
  for (const auto& e : compiled_units())
    if (e.name == u.name) return e;
  throw InputError("unit '" + u.name +
                   "' is not built into this qmac (see qmac verify --list; add it to "
                   "testbench/units.txt)");
}

CheckReport check_pe(const UnitEntry& entry, uint64_t vectors, uint64_t seed,
                     const std::string& waveform_dir) {
  const Unit unit = parse_unit(entry.name);
  const std::vector<Beat> beats = check_stream(unit, vectors, seed);
  auto pe = entry.make_pe();
  CheckReport r = compare_pe(*pe, unit, beats, false);
  if (r.first && !waveform_dir.empty())
    r.waveform = write_waveform(entry, beats, r.first->cycle, waveform_dir, unit);
  return r;
}

CheckReport check_multiplier_bank() {
  CheckReport r;
  r.unit = "multipliers";
  const auto& names = multiplier_bank_formats();
  std::vector<Format> formats;
  for (const auto& n : names)
    formats.push_back(parse_format(n));
  const size_t n = formats.size();
  std::vector<Multiplier> golden;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      golden.emplace_back(formats[i], formats[j]);
  auto bank = make_multiplier_bank();
  auto t0 = Clock::now();
  for (uint32_t a = 0; a < 256; ++a)
    for (uint32_t b = 0; b < 256; ++b) {
      bank->eval(uint16_t(a), uint16_t(b));
      for (size_t i = 0; i < n; ++i) {
        if (a >> formats[i].bits) continue;
        for (size_t j = 0; j < n; ++j) {
          if (b >> formats[j].bits) continue;
          uint64_t slot = bank->slot(i * n + j);
          Value want = golden[i * n + j](a, b);
          bool nan = slot >> 63, inf = (slot >> 62) & 1, neg = (slot >> 61) & 1;
          int exp = int16_t(uint16_t(slot >> 40));
          uint64_t sig = slot & ((uint64_t(1) << 40) - 1);
          bool ok;
          if (want.is_nan())
            ok = nan;
          else if (want.is_inf())
            ok = !nan && inf && neg == want.negative;
          else
            ok = !nan && !inf && neg == want.negative &&
                 compare(Value::finite(false, sig, exp),
                         Value::finite(false, want.significand, want.exponent)) == 0;
          ++r.vectors;
          if (!ok) {
            if (!r.first) {
              Mismatch m;
              m.cycle = r.vectors - 1;
              m.beat = Beat{true, false, uint16_t(a), uint16_t(b)};
              m.expected.reg[0] = (want.is_nan() ? 1ull << 63 : 0) |
                                  (want.is_inf() ? 1ull << 62 : 0) |
                                  (uint64_t(want.negative) << 61) |
                                  (uint64_t(uint16_t(want.exponent)) << 40) | want.significand;
              m.got.reg[0] = slot;
              r.first = m;
              r.unit = "multipliers (first failure: " + names[i] + " x " + names[j] + ")";
            }
            ++r.mismatches;
          }
        }
      }
    }
  r.seconds = seconds_since(t0);
  return r;
}

CheckReport check_step_exhaustive(const UnitEntry& entry, int threads,
                                  const std::function<void(double)>& progress,
                                  uint32_t state_stride) {
  const Unit unit = parse_unit(entry.name);
  if (!entry.make_step)
    throw InputError("unit '" + unit.name + "' has no step top (mark it ' step' in units.txt)");
  if (unit.acc.kind != AccKind::Float || unit.acc.format.bits > 16)
    throw InputError("unit '" + unit.name +
                     "': the exhaustive proof covers float accumulators of at most 16 bits");
  CheckReport r;
  r.unit = unit.name + " (exhaustive step)";
  const Format& acc = unit.acc.format;
  const uint32_t acc_codes = 1u << acc.bits, a_codes = 1u << unit.a.bits,
                 b_codes = 1u << unit.b.bits;
  Multiplier mul(unit.a, unit.b);
  std::vector<Value> products;
  for (uint32_t a = 0; a < a_codes; ++a)
    for (uint32_t b = 0; b < b_codes; ++b)
      products.push_back(mul(a, b));
  RoundingOptions opts;
  opts.saturate = unit.acc.saturate;
  opts.flush_subnormals = unit.acc.flush_subnormals;
  const Rounder round(acc, opts);

  state_stride = std::max(1u, state_stride);
  std::atomic<uint32_t> next{0}, done{0};
  std::atomic<uint64_t> mismatches{0}, compared{0};
  std::mutex first_lock;
  auto t0 = Clock::now();
  auto worker = [&] {
    auto step = entry.make_step();
    for (uint32_t code; (code = next.fetch_add(state_stride)) < acc_codes;) {
      PeState in;
      in.reg[0] = code;
      const Value acc_value = decode(acc, code);
      uint64_t compared_here = 0;
      for (uint32_t a = 0; a < a_codes; ++a)
        for (uint32_t b = 0; b < b_codes; ++b) {
          PeState got = step->eval(in, uint16_t(a), uint16_t(b));
          PeState want;
          want.reg[0] = accumulate_decoded(acc, round, acc_value, products[a * b_codes + b]);
          if (got != want) {
            std::lock_guard<std::mutex> g(first_lock);
            uint64_t index = (uint64_t(code) * a_codes + a) * b_codes + b;
            if (!r.first || index < r.first->cycle)
              r.first = Mismatch{index, Beat{true, false, uint16_t(a), uint16_t(b)}, in, want, got};
            mismatches.fetch_add(1);
          }
          ++compared_here;
        }
      compared.fetch_add(compared_here);
      uint32_t d = done.fetch_add(state_stride) + state_stride;
      if (progress && (d / state_stride) % 256 == 0) {
        std::lock_guard<std::mutex> g(first_lock);
        progress(double(d) / acc_codes);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t)
    pool.emplace_back(worker);
  for (auto& t : pool)
    t.join();
  r.seconds = seconds_since(t0);
  r.vectors = compared; // what was compared, not what should have been
  r.mismatches = mismatches;
  return r;
}

} // namespace qmac::rtl
