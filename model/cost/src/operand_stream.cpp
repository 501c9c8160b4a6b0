#include "qmac/cost/operand_stream.h"

#include <algorithm>
#include <random>

#include "qmac/numerics/codec.h"
#include "qmac/numerics/tensor.h"

namespace qmac::cost {
namespace {

// Reset long enough for the registered reset to reach every flip-flop and
// the reference cycle after it.
constexpr size_t kResetBeats = 3;

// The codes of one operand tensor of n elements.
// The distribution of the data (the zero data is not drawn).
Distribution distribution_of(OperandData d) {
  static constexpr Distribution kDistribution[] = {Distribution::Gaussian,
                                                   Distribution::Uniform,
                                                   Distribution::Laplace,
                                                   Distribution::StudentT,
                                                   Distribution::Gaussian /* Zero: not drawn */,
                                                   Distribution::LlmOutliers};
  return kDistribution[int(d)];
}

std::vector<uint32_t> tensor(const Format& f, size_t n, OperandData d, std::mt19937_64& rng) {
  if (d == OperandData::Zero) return std::vector<uint32_t>(n, uint32_t(quantize(f, 0.0)));
  return quantized_tensor(f, n, distribution_of(d), rng);
}

// A dot unit's operand tensor: element codes, or a block format's packed
// SCALE:ELEMENT codes (the zero data: zero elements under the unit scale).
std::vector<uint32_t> dot_tensor(const dot::DotInput& in, size_t n, OperandData d,
                                 std::mt19937_64& rng) {
  if (!in.block) return tensor(in.element, n, d, rng);
  if (d == OperandData::Zero)
    return std::vector<uint32_t>(n, uint32_t(in.pack(unit_scale_code(*in.block), 0)));
  return quantized_block_tensor(*in.block, n, distribution_of(d), rng);
}

} // namespace

const std::vector<std::string>& operand_data_names() {
  static const std::vector<std::string> kNames{"gaussian",  "uniform", "laplace",
                                               "student-t", "zero",    "llm-outliers"};
  return kNames;
}

OperandData parse_operand_data(std::string_view name) {
  const auto& names = operand_data_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return OperandData(i);
  throw InputError("unknown operand data '" + std::string(name) +
                   "' (gaussian, uniform, laplace, student-t, zero, llm-outliers)");
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

DotOperandStream dot_operand_stream(const rtl::DotRtlUnit& unit, const StreamOptions& o) {
  check_stream_options(o);
  if (o.dataflow != Dataflow::OutputStationary)
    throw InputError("a dot unit's operand stream is output-stationary (os) only");
  const size_t n = size_t(unit.unit.n), lanes = size_t(unit.pipeline) + 1;
  const size_t blocks = (size_t(o.k) + n - 1) / n, k = blocks * n;
  size_t dots = (size_t(o.macs) + k - 1) / k;
  dots = (dots + lanes - 1) / lanes * lanes;
  std::mt19937_64 rng(o.seed);
  DotOperandStream s;
  s.k = int(k);
  s.dot_products = long(dots);
  s.products = long(dots * k);
  s.a = dot_tensor(unit.input_a(), dots * k, o.data, rng);
  s.b = dot_tensor(unit.input_b(), dots * k, o.data, rng);

  const TopInterface& top = dot_top_interface();
  const int rst = top.input_offset("rst"), valid = top.input_offset("valid"),
            start = top.input_offset("start"), a = top.input_offset("a"), b = top.input_offset("b");
  const int slot = 16; // bits per element slot of the a and b ports
  s.beats = empty_beats(top, kResetBeats + dots * blocks + lanes);
  for (size_t t = 0; t < kResetBeats; ++t)
    s.beats.set(t, rst, 1, 1);
  s.count_from = kResetBeats;
  size_t t = kResetBeats;
  for (size_t group = 0; group < dots; group += lanes)
    for (size_t j = 0; j < blocks; ++j)
      for (size_t lane = 0; lane < lanes; ++lane, ++t) {
        const size_t first = (group + lane) * k + j * n;
        s.beats.set(t, valid, 1, 1);
        s.beats.set(t, start, 1, j == 0);
        for (size_t i = 0; i < n; ++i) {
          s.beats.set(t, a + int(i) * slot, unit.input_a().code_bits(), s.a[first + i]);
          s.beats.set(t, b + int(i) * slot, unit.input_b().code_bits(), s.b[first + i]);
        }
      }
  // Bubbles until the last result is in the register, holding the last
  // operands, as an idle array's registers do.
  for (; t < s.beats.size(); ++t) {
    std::copy_n(&s.beats.words[(t - 1) * s.beats.words_per_beat], s.beats.words_per_beat,
                &s.beats.words[t * s.beats.words_per_beat]);
    s.beats.set(t, valid, 1, 0);
    s.beats.set(t, start, 1, 0);
  }
  return s;
}

} // namespace qmac::cost
