#include "sweep_row.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>

#include "../cost_report.h"
#include "qmac/accuracy/dot_error.h"
#include "qmac/accuracy/sqnr.h"
#include "qmac/accuracy/unit_error.h"
#include "qmac/cost/tool_error.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/block.h"

namespace qmac::cli {
namespace {

const std::vector<std::string> kFixedColumns = {"id",
                                                "a",
                                                "b",
                                                "acc",
                                                "pipeline",
                                                "array",
                                                "dataflow",
                                                "workload",
                                                "dot_unit",
                                                "promote",
                                                "scale_rounding",
                                                "products_per_cycle",
                                                "status",
                                                "error",
                                                "note",
                                                "gates_mpy",
                                                "gates_alignadd",
                                                "gates_normalize",
                                                "gates_total",
                                                "gates_relative_int8_fx12",
                                                "area_nand2",
                                                "area_relative_int8_fx12",
                                                "gates_per_product",
                                                "area_per_product",
                                                "flip_flops",
                                                "depth",
                                                "frequency_ghz_est",
                                                "energy_per_mac",
                                                "energy_logic",
                                                "energy_registers",
                                                "energy_clock",
                                                "energy_pj_est",
                                                "energy_per_product",
                                                "energy_pj_per_product_est",
                                                "pe_tops_per_mnand2",
                                                "pe_tops_per_watt_est",
                                                "cycles",
                                                "macs",
                                                "utilization",
                                                "array_tops",
                                                "array_tops_per_mnand2",
                                                "array_energy_per_mac",
                                                "array_tops_per_watt_est"};

std::string column_name(const std::string& distribution) {
  std::string s = distribution;
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A row under construction: values by column name.
class RowBuilder {
public:
  explicit RowBuilder(const SweepConfig& c) : columns_(sweep_columns(c)) {}
  void set(const std::string& column, const std::string& value) { values_[column] = value; }
  void set(const std::string& column, double value) { values_[column] = number(value); }
  std::vector<std::string> take() const {
    std::vector<std::string> row;
    for (const std::string& c : columns_) {
      auto it = values_.find(c);
      row.push_back(it == values_.end() ? "" : it->second);
    }
    return row;
  }

private:
  std::vector<std::string> columns_;
  std::map<std::string, std::string> values_;
};

// An error message on one line.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

void add_cost(RowBuilder& row, const SweepConfig& config, const SweepPoint& p) {
  CostRequest q;
  array::ArrayConfig& c = q.array;
  c.a = parse_format(p.a);
  c.b = parse_format(p.b);
  c.acc = parse_accumulator(p.acc, c.a, c.b);
  c.pipeline = p.pipeline;
  array::parse_array_size(p.array, c.rows, c.cols);
  c.dataflow = array::parse_dataflow(p.dataflow);
  q.synthesize = config.synthesis;
  q.energy = config.energy;
  q.stream.data = cost::parse_operand_data(config.energy_settings.data);
  q.stream.macs = config.energy_settings.macs;
  q.stream.seed = config.energy_settings.seed;
  const CostReport r = measure_cost(q);
  row.set("gates_mpy", r.gates.mpy);
  row.set("gates_alignadd", r.gates.alignadd);
  row.set("gates_normalize", r.gates.normalize);
  row.set("gates_total", r.gates.total());
  row.set("gates_relative_int8_fx12", r.gates_relative);
  if (!r.synthesis) {
    if (config.synthesis) row.set("note", r.no_rtl);
    return;
  }
  row.set("area_nand2", r.synthesis->area_nand2);
  row.set("area_relative_int8_fx12", r.area_relative);
  row.set("flip_flops", double(r.synthesis->flip_flops));
  row.set("depth", double(r.synthesis->depth));
  row.set("frequency_ghz_est", r.pe->frequency_ghz);
  row.set("pe_tops_per_mnand2", r.pe->tops_per_mnand2);
  if (r.energy) {
    row.set("energy_per_mac", r.energy->per_mac);
    row.set("energy_logic", r.energy->logic);
    row.set("energy_registers", r.energy->registers);
    row.set("energy_clock", r.energy->clock);
    row.set("energy_pj_est", r.energy->picojoules_estimate);
    row.set("pe_tops_per_watt_est", r.pe->tops_per_watt);
  }
  for (const ArrayThroughput& t : r.arrays) {
    if (t.workload != p.workload) continue;
    row.set("cycles", double(t.run.cycles));
    row.set("macs", double(t.run.macs));
    row.set("utilization", t.utilization);
    row.set("array_tops", t.efficiency.tops);
    row.set("array_tops_per_mnand2", t.efficiency.tops_per_mnand2);
    if (r.energy) {
      row.set("array_energy_per_mac", t.energy_per_mac);
      row.set("array_tops_per_watt_est", t.efficiency.tops_per_watt);
    }
  }
}

// The scale rule a format of the point quantizes by: the point's, for a
// block format (none: the format's own); none for an element format.
std::optional<ScaleRounding> scale_rule(const SweepPoint& p, const std::string& format) {
  if (p.scale_rounding.empty() || !find_block_format(format)) return std::nullopt;
  return parse_scale_rounding(p.scale_rounding);
}

// The scale_rounding column: the rule the point's block formats use.
std::string effective_scale_rounding(const SweepPoint& p) {
  if (!p.scale_rounding.empty()) return p.scale_rounding;
  std::string rules;
  for (const std::string& f : {p.a, p.b})
    if (const auto block = find_block_format(f)) {
      const std::string rule = scale_rounding_name(standard_scale_rounding(*block));
      if (rules.find(rule) == std::string::npos) rules += (rules.empty() ? "" : "/") + rule;
    }
  return rules;
}

// SQNR depends on the format, its scale rule, the distribution and the
// settings only: one computation per process serves every accumulator and
// array of a format.
accuracy::SqnrResult cached_sqnr(const std::string& format, std::optional<ScaleRounding> rule,
                                 Distribution d, const AccuracySettings& s) {
  static std::map<std::tuple<std::string, int, int>, accuracy::SqnrResult> cache;
  const auto key = std::make_tuple(format, rule ? int(*rule) : -1, int(d));
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, accuracy::sqnr(format, d, s.samples, s.seed, rule)).first;
  return it->second;
}

// Both operands' SQNR on distribution `name`.
void add_sqnr(RowBuilder& row, const AccuracySettings& s, const SweepPoint& p,
              const std::string& name) {
  const Distribution d = parse_distribution(name);
  row.set("sqnr_a_" + column_name(name), cached_sqnr(p.a, scale_rule(p, p.a), d, s).best_db);
  row.set("sqnr_b_" + column_name(name), cached_sqnr(p.b, scale_rule(p, p.b), d, s).best_db);
}

void add_accuracy(RowBuilder& row, const SweepConfig& config, const SweepPoint& p, bool blocks) {
  const AccuracySettings& s = config.accuracy;
  for (const std::string& name : s.distributions) {
    const Distribution d = parse_distribution(name);
    const std::string col = column_name(name);
    add_sqnr(row, s, p, name);
    if (blocks) continue;
    const accuracy::DotError e =
        accuracy::dot_error(p.a, p.b, p.acc, d, s.dot_length, s.dots, s.seed);
    row.set("dot_err_" + col, e.median_rel_total);
    row.set("dot_acc_err_" + col, e.median_rel);
    row.set("dot_overflow_" + col, e.overflow_fraction);
  }
}

// The figures of a dot-product unit at reduction length K, distribution D.
const char* const kUnitFigures[] = {"unit_err_", "unit_err_max_", "unit_err_total_",
                                    "unit_overflow_"};

std::string unit_column(const char* figure, const std::string& distribution, int k) {
  return figure + column_name(distribution) + "_k" + std::to_string(k);
}

// A dot-product unit's cost: the analytical model and (with synthesis) the
// synthesized rtl/qmac_dot_pe, whole and per product, and (with energy) its
// toggle energy per product on the sweep's energy data, `macs` products.
// Promotion adds an FP32 adder outside the unit, which these figures leave out.
void add_unit_cost(RowBuilder& row, const SweepConfig& config, const SweepPoint& p) {
  DotCostRequest q;
  q.unit_text = p.unit;
  q.a = dot::DotInput::parse(p.a);
  q.b = dot::DotInput::parse(p.b);
  q.out = parse_accumulator(p.acc, q.a.element, q.b.element);
  q.synthesize = config.synthesis;
  q.measure_energy = config.energy;
  q.stream.data = cost::parse_operand_data(config.energy_settings.data);
  q.stream.macs = config.energy_settings.macs;
  q.stream.seed = config.energy_settings.seed;
  if (dot::resolve_unit(q.unit_text, q.a, q.b, q.out).whole()) {
    row.set("note", "a unit over the whole dot product (n = all) has no fixed size to cost");
    return;
  }
  const DotCostReport r = measure_dot_cost(q);
  const double n = r.unit.n;
  row.set("products_per_cycle", n);
  row.set("gates_mpy", r.gates.mpy);
  row.set("gates_alignadd", r.gates.alignadd);
  row.set("gates_normalize", r.gates.normalize);
  row.set("gates_total", r.gates.total());
  row.set("gates_per_product", r.gates.total() / n);
  if (!r.synthesis) {
    if (!r.no_rtl.empty()) row.set("note", one_line(r.no_rtl));
    return;
  }
  row.set("area_nand2", r.synthesis->area_nand2);
  row.set("area_per_product", r.synthesis->area_nand2 / n);
  row.set("flip_flops", double(r.synthesis->flip_flops));
  row.set("depth", double(r.synthesis->depth));
  if (r.energy) {
    row.set("energy_per_product", r.energy->per_mac);
    row.set("energy_pj_per_product_est", r.energy->picojoules_estimate);
  }
}

void add_unit_accuracy(RowBuilder& row, const SweepConfig& config, const SweepPoint& p) {
  const AccuracySettings& s = config.accuracy;
  for (const std::string& name : s.distributions)
    add_sqnr(row, s, p, name);
  // The unit, once for every distribution and length.
  const dot::DotInput a = dot::DotInput::parse(p.a), b = dot::DotInput::parse(p.b);
  const AccumulatorSpec out = parse_accumulator(p.acc, a.element, b.element);
  const dot::DotUnit unit = dot::resolve_unit(p.unit, a, b, out);
  accuracy::UnitErrorOptions o;
  o.dots = s.unit_dots;
  o.seed = s.seed;
  o.promote = p.promote;
  if (!p.scale_rounding.empty()) o.scale_rule = parse_scale_rounding(p.scale_rounding);
  for (const std::string& name : s.of_units()) {
    const Distribution d = parse_distribution(name);
    for (int k : s.unit_lengths) {
      o.k = k;
      const accuracy::UnitError e = accuracy::unit_error(a, b, out, unit, d, o);
      row.set(unit_column("unit_err_", name, k), e.mean_rel);
      row.set(unit_column("unit_err_max_", name, k), e.max_rel);
      row.set(unit_column("unit_err_total_", name, k), e.mean_rel_total);
      row.set(unit_column("unit_overflow_", name, k), e.overflow_fraction);
    }
  }
}

} // namespace

std::vector<std::string> sweep_columns(const SweepConfig& config) {
  std::vector<std::string> columns = kFixedColumns;
  for (const std::string& d : config.accuracy.distributions)
    for (const char* figure : {"sqnr_a_", "sqnr_b_", "dot_err_", "dot_acc_err_", "dot_overflow_"})
      columns.push_back(figure + column_name(d));
  if (config.has_units())
    for (const std::string& d : config.accuracy.of_units())
      for (int k : config.accuracy.unit_lengths)
        for (const char* figure : kUnitFigures)
          columns.push_back(unit_column(figure, d, k));
  return columns;
}

bool is_text_column(const std::string& column) {
  for (const char* c : {"id", "a", "b", "acc", "array", "dataflow", "workload", "dot_unit",
                        "scale_rounding", "status", "error", "note"})
    if (column == c) return true;
  return false;
}

namespace {

// The columns that name the point.
void set_point(RowBuilder& row, const SweepPoint& p) {
  row.set("id", p.id());
  row.set("a", p.a);
  row.set("b", p.b);
  row.set("acc", p.acc);
  row.set("scale_rounding", effective_scale_rounding(p));
  if (p.is_unit()) { // no PE, array or workload: a unit's error at every K
    row.set("dot_unit", p.unit);
    row.set("promote", std::to_string(p.promote));
    return;
  }
  row.set("pipeline", std::to_string(p.pipeline));
  row.set("array", p.array);
  row.set("dataflow", p.dataflow);
  row.set("workload", p.workload);
}

} // namespace

std::vector<std::string> evaluate_point(const SweepConfig& config, const SweepPoint& p) {
  RowBuilder row(config);
  set_point(row, p);
  try {
    if (p.is_unit()) {
      add_unit_cost(row, config, p);
      add_unit_accuracy(row, config, p);
      row.set("status", "ok");
      return row.take();
    }
    const bool blocks = find_block_format(p.a) || find_block_format(p.b);
    if (blocks)
      row.set("note", "block format: accuracy only (the PEs and the RTL multiply elements)");
    else
      add_cost(row, config, p);
    add_accuracy(row, config, p, blocks);
    row.set("status", "ok");
  } catch (const std::exception& e) {
    // Nothing measured before the failure is kept: a failed row holds no figures.
    RowBuilder failed(config);
    set_point(failed, p);
    failed.set("status", "error");
    failed.set("error", one_line(e.what()));
    return failed.take();
  }
  return row.take();
}

} // namespace qmac::cli
