#include "qmac/sc/dot_array.h"

namespace qmac::sc {

bool DotArrayBeat::operator==(const DotArrayBeat& o) const {
  return valid == o.valid && start == o.start && last == o.last && a == o.a && b == o.b;
}

bool DotArrayOutput::operator==(const DotArrayOutput& o) const {
  return valid == o.valid && acc == o.acc;
}

DotArrayBeat idle_dot_beat(const array::DotArrayConfig& c) {
  DotArrayBeat b;
  b.a.assign(size_t(c.rows) * size_t(c.unit.n), 0);
  b.b.assign(size_t(c.cols) * size_t(c.unit.n), 0);
  return b;
}

DotArrayOutput idle_dot_output(const array::DotArrayConfig& c) {
  DotArrayOutput o;
  o.acc.assign(size_t(c.pes()), 0);
  return o;
}

std::ostream& operator<<(std::ostream& os, const DotArrayBeat& b) {
  os << (b.valid ? "valid" : "bubble") << (b.start ? " start" : "") << (b.last ? " last" : "")
     << " a";
  for (uint32_t v : b.a)
    os << ' ' << v;
  os << " b";
  for (uint32_t v : b.b)
    os << ' ' << v;
  return os;
}

std::ostream& operator<<(std::ostream& os, const DotArrayOutput& o) {
  os << (o.valid ? "valid" : "-");
  for (uint64_t v : o.acc)
    os << ' ' << std::hex << v << std::dec;
  return os;
}

void sc_trace(sc_core::sc_trace_file* tf, const DotArrayBeat& b, const std::string& name) {
  sc_core::sc_trace(tf, b.valid, name + ".valid");
  sc_core::sc_trace(tf, b.start, name + ".start");
  sc_core::sc_trace(tf, b.last, name + ".last");
  for (size_t i = 0; i < b.a.size(); ++i)
    sc_core::sc_trace(tf, b.a[i], name + ".a" + std::to_string(i));
  for (size_t i = 0; i < b.b.size(); ++i)
    sc_core::sc_trace(tf, b.b[i], name + ".b" + std::to_string(i));
}

void sc_trace(sc_core::sc_trace_file* tf, const DotArrayOutput& o, const std::string& name) {
  sc_core::sc_trace(tf, o.valid, name + ".valid");
  for (size_t i = 0; i < o.acc.size(); ++i)
    sc_core::sc_trace(tf, o.acc[i], name + ".acc" + std::to_string(i));
}

DotArray::DotArray(const sc_core::sc_module_name& name, const array::DotArrayConfig& config)
    : DotArrayModule(name), config_(config), done_line_(size_t(config.pipeline) + 1, false),
      out_(idle_dot_output(config)) {
  array::validate(config_);
  pes_.reserve(size_t(config_.pes()));
  for (uint64_t i = 0; i < config_.pes(); ++i)
    pes_.emplace_back(config_.a, config_.b, config_.out, config_.unit, config_.pipeline);
  beat_.a.resize(size_t(config_.unit.n));
  beat_.b.resize(size_t(config_.unit.n));
  SC_HAS_PROCESS(DotArray);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void DotArray::on_edge() {
  const size_t n = size_t(config_.unit.n), cols = config_.cols;
  if (rst.read()) {
    for (dot::DotPeCycleModel& pe : pes_)
      pe.reset();
    done_line_.assign(done_line_.size(), false);
  } else {
    const DotArrayBeat& in = this->in.read();
    beat_.valid = in.valid;
    beat_.start = in.start;
    beat_.c = 0; // +0 in every output format
    for (size_t r = 0; r < config_.rows; ++r)
      for (size_t c = 0; c < cols; ++c) {
        for (size_t i = 0; i < n; ++i) {
          beat_.a[i] = in.a[r * n + i];
          beat_.b[i] = in.b[c * n + i];
        }
        pes_[r * cols + c].cycle(beat_);
      }
    done_line_.insert(done_line_.begin(), in.valid && in.last);
    done_line_.pop_back();
  }
  out_.valid = done_line_.back();
  for (size_t i = 0; i < pes_.size(); ++i)
    out_.acc[i] = pes_[i].result();
  out.write(out_);
}

} // namespace qmac::sc
