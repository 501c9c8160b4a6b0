#include "sweep_config.h"

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "qmac/array/array_config.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/tensor.h"
#include "workload.h"

namespace qmac::cli {
namespace {

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)v);
  return buf;
}

// Errors name the file, the line (1-based) and the key.
class Reader {
public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& what) const {
    const YAML::Mark m = at.Mark();
    const std::string line = m.line >= 0 ? ":" + std::to_string(m.line + 1) : "";
    throw InputError(path_ + line + ": " + (key.empty() ? "" : "'" + key + "': ") + what);
  }

  // The keys of a map, each once, all of them known.
  void check_keys(const YAML::Node& map, const std::string& where,
                  const std::set<std::string>& known) const {
    if (!map.IsMap()) fail(map, where, "expected a mapping of keys to values");
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) fail(kv.first, where, "expected a key name, not a list or mapping");
      const std::string key = kv.first.Scalar();
      if (!known.count(key)) {
        std::string list;
        for (const std::string& k : known)
          list += (list.empty() ? "" : ", ") + k;
        fail(kv.first, key,
             "unknown key" + (where.empty() ? "" : " in '" + where + "'") + " (known: " + list +
                 ")");
      }
      if (!seen.insert(key).second) fail(kv.first, key, "duplicated key");
    }
  }

  std::string scalar(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "expected a single value");
    return n.Scalar();
  }

  // A list of scalars; a single scalar counts as a list of one.
  std::vector<std::string> list(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsScalar()) return {n.Scalar()};
    if (!n.IsSequence()) fail(n, key, "expected a value or a list of values");
    for (const YAML::Node& item : n)
      out.push_back(scalar(item, key));
    if (out.empty()) fail(n, key, "empty list");
    return out;
  }

  long long integer(const YAML::Node& n, const std::string& key, long long lo, long long hi) const {
    const std::string s = scalar(n, key);
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || v < lo || v > hi)
      fail(n, key,
           "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" +
               s + "'");
    return v;
  }

  // A list of integers in lo..hi; a single value counts as a list of one.
  std::vector<int> integers(const YAML::Node& n, const std::string& key, int lo, int hi) const {
    const size_t count = list(n, key).size();
    std::vector<int> out;
    for (size_t i = 0; i < count; ++i)
      out.push_back(int(integer(n.IsSequence() ? n[i] : n, key, lo, hi)));
    return out;
  }

  bool boolean(const YAML::Node& n, const std::string& key) const {
    const std::string s = scalar(n, key);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(n, key, "expected true or false, got '" + s + "'");
  }

  // Runs a check that throws InputError, and names where it happened.
  template <typename F> void check(const YAML::Node& n, const std::string& key, F&& f) const {
    try {
      f();
    } catch (const InputError& e) {
      fail(n, key, e.what());
    }
  }

private:
  std::string path_;
};

// The element format a PE multiplies: a block format's element.
Format element_of(const std::string& name) {
  if (auto block = find_block_format(name)) return block->element;
  return parse_format(name);
}

// A scale rule: a known name, for a point with a block-format operand.
void check_scale_rounding(const Reader& r, const YAML::Node& at, const SweepPoint& p) {
  if (p.scale_rounding.empty()) return;
  r.check(at, "scale_rounding", [&] {
    parse_scale_rounding(p.scale_rounding);
    if (!find_block_format(p.a) && !find_block_format(p.b))
      throw InputError("scale_rounding " + p.scale_rounding +
                       " applies to block formats (mxfp8_e4m3, ..., nvfp4), not " + p.a + " x " +
                       p.b);
  });
}

// The scale rules of a mapping's `scale_rounding` (none: the formats' own).
std::vector<std::string> scale_roundings(const Reader& r, const YAML::Node& map) {
  return map["scale_rounding"] ? r.list(map["scale_rounding"], "scale_rounding")
                               : std::vector<std::string>{""};
}

