#include "qmac/cost/energy.h"

#include <chrono>
#include <tuple>

#include "energy_cache.h"
#include "fnv1a.h"
#include "qmac/cost/gate_library.h"
#include "yosys_cells.h"

namespace qmac::cost {
namespace {

using Clock = std::chrono::steady_clock;

// Bump when a result's meaning changes without a hashed input changing
// (the stream generator, the reset/drain beats).
constexpr const char* kKeyVersion = "qmac energy 1";

std::string result_key(const std::string& simulator_key, const std::string& stream_kind,
                       const StreamOptions& s) {
  detail::Fnv1a h;
  h.add(kKeyVersion).add(simulator_key).add(stream_kind);
  h.add(operand_data_names()[size_t(s.data)]).add(dataflow_name(s.dataflow));
  for (long long v :
       {(long long)s.k, (long long)s.weight_run, (long long)s.macs, (long long)s.seed})
    h.add(std::to_string(v));
  return h.hex();
}

} // namespace

EnergyResult weigh_toggles(const ToggleCounts& c, long macs, double clock_per_flip_flop) {
  EnergyResult r;
  r.macs = macs;
  r.cycles = c.cycles;
  r.flip_flops = c.flip_flops;
  r.by_type = c.by_type;
  r.last_acc = c.acc;
  r.netlist_seconds = c.netlist_seconds;
  r.build_seconds = c.build_seconds;
  r.simulate_seconds = c.simulate_seconds;
  r.key = c.key;
  double toggles = 0;
  for (const auto& [type, a] : c.by_type) {
    const double weight = gates::yosys_cell_weight(type);
    if (weight < 0)
      throw ToolError("cell type " + type + " has no weight (qmac/cost/gate_library.h)");
    (gates::is_yosys_flip_flop(type) ? r.registers : r.logic) += weight * double(a.toggles());
    toggles += double(a.toggles());
  }
  r.clock = clock_per_flip_flop * double(c.flip_flops) * double(c.cycles);
  const double per = macs > 0 ? 1.0 / double(macs) : 0;
  r.logic *= per;
  r.registers *= per;
  r.clock *= per;
  r.per_mac = r.logic + r.registers + r.clock;
  r.picojoules_estimate = r.per_mac * kPicojoulesPerToggleUnit;
  r.toggles_per_cycle = c.cycles > 0 ? toggles / double(c.cycles) : 0;
  return r;
}

namespace {

// The cached counts of a design on a stream, or the stream (made only on a
// miss) through its toggle simulator; weighed per MAC or product.
template <typename MakeStream>
EnergyResult measure(const std::string& name, const Design& design, const TopInterface& top,
                     const std::string& stream_kind, const EnergyOptions& o,
                     MakeStream make_stream) {
  const auto start = Clock::now();
  check_stream_options(o.stream);
  if (!(o.clock_per_flip_flop >= 0)) throw InputError("the clock cost must be non-negative");
  const std::string key =
      result_key(toggle_simulator_key(design, top, o.tools), stream_kind, o.stream);
  const std::string root =
      o.tools.synthesis.cache_dir.empty() ? default_cache_dir() : o.tools.synthesis.cache_dir;

  detail::CachedCounts entry;
  bool hit = false;
  if (o.tools.synthesis.use_cache) {
    if (auto cached = detail::load_energy(root, key); cached && cached->name == name) {
      entry = *cached;
      hit = true;
    }
  }
  if (!hit) {
    const auto [beats, count_from, macs] = make_stream();
    entry.name = name;
    entry.macs = macs;
    entry.counts = count_toggles(design, top, beats, count_from, o.tools);
  }
  EnergyResult r = weigh_toggles(entry.counts, entry.macs, o.clock_per_flip_flop);
  if (!hit && o.tools.synthesis.use_cache) detail::store_energy(root, key, entry);
  r.name = name;
  r.key = key;
  r.from_cache = hit;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

} // namespace

EnergyResult estimate_energy(const rtl::Unit& unit, const EnergyOptions& o) {
  return measure(unit.name, unit_design(unit, o.tools.synthesis), pe_top_interface(), "mac", o,
                 [&] {
                   const OperandStream s = operand_stream(unit, o.stream);
                   return std::tuple{pack_pe_beats(s.beats), s.count_from, s.macs};
                 });
}

EnergyResult estimate_energy(const rtl::DotRtlUnit& unit, const EnergyOptions& o) {
  if (o.stream.dataflow != Dataflow::OutputStationary)
    throw InputError("a dot unit's operand stream is output-stationary (os) only");
  return measure(unit.name, dot_design(unit, o.tools.synthesis), dot_top_interface(), "dot", o,
                 [&] {
                   DotOperandStream s = dot_operand_stream(unit, o.stream);
                   return std::tuple{std::move(s.beats), s.count_from, s.products};
                 });
}

EnergyResult estimate_energy(std::string_view unit_name, const EnergyOptions& o) {
  return estimate_energy(rtl::parse_unit(unit_name), o);
}

} // namespace qmac::cost
