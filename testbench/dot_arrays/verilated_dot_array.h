// A Verilated rtl/qmac_dot_array.v as a SystemC module with the ports of
// qmac::sc::DotArray (qmac::sc::DotArrayModule): bound to the same signals
// as the SystemC array, its output equals the SystemC one after every
// rising edge. On each rising edge it applies the port values sampled at
// that edge to the Verilated model, clocks it once and writes the outputs.
#pragma once

// Verilator's header first: included after SystemC's, it takes the model
// for a SystemC one (VM_SC) and wants a global sc_time_stamp.
#include "verilated.h"

#include <cstdint>
#include <memory>
#include <type_traits>

#include <systemc>

#include "qmac/sc/dot_array.h"

namespace qmac::rtl {

// Verilator holds a port of up to 64 bits in an integer, a wider one in
// 32-bit words.
template <typename Port> void set_bits(Port& port, size_t offset, int width, uint64_t value) {
  for (int i = 0; i < width; ++i) {
    const size_t bit = offset + size_t(i);
    const bool one = (value >> i) & 1;
    if constexpr (std::is_integral_v<Port>) {
      const Port mask = Port(Port(1) << bit);
      port = one ? Port(port | mask) : Port(port & ~mask);
    } else {
      const uint32_t mask = uint32_t(1) << (bit % 32);
      port[bit / 32] = one ? port[bit / 32] | mask : port[bit / 32] & ~mask;
    }
  }
}

template <typename Port> uint64_t get_bits(const Port& port, size_t offset, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const size_t bit = offset + size_t(i);
    uint64_t one;
    if constexpr (std::is_integral_v<Port>)
      one = (uint64_t(port) >> bit) & 1;
    else
      one = (port[bit / 32] >> (bit % 32)) & 1;
    v |= one << i;
  }
  return v;
}

template <typename Top> class VerilatedDotArray : public sc::DotArrayModule {
public:
  VerilatedDotArray(const sc_core::sc_module_name& name, const array::DotArrayConfig& config)
      : DotArrayModule(name), config_(config), context_(std::make_unique<VerilatedContext>()),
        top_(std::make_unique<Top>(context_.get())), out_(sc::idle_dot_output(config)) {
    SC_HAS_PROCESS(VerilatedDotArray);
    SC_METHOD(on_edge);
    sensitive << clk.pos();
    dont_initialize();
  }
  const char* kind() const override { return "qmac::rtl::VerilatedDotArray"; }

private:
  void on_edge() {
    const sc::DotArrayBeat& in = this->in.read();
    top_->rst = rst.read();
    top_->in_valid = in.valid;
    top_->in_start = in.start;
    top_->in_last = in.last;
    for (size_t i = 0; i < in.a.size(); ++i)
      set_bits(top_->in_a, i * size_t(config_.a.element.bits), config_.a.element.bits, in.a[i]);
    for (size_t i = 0; i < in.b.size(); ++i)
      set_bits(top_->in_b, i * size_t(config_.b.element.bits), config_.b.element.bits, in.b[i]);
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
    const int w = config_.out.register_bits();
    out_.valid = top_->out_valid;
    for (size_t i = 0; i < out_.acc.size(); ++i)
      out_.acc[i] = get_bits(top_->out_acc, i * size_t(w), w);
    out.write(out_);
  }

  array::DotArrayConfig config_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Top> top_;
  sc::DotArrayOutput out_;
};

} // namespace qmac::rtl