void check_point(const Reader& r, const YAML::Node& at, const SweepPoint& p) {
  r.check(at, "a", [&] { element_of(p.a); });
  r.check(at, "b", [&] { element_of(p.b); });
  check_scale_rounding(r, at, p);
  r.check(at, "acc", [&] { parse_accumulator(p.acc, element_of(p.a), element_of(p.b)); });
  if (p.pipeline < 0 || p.pipeline > 3)
    r.fail(at, "pipeline", "pipeline " + std::to_string(p.pipeline) + " out of range (0..3)");
  r.check(at, "arrays", [&] {
    uint32_t rows = 0, cols = 0;
    array::parse_array_size(p.array, rows, cols);
  });
  r.check(at, "dataflows", [&] { array::parse_dataflow(p.dataflow); });
  r.check(at, "workloads", [&] { sim::builtin_workload(p.workload); });
}

// The operands of a mapping's `formats` (each multiplied by itself) and
// `pairs` (A:B), in that order.
std::vector<std::pair<std::string, std::string>> operand_pairs(const Reader& r,
                                                               const YAML::Node& map) {
  std::vector<std::pair<std::string, std::string>> operands;
  if (map["formats"])
    for (const std::string& f : r.list(map["formats"], "formats"))
      operands.emplace_back(f, f);
  if (map["pairs"])
    for (const std::string& pair : r.list(map["pairs"], "pairs")) {
      const size_t colon = pair.find(':');
      if (colon == std::string::npos)
        r.fail(map["pairs"], "pairs", "expected A:B, got '" + pair + "'");
      operands.emplace_back(pair.substr(0, colon), pair.substr(colon + 1));
    }
  return operands;
}

// A dot-unit point: formats, output, unit and promotion as `qmac dot` takes
// them (the engine refuses what does not fit).
void check_unit_point(const Reader& r, const YAML::Node& at, const SweepPoint& p) {
  std::optional<dot::DotInput> a, b;
  r.check(at, "formats", [&] {
    a = dot::DotInput::parse(p.a);
    b = dot::DotInput::parse(p.b);
  });
  AccumulatorSpec out;
  r.check(at, "acc", [&] { out = parse_accumulator(p.acc, a->element, b->element); });
  check_scale_rounding(r, at, p);
  dot::DotUnit unit;
  r.check(at, "unit", [&] {
    unit = dot::resolve_unit(p.unit, *a, *b, out);
    const dot::DotEngine engine(*a, *b, out, unit); // refuses keys that do not apply
  });
  if (p.promote != 0)
    r.check(at, "promote", [&] {
      dot::DotEngine engine(*a, *b, out, unit);
      const dot::PromotedDot promoted(engine, p.promote); // refuses a bad interval
    });
}

// One item of `units`: pairs (or formats) x acc x unit x overrides x promote.
void read_units(const Reader& r, const YAML::Node& item, std::vector<SweepPoint>& points) {
  r.check_keys(item, "units",
               {"formats", "pairs", "acc", "unit", "n", "bits", "round", "sticky", "promote",
                "scale_rounding"});
  const auto operands = operand_pairs(r, item);
  if (operands.empty()) r.fail(item, "formats", "a units item needs formats or pairs");
  if (!item["acc"]) r.fail(item, "acc", "missing in a units item");
  if (!item["unit"] && !item["n"]) r.fail(item, "unit", "a units item needs a unit or n");
  // The unit texts: each base (a preset, or none) with every combination of
  // the overriding keys.
  std::vector<std::string> units =
      item["unit"] ? r.list(item["unit"], "unit") : std::vector<std::string>{""};
  for (const char* key : {"n", "bits", "round", "sticky"}) {
    if (!item[key]) continue;
    std::vector<std::string> grown;
    for (const std::string& u : units)
      for (const std::string& v : r.list(item[key], key))
        grown.push_back(u + (u.empty() ? "" : ",") + key + "=" + v);
    units = grown;
  }
  const std::vector<int> promotes =
      item["promote"] ? r.integers(item["promote"], "promote", 0, 1 << 20) : std::vector<int>{0};
  const std::vector<std::string> rules = scale_roundings(r, item);
  for (const auto& [a, b] : operands)
    for (const std::string& acc : r.list(item["acc"], "acc"))
      for (const std::string& unit : units)
        for (int promote : promotes)
          for (const std::string& rule : rules) {
            SweepPoint p;
            p.a = a;
            p.b = b;
            p.acc = acc;
            p.unit = unit;
            p.promote = promote;
            p.scale_rounding = rule;
            check_unit_point(r, item, p);
            points.push_back(p);
          }
}

