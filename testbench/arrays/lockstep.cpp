#include "lockstep.h"

#include <sstream>

#include "qmac/numerics/mac.h"

namespace qmac::rtl {

OutputChecker::OutputChecker(const sc_core::sc_module_name& name) : sc_module(name) {
  SC_HAS_PROCESS(OutputChecker);
  SC_METHOD(on_rising);
  sensitive << clk.pos();
  dont_initialize();
  SC_METHOD(check);
  sensitive << clk.neg();
  dont_initialize();
}

void OutputChecker::begin_run() {
  mismatches_ = 0;
  first_mismatch_.clear();
  last_valid_[0] = last_valid_[1] = -1;
}

void OutputChecker::check() {
  if (!pending_) return;
  pending_ = false;
  const sc::ArrayOutput &s = systemc.read(), &r = rtl.read();
  if (s.valid) last_valid_[0] = int64_t(cycle_);
  if (r.valid) last_valid_[1] = int64_t(cycle_);
  if (s == r) return;
  if (first_mismatch_edge_ == 0) first_mismatch_edge_ = edges_;
  if (mismatches_++ == 0) {
    std::ostringstream os;
    os << "first mismatch at cycle " << cycle_ << ": ";
    size_t c = 0;
    while (c < s.value.size() && c < r.value.size() && s.value[c] == r.value[c])
      ++c;
    if (c < s.value.size() || c < r.value.size())
      os << "column " << c << ": SystemC " << (c < s.value.size() ? s.value[c] : AccState{})
         << " RTL " << (c < r.value.size() ? r.value[c] : AccState{}) << "; ";
    os << "valid SystemC " << s.valid << " RTL " << r.valid << "\n  SystemC out: " << s
       << "\n  RTL out:     " << r;
    first_mismatch_ = os.str();
  }
}

void OutputChecker::on_rising() {
  cycle_ = rst.read() ? 0 : cycle_ + 1;
  ++edges_;
  pending_ = true;
}

RandomPorts::RandomPorts(const sc_core::sc_module_name& name, const array::ArrayConfig& config,
                         uint64_t seed)
    : sc_module(name), config_(config), rng_(seed) {
  beat_ = sc::idle_beat(config);
  weights_ = sc::idle_weights(config);
  weights_.data.assign(config.cols, 0);
  weights_.present.assign(config.cols, 0);
  SC_HAS_PROCESS(RandomPorts);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

AccState RandomPorts::partial_sum() {
  const AccumulatorSpec& acc = config_.acc;
  const int w = acc.register_bits();
  AccState s;
  s.reg[0] = rng_();
  s.reg[1] = w > 64 ? rng_() : 0;
  if (w < 64) s.reg[0] &= (uint64_t(1) << w) - 1;
  if (w > 64 && w < 128) s.reg[1] &= (uint64_t(1) << (w - 64)) - 1;
  // Reachable flags: a float register carries none; intN and fx+G carry
  // overflow, and NaN, +Inf or -Inf.
  static const uint8_t special[] = {0, 0, 0, kSpecialNan, kSpecialInf, kSpecialInf | kSpecialNeg};
  if (acc.kind != AccKind::Float)
    s.flags = uint8_t((rng_() % 4 == 0 ? kOverflow : 0) | special[rng_() % 6]);
  return s;
}

void RandomPorts::on_edge() {
  rst.write(rng_() % 100 == 0);
  beat_.beat = int(rng_() % 100) < beat_percent_;
  beat_.first = rng_() % 5 == 0;
  beat_.mac = rng_() % 5 != 0;
  beat_.sel = rng_() % 2;
  for (auto& x : beat_.a)
    x = code(config_.a);
  for (auto& x : beat_.b)
    x = code(config_.b);
  for (auto& x : beat_.psum)
    x = partial_sum();
  beat.write(beat_);
  weights_.we = int(rng_() % 200) < beat_percent_;
  weights_.buf = rng_() % 2;
  weights_.row = uint32_t(rng_() % (config_.rows + 2));
  for (auto& x : weights_.data)
    x = code(config_.b);
  for (auto& x : weights_.present)
    x = rng_() % 4 != 0;
  weights.write(weights_);
}

uint32_t draw(const Format& f, Codes codes, std::mt19937_64& rng) {
  if (codes == Codes::Uniform) return uint32_t(rng() & f.code_mask());
  if (f.kind == Kind::Integer) return uint32_t(f.max_integer() - int64_t(rng() % 2));
  return uint32_t(f.max_finite_code() - rng() % 2);
}

std::vector<array::Gemm> shapes_around(const array::ArrayConfig& config) {
  const uint64_t R = config.rows, C = config.cols;
  const std::vector<uint64_t> ms = {1, R - (R > 1), R, R + 1, 2 * R + 3},
                              ns = {1, C - (C > 1), C, C + 1, 2 * C + 3};
  std::vector<array::Gemm> out;
  for (uint64_t m : ms)
    for (uint64_t k : ms)
      for (uint64_t n : ns)
        out.push_back(array::Gemm{m, k, n});
  return out;
}

} // namespace qmac::rtl
