#include "rtl_array.h"

#include "qmac/units/rtl_unit.h"

namespace qmac::rtl {

RtlArray::RtlArray(const sc_core::sc_module_name& name, const array::ArrayConfig& config)
    : ArrayModule(name), config_(config) {
  array::validate(config_);
  next_out_ = sc::idle_output(config_);
  SC_HAS_PROCESS(RtlArray);
  SC_METHOD(on_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void RtlArray::on_edge() {
  ++edges_;
  clock(rst.read(), in.read(), weights.read(), next_out_);
  out.write(next_out_);
}

array::ArrayConfig parse_array_key(std::string_view key) {
  const size_t s1 = key.find(' ');
  const size_t s2 = s1 == std::string_view::npos ? s1 : key.find(' ', s1 + 1);
  if (s2 == std::string_view::npos || key.find(' ', s2 + 1) != std::string_view::npos)
    throw InputError("bad array '" + std::string(key) +
                     "': expected 'UNIT RxC ws|os', e.g. 'int8:int8:int32 4x4 ws'");
  const Unit u = parse_unit(key.substr(0, s1));
  array::ArrayConfig c;
  array::parse_array_size(key.substr(s1 + 1, s2 - s1 - 1), c.rows, c.cols);
  c.dataflow = array::parse_dataflow(key.substr(s2 + 1));
  c.pipeline = u.pipeline;
  c.a = u.a;
  c.b = u.b;
  c.acc = u.acc;
  array::validate(c);
  return c;
}

std::string array_key(const array::ArrayConfig& c) {
  std::string unit = c.a.name + ":" + c.b.name + ":" + c.acc.name;
  if (c.pipeline != 1) unit += ":p" + std::to_string(c.pipeline);
  if (c.acc.saturate && c.acc.kind != AccKind::Fixed) unit += ":sat";
  if (c.acc.flush_subnormals && c.acc.kind == AccKind::Float) unit += ":ftz";
  return parse_unit(unit).name + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " +
         array::dataflow_name(c.dataflow);
}

bool same_array(const array::ArrayConfig& x, const array::ArrayConfig& y) {
  const AccumulatorSpec &p = x.acc, &q = y.acc;
  const bool same_acc = p.kind == q.kind && p.register_bits() == q.register_bits() &&
                        p.int_bits == q.int_bits && p.saturate == q.saturate &&
                        p.format == q.format && p.flush_subnormals == q.flush_subnormals &&
                        p.lsb_exp == q.lsb_exp && p.guard_bits == q.guard_bits &&
                        p.width == q.width;
  return x.rows == y.rows && x.cols == y.cols && x.dataflow == y.dataflow &&
         x.pipeline == y.pipeline && x.a == y.a && x.b == y.b && same_acc;
}

const ArrayEntry* find_compiled_array(const array::ArrayConfig& config) {
  for (const ArrayEntry& e : compiled_arrays())
    if (same_array(e.config, config)) return &e;
  return nullptr;
}

} // namespace qmac::rtl
