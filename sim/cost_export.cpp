// qmac cost --export accelergy DIR: qmac's MAC energy and area as tables for
// Accelergy's table-based plug-in, so that Timeloop/Accelergy models can use
// the numbers of qmac's RTL. Writes
//   DIR/qmac.table.yaml      the identifier of the set of tables
//   DIR/data/qmac_mac.csv    every configuration: formats, accumulator, pipeline
//   DIR/data/intmac.csv      the intN x intN -> int32 ones, for Accelergy's
//                            own intmac class
// Actions: mac_random (Gaussian operands, output-stationary order),
// mac_reused (the same, weight-stationary: the weight held), mac_gated (zero
// operands) and idle (a cycle without a MAC: the clock). Energy in pJ and area
// in square microns are 45 nm estimates (energy.h, throughput.h).
#include <cstdio>
#include <filesystem>

#include "cli.h"
#include "cost_report.h"
#include "sweep/table_io.h"

namespace qmac::cli {
namespace {

const char* kDefaultUnits = "int8:int8:int32,int8:int8:fx+12,int4:int4:int32,uint8:int8:int32,"
                            "e4m3fn:e4m3fn:fp16,e4m3fn:e4m3fn:fp32,e5m2:e5m2:fp16,"
                            "e4m3fnuz:e4m3fnuz:fp16,e4m3fnuz:e4m3fnuz:fp32,flint8:flint8:int32";

struct ActionEnergy {
  const char* action;
  double picojoules;
};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

} // namespace

int export_cost_tables(const Args& args) {
  if (*args.get("--export") != "accelergy")
    throw InputError("unknown export format '" + *args.get("--export") + "' (known: accelergy)");
  if (args.positional().size() != 1)
    throw InputError("--export accelergy needs an output directory: qmac cost --export "
                     "accelergy DIR");
  for (const char* lone : {"--a", "--b", "--acc", "--pipeline", "--data", "--array"})
    if (args.get(lone))
      throw InputError(std::string(lone) + " does not go with --export (use --units A:B:ACC,...)");
  const std::filesystem::path dir = args.positional()[0];
  make_output_dir((dir / "data").string());
  cost::StreamOptions stream;
  stream.macs = long(args.integer("--macs", 65536, 256, 100000000));
  stream.seed = uint64_t(args.integer("--seed", 1, 0, INT64_MAX));
  std::vector<rtl::Unit> units;
  for (const std::string& name : split_list(args.get("--units").value_or(kDefaultUnits)))
    units.push_back(rtl::parse_unit(name));
  if (units.empty()) throw InputError("--units is empty");

  std::string all = "technology,datawidth,a_format,b_format,accumulator,num_pipeline_stages,"
                    "action,energy,area\n";
  std::string intmac = "technology,datawidth,num_pipeline_stages,action,energy,area\n";
  Out out;
  for (const rtl::Unit& u : units) {
    const cost::SynthesisResult s = cost::synthesize(u);
    auto energy = [&](cost::OperandData data, cost::Dataflow order) {
      cost::EnergyOptions o;
      o.stream = stream;
      o.stream.data = data;
      o.stream.dataflow = order;
      return cost::estimate_energy(u, o).picojoules_estimate;
    };
    const ActionEnergy actions[] = {
        {"mac_random", energy(cost::OperandData::Gaussian, cost::Dataflow::OutputStationary)},
        {"mac_reused", energy(cost::OperandData::Gaussian, cost::Dataflow::WeightStationary)},
        {"mac_gated", energy(cost::OperandData::Zero, cost::Dataflow::OutputStationary)},
        {"idle", double(s.flip_flops) * cost::kClockPerFlipFlop * cost::kPicojoulesPerToggleUnit},
    };
    const std::string width = std::to_string(std::max(u.a.bits, u.b.bits));
    const std::string area = number(s.area_nand2 * cost::kSquareMicronsPerNand2);
    const bool plain_int = u.a == u.b && u.a.kind == Kind::Integer && u.a.is_signed &&
                           u.acc.kind == AccKind::Integer && u.acc.int_bits == 32 &&
                           !u.acc.saturate;
    for (const ActionEnergy& a : actions) {
      all += "45nm," + width + "," + u.a.name + "," + u.b.name + "," + u.acc.name + "," +
             std::to_string(u.pipeline) + "," + a.action + "," + number(a.picojoules) + "," + area +
             "\n";
      if (plain_int)
        intmac += "45nm," + width + "," + std::to_string(u.pipeline) + "," + a.action + "," +
                  number(a.picojoules) + "," + area + "\n";
    }
    out.line(u.name + ": area " + area + " um^2, mac_random " + number(actions[0].picojoules) +
             " pJ (45 nm estimates)");
  }
  // Each table whole or absent: a failure leaves no half-written file behind.
  write_atomically((dir / "data" / "qmac_mac.csv").string(), all);
  write_atomically((dir / "data" / "intmac.csv").string(), intmac);
  write_atomically(
      (dir / "qmac.table.yaml").string(),
      "# qmac's MAC tables for Accelergy's table-based plug-in (accelergyTables -r DIR).\n"
      "# Energy (pJ) and area (um^2) are 45 nm estimates from gate-level toggles and\n"
      "# Yosys synthesis of qmac's RTL; see qmac's docs/cost.md.\n"
      "name: qmac\ntechnology: 45nm\naccuracy: 50\npath_to_data_dir: ./data\n");
  out.line("wrote " + (dir / "qmac.table.yaml").string() + " and " + (dir / "data").string() +
           "/{qmac_mac,intmac}.csv");
  return 0;
}

} // namespace qmac::cli