const std::set<std::string> kTopKeys = {
    "name",      "formats", "pairs", "accumulators", "pipeline", "arrays",   "dataflows",
    "workloads", "points",  "units", "synthesis",    "energy",   "accuracy", "scale_rounding"};
const std::set<std::string> kPointKeys = {"a",     "b",        "acc",      "pipeline",
                                          "array", "dataflow", "workload", "scale_rounding"};

} // namespace

std::string SweepPoint::key() const {
  // (A point without a scale rule keeps the key, and the id, it always had.)
  const std::string rule = scale_rounding.empty() ? "" : " scale_rounding=" + scale_rounding;
  if (is_unit())
    return "a=" + a + " b=" + b + " acc=" + acc + " unit=" + unit +
           " promote=" + std::to_string(promote) + rule;
  return "a=" + a + " b=" + b + " acc=" + acc + " pipeline=" + std::to_string(pipeline) +
         " array=" + array + " dataflow=" + dataflow + " workload=" + workload + rule;
}

std::string SweepPoint::id() const {
  return hex16(fnv1a(key()));
}

bool SweepConfig::has_units() const {
  for (const SweepPoint& p : points)
    if (p.is_unit()) return true;
  return false;
}

std::string SweepConfig::digest() const {
  std::ostringstream s;
  for (const SweepPoint& p : points)
    s << p.key() << '\n';
  s << synthesis << energy << ' ' << energy_settings.data << ' ' << energy_settings.macs << ' '
    << energy_settings.seed << ' ' << accuracy.samples << ' ' << accuracy.dot_length << ' '
    << accuracy.dots << ' ' << accuracy.seed;
  for (const std::string& d : accuracy.distributions)
    s << ' ' << d;
  if (has_units()) { // (a sweep of MACs alone keeps the digest it always had)
    s << " units " << accuracy.unit_dots;
    for (int k : accuracy.unit_lengths)
      s << ' ' << k;
    if (!accuracy.unit_distributions.empty()) { // (as above: only when set)
      s << " unit_distributions";
      for (const std::string& d : accuracy.unit_distributions)
        s << ' ' << d;
    }
  }
  return hex16(fnv1a(s.str()));
}

