#include "qmac/sc/array_ports.h"

namespace qmac::sc {

bool ArrayBeat::operator==(const ArrayBeat& o) const {
  return beat == o.beat && first == o.first && mac == o.mac && sel == o.sel && a == o.a &&
         b == o.b && psum == o.psum;
}

bool WeightWrite::operator==(const WeightWrite& o) const {
  return we == o.we && buf == o.buf && row == o.row && data == o.data && present == o.present;
}

bool ArrayOutput::operator==(const ArrayOutput& o) const {
  return valid == o.valid && value == o.value;
}

ArrayBeat idle_beat(const array::ArrayConfig& c) {
  ArrayBeat b;
  b.a.assign(c.rows, 0);
  if (c.dataflow == array::Dataflow::WeightStationary)
    b.psum.assign(c.cols, AccState{});
  else
    b.b.assign(c.cols, 0);
  return b;
}

WeightWrite idle_weights(const array::ArrayConfig& c) {
  WeightWrite w;
  if (c.dataflow == array::Dataflow::WeightStationary) {
    w.data.assign(c.cols, 0);
    w.present.assign(c.cols, 0);
  }
  return w;
}

ArrayOutput idle_output(const array::ArrayConfig& c) {
  ArrayOutput o;
  o.value.assign(c.cols, AccState{});
  return o;
}

namespace {

template <typename T> void print_list(std::ostream& os, const std::vector<T>& v) {
  os << "[";
  for (size_t i = 0; i < v.size(); ++i)
    os << (i ? " " : "") << v[i];
  os << "]";
}

} // namespace

std::ostream& operator<<(std::ostream& os, const ArrayBeat& b) {
  os << (b.beat ? "beat" : "idle") << (b.first ? " first" : "") << (b.mac ? " mac" : "")
     << " sel=" << b.sel << " a=";
  print_list(os, b.a);
  if (!b.b.empty()) os << " b=", print_list(os, b.b);
  if (!b.psum.empty()) os << " psum=", print_list(os, b.psum);
  return os;
}

std::ostream& operator<<(std::ostream& os, const WeightWrite& w) {
  os << (w.we ? "write" : "idle") << " buf=" << w.buf << " row=" << w.row << " data=";
  print_list(os, w.data);
  return os;
}

std::ostream& operator<<(std::ostream& os, const ArrayOutput& o) {
  os << (o.valid ? "valid " : "idle ");
  print_list(os, o.value);
  return os;
}

void sc_trace(sc_core::sc_trace_file* tf, const ArrayBeat& b, const std::string& name) {
  sc_core::sc_trace(tf, b.beat, name + ".beat");
  sc_core::sc_trace(tf, b.first, name + ".first");
  sc_core::sc_trace(tf, b.mac, name + ".mac");
  sc_core::sc_trace(tf, b.sel, name + ".sel");
  for (size_t i = 0; i < b.a.size(); ++i)
    sc_core::sc_trace(tf, b.a[i], name + ".a" + std::to_string(i));
  for (size_t i = 0; i < b.b.size(); ++i)
    sc_core::sc_trace(tf, b.b[i], name + ".b" + std::to_string(i));
  for (size_t i = 0; i < b.psum.size(); ++i)
    sc_trace(tf, b.psum[i], name + ".psum" + std::to_string(i));
}

void sc_trace(sc_core::sc_trace_file* tf, const WeightWrite& w, const std::string& name) {
  sc_core::sc_trace(tf, w.we, name + ".we");
  sc_core::sc_trace(tf, w.buf, name + ".buf");
  sc_core::sc_trace(tf, w.row, name + ".row");
  for (size_t i = 0; i < w.data.size(); ++i)
    sc_core::sc_trace(tf, w.data[i], name + ".w" + std::to_string(i));
}

void sc_trace(sc_core::sc_trace_file* tf, const ArrayOutput& o, const std::string& name) {
  sc_core::sc_trace(tf, o.valid, name + ".valid");
  for (size_t i = 0; i < o.value.size(); ++i)
    sc_trace(tf, o.value[i], name + ".out" + std::to_string(i));
}

} // namespace qmac::sc

namespace qmac {

void sc_trace(sc_core::sc_trace_file* tf, const AccState& s, const std::string& name) {
  sc_core::sc_trace(tf, s.reg[0], name + ".reg");
  sc_core::sc_trace(tf, s.reg[1], name + ".reg_hi");
  sc_core::sc_trace(tf, s.flags, name + ".flags");
}

} // namespace qmac
