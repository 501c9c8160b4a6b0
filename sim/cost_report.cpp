#include "cost_report.h"

#include <cstdio>

#include "json.h"
#include "qmac/cost/dot_gate_model.h"
#include "qmac/dot/presets.h"
#include "qmac/units/dot_rtl_unit.h"
#include "workload.h"

namespace qmac::cli {
namespace {

std::string unit_name_of(const CostRequest& r) {
  const array::ArrayConfig& c = r.array;
  std::string name =
      c.a.name + ":" + c.b.name + ":" + c.acc.name + ":p" + std::to_string(c.pipeline);
  if (r.saturate) name += ":sat";
  if (r.ftz) name += ":ftz";
  return name;
}

// One PE's energy per cycle when it has nothing to do: its clock.
double idle_energy_per_cycle(const cost::EnergyResult& e, double clock_per_flip_flop) {
  return double(e.flip_flops) * clock_per_flip_flop;
}

} // namespace

CostReport measure_cost(const CostRequest& request) {
  const array::ArrayConfig& c = request.array;
  CostReport report;
  report.unit_name = unit_name_of(request);
  report.gates = cost::analytic_gates(c.a, c.b, c.acc, c.pipeline);
  const Format int8 = parse_format("int8");
  report.gates_relative =
      report.gates.total() /
      cost::analytic_gates(int8, int8, parse_accumulator("fx+12", int8, int8)).total();
  if (!request.synthesize) {
    report.no_rtl = "not requested (--no-synth)";
    return report;
  }
  std::optional<rtl::Unit> unit;
  try {
    unit = rtl::parse_unit(report.unit_name);
  } catch (const InputError& e) {
    report.no_rtl = std::string("the RTL does not build this configuration: ") + e.what();
    return report;
  }
  // Energy first: its Yosys run is cached as the synthesis too (record_synthesis).
  cost::EnergyOptions energy_options;
  energy_options.stream = request.stream;
  energy_options.stream.dataflow = c.dataflow == array::Dataflow::WeightStationary
                                       ? cost::Dataflow::WeightStationary
                                       : cost::Dataflow::OutputStationary;
  if (request.energy) report.energy = cost::estimate_energy(*unit, energy_options);
  report.synthesis = cost::synthesize(*unit);
  report.area_relative =
      report.synthesis->area_nand2 /
      cost::synthesize("int8:int8:fx+12:p" + std::to_string(c.pipeline)).area_nand2;

  const double f = cost::frequency_ghz(report.synthesis->depth);
  const double pj_per_unit = cost::kPicojoulesPerToggleUnit;
  report.pe = cost::efficiency(1, f, report.synthesis->area_nand2,
                               report.energy ? report.energy->picojoules_estimate : 0);
  array::validate(c);
  const double pes = double(c.pes());
  for (const std::string& name : sim::builtin_workload_names()) {
    ArrayThroughput t;
    t.workload = name;
    for (const sim::GemmShape& g : sim::builtin_workload(name).layers) {
      const array::ArrayRun r = array::analytic_run(c, {g.M, g.K, g.N});
      t.run.cycles += r.cycles * g.count;
      t.run.macs += r.macs * g.count;
    }
    t.utilization = t.run.utilization(c);
    if (report.energy) {
      // Busy PEs pay a MAC's energy, idle PE-cycles their clock.
      const double idle = pes * double(t.run.cycles) - double(t.run.macs);
      t.energy_per_mac =
          report.energy->per_mac +
          idle * idle_energy_per_cycle(*report.energy, energy_options.clock_per_flip_flop) /
              double(t.run.macs);
    }
    t.efficiency = cost::efficiency(t.utilization * pes, f, report.synthesis->area_nand2 * pes,
                                    t.energy_per_mac * pj_per_unit);
    report.arrays.push_back(t);
  }
  return report;
}

DotCostReport measure_dot_cost(const DotCostRequest& q) {
  DotCostReport r;
  r.unit = dot::resolve_unit(q.unit_text, q.a, q.b, q.out);
  r.gates = cost::analytic_dot_gates(q.a, q.b, q.out, r.unit, q.pipeline);
  if (!q.synthesize) return r;
  rtl::DotRtlUnit rtl_unit;
  try {
    rtl_unit = rtl::parse_dot_rtl_unit(q.unit_text + ":" + q.a.name() + ":" + q.b.name() + ":" +
                                       q.out.name +
                                       (q.pipeline != 1 ? ":p" + std::to_string(q.pipeline) : ""));
  } catch (const InputError& e) {
    r.no_rtl = std::string("no RTL for this unit: ") + e.what();
    return r;
  }
  if (q.measure_energy) { // first: its Yosys run is cached as the synthesis too
    cost::EnergyOptions o;
    o.stream = q.stream;
    r.energy = cost::estimate_energy(rtl_unit, o);
  }
  r.synthesis = cost::synthesize(rtl_unit);
  return r;
}

void synthesis_cells_json(Json& j, const cost::SynthesisResult& s) {
  j.begin_object("cells");
  for (const auto& [type, count] : s.cells)
    j.value(type, uint64_t(count));
  j.end_object();
  j.value("yosys", s.yosys_version);
}

void energy_parts_json(Json& j, const cost::EnergyResult& e, cost::OperandData data,
                       const char* per) {
  j.value("unit", std::string("toggle units per ") + per + " (NAND2-equivalent transitions)");
  j.value("logic", e.logic).value("registers", e.registers).value("clock", e.clock);
  j.value("pj_estimate", e.picojoules_estimate);
  j.value("data", std::string(cost::operand_data_names()[int(data)]));
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::vector<std::string> explain_lines(const cost::GateCount& gates) {
  std::vector<std::string> lines;
  for (const cost::GateItem& item : gates.items) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "  %-9s %8.1f  %s", cost::block_name(item.block), item.gates,
                  item.what.c_str());
    lines.push_back(buf);
  }
  return lines;
}

} // namespace qmac::cli