SweepConfig parse_sweep_config(const std::string& text, const std::string& path) {
  const Reader r(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) throw InputError(path + ": empty sweep configuration");
  r.check_keys(root, "", kTopKeys);
  SweepConfig c;
  c.path = path;
  if (root["name"]) c.name = r.scalar(root["name"], "name");

  auto list_or = [&](const char* key, std::vector<std::string> fallback) {
    return root[key] ? r.list(root[key], key) : fallback;
  };
  if (const YAML::Node units = root["units"]) {
    if (!units.IsSequence()) r.fail(units, "units", "expected a list of unit grids");
    for (const YAML::Node& item : units)
      read_units(r, item, c.points);
  }
  const bool macs = root["points"] || root["formats"] || root["pairs"] || root["accumulators"];
  if (!macs && root["scale_rounding"])
    r.fail(root["scale_rounding"], "scale_rounding",
           "at the top level it applies to the formats and pairs of MAC points; a units item "
           "takes its own");
  if (!macs) {
    // Dot-product units alone.
  } else if (root["points"]) {
    for (const char* key : {"formats", "pairs", "accumulators", "scale_rounding"})
      if (root[key])
        r.fail(root[key], key, "give either 'points' or the lists to combine, not both");
    const YAML::Node points = root["points"];
    if (!points.IsSequence()) r.fail(points, "points", "expected a list of points");
    for (const YAML::Node& n : points) {
      r.check_keys(n, "points", kPointKeys);
      SweepPoint p;
      for (const char* key : {"a", "acc"})
        if (!n[key]) r.fail(n, key, "missing in a point");
      p.a = r.scalar(n["a"], "a");
      p.b = n["b"] ? r.scalar(n["b"], "b") : p.a;
      p.acc = r.scalar(n["acc"], "acc");
      if (n["pipeline"]) p.pipeline = int(r.integer(n["pipeline"], "pipeline", 0, 3));
      if (n["array"]) p.array = r.scalar(n["array"], "array");
      if (n["dataflow"]) p.dataflow = r.scalar(n["dataflow"], "dataflow");
      if (n["workload"]) p.workload = r.scalar(n["workload"], "workload");
      if (n["scale_rounding"]) p.scale_rounding = r.scalar(n["scale_rounding"], "scale_rounding");
      check_point(r, n, p);
      c.points.push_back(p);
    }
  } else {
    // The cartesian product. Each format multiplies itself; pairs add a x b.
    const auto operands = operand_pairs(r, root);
    if (!root["accumulators"]) r.fail(root, "accumulators", "missing");
    const std::vector<int> pipelines =
        root["pipeline"] ? r.integers(root["pipeline"], "pipeline", 0, 3) : std::vector<int>{1};
    const std::vector<std::string> rules = scale_roundings(r, root), no_rule = {""};
    for (const auto& [a, b] : operands)
      for (const std::string& acc : r.list(root["accumulators"], "accumulators"))
        for (int pipeline : pipelines)
          for (const std::string& array : list_or("arrays", {"16x16"}))
            for (const std::string& dataflow : list_or("dataflows", {"ws"}))
              for (const std::string& workload : list_or("workloads", {"bert-base"}))
                // A rule applies to the block formats of the list alone: an
                // element-format pair is one point.
                for (const std::string& rule :
                     find_block_format(a) || find_block_format(b) ? rules : no_rule) {
                  SweepPoint p{a, b, acc, pipeline, array, dataflow, workload, "", 0, rule};
                  check_point(r, root, p);
                  c.points.push_back(p);
                }
  }
  if (c.points.empty()) throw InputError(path + ": the sweep has no points");
  std::set<std::string> ids;
  for (const SweepPoint& p : c.points)
    if (!ids.insert(p.id()).second)
      throw InputError(path + ": the point '" + p.key() + "' appears twice");

  if (root["synthesis"]) c.synthesis = r.boolean(root["synthesis"], "synthesis");
  if (const YAML::Node e = root["energy"]) {
    if (e.IsScalar()) {
      c.energy = r.boolean(e, "energy");
    } else {
      r.check_keys(e, "energy", {"data", "macs", "seed", "enabled"});
      if (e["enabled"]) c.energy = r.boolean(e["enabled"], "enabled");
      if (e["data"]) c.energy_settings.data = r.scalar(e["data"], "data");
      if (e["macs"]) c.energy_settings.macs = long(r.integer(e["macs"], "macs", 256, 100000000));
      if (e["seed"]) c.energy_settings.seed = uint64_t(r.integer(e["seed"], "seed", 0, INT64_MAX));
    }
  }
  if (!c.synthesis) c.energy = false;
  if (const YAML::Node a = root["accuracy"]) {
    r.check_keys(a, "accuracy",
                 {"distributions", "samples", "dot_length", "dots", "seed", "unit_lengths",
                  "unit_dots", "unit_distributions"});
    for (const char* key : {"distributions", "unit_distributions"}) {
      if (!a[key]) continue;
      auto& list = std::string(key) == "distributions" ? c.accuracy.distributions
                                                       : c.accuracy.unit_distributions;
      list = r.list(a[key], key);
      for (const std::string& d : list)
        r.check(a[key], key, [&] {
          if (parse_distribution(d) == Distribution::Codes)
            throw InputError("'codes' is not a distribution of real data");
        });
    }
    if (a["samples"])
      c.accuracy.samples = uint64_t(r.integer(a["samples"], "samples", 64, 1 << 24));
    if (a["dot_length"])
      c.accuracy.dot_length = int(r.integer(a["dot_length"], "dot_length", 1, 1 << 20));
    if (a["dots"]) c.accuracy.dots = int(r.integer(a["dots"], "dots", 1, 1 << 16));
    if (a["seed"]) c.accuracy.seed = uint64_t(r.integer(a["seed"], "seed", 0, INT64_MAX));
    if (a["unit_lengths"])
      c.accuracy.unit_lengths = r.integers(a["unit_lengths"], "unit_lengths", 1, 1 << 20);
    if (a["unit_dots"])
      c.accuracy.unit_dots = int(r.integer(a["unit_dots"], "unit_dots", 1, 1 << 16));
  }
  return c;
}

SweepConfig load_sweep_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read sweep configuration '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sweep_config(text.str(), path);
}

} // namespace qmac::cli
