#include "qmac/cost/operand_stream.h"

#include <random>

#include "qmac/numerics/codec.h"
#include "qmac/numerics/tensor.h"

namespace qmac::cost {
namespace {

// Reset long enough for the registered reset to reach every flip-flop and
// the reference cycle after it.
constexpr size_t kResetBeats = 3;

// The codes of one operand tensor of n elements.
std::vector<uint32_t> tensor(const Format& f, size_t n, OperandData d, std::mt19937_64& rng) {
  if (d == OperandData::Zero) return std::vector<uint32_t>(n, uint32_t(quantize(f, 0.0)));
  static constexpr Distribution kDistribution[] = {Distribution::Gaussian, Distribution::Uniform,
                                                   Distribution::Laplace, Distribution::StudentT};
  return quantized_tensor(f, n, kDistribution[int(d)], rng);
}

} // namespace

const std::vector<std::string>& operand_data_names() {
  static const std::vector<std::string> kNames{"gaussian", "uniform", "laplace", "student-t",
                                               "zero"};
  return kNames;
}

OperandData parse_operand_data(std::string_view name) {
  const auto& names = operand_data_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return OperandData(i);
  throw InputError("unknown operand data '" + std::string(name) +
                   "' (gaussian, uniform, laplace, student-t, zero)");
}

std::string_view dataflow_name(Dataflow d) {
  return d == Dataflow::OutputStationary ? "os" : "ws";
}

Dataflow parse_dataflow(std::string_view name) {
  if (name == "os") return Dataflow::OutputStationary;
  if (name == "ws") return Dataflow::WeightStationary;
  throw InputError("unknown dataflow '" + std::string(name) + "' (os, ws)");
}

void check_stream_options(const StreamOptions& o) {
  if (o.k < 1 || o.k > (1 << 20)) throw InputError("K must be in [1, 2^20]");
  if (o.weight_run < 1 || o.weight_run > (1 << 20))
    throw InputError("the weight run must be in [1, 2^20]");
  if (o.macs < 1 || o.macs > (1L << 26)) throw InputError("MACs must be in [1, 2^26]");
}

OperandStream operand_stream(const rtl::Unit& unit, const StreamOptions& o) {
  check_stream_options(o);
  const size_t k = size_t(o.k);
  const size_t macs = (size_t(o.macs) + k - 1) / k * k;
  const bool ws = o.dataflow == Dataflow::WeightStationary;
  std::mt19937_64 rng(o.seed);
  // One tensor per operand over the whole stream, so absmax scaling is per
  // tensor as a quantizer's would be; weight-stationary needs one weight
  // per run.
  const std::vector<uint32_t> a = tensor(unit.a, macs, o.data, rng);
  const size_t runs = (macs + size_t(o.weight_run) - 1) / size_t(o.weight_run);
  const std::vector<uint32_t> b = tensor(unit.b, ws ? runs : macs, o.data, rng);

  OperandStream s;
  s.beats.resize(kResetBeats);
  for (Beat& beat : s.beats)
    beat.rst = true;
  s.count_from = kResetBeats;
  for (size_t i = 0; i < macs; ++i) {
    Beat beat;
    beat.a = uint16_t(a[i]);
    beat.b = uint16_t(ws ? b[i / size_t(o.weight_run)] : b[i]);
    beat.valid = true;
    beat.clear = i % k == 0;
    s.beats.push_back(beat);
  }
  // Bubbles until the last product is in the register (PIPELINE + 1 edges),
  // holding the last operands, as an idle array's registers do.
  Beat drain = s.beats.back();
  drain.valid = drain.clear = false;
  s.beats.insert(s.beats.end(), size_t(unit.pipeline) + 1, drain);
  s.macs = long(macs);
  return s;
}

} // namespace qmac::cost
