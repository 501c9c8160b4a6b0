// RtlArray over one Verilated array top (qmac-rtlgen array): included by each
// array's generated translation unit with its own class V. Packs the
// SystolicArray port values into the top's flattened ports (row r / column c
// at bit r * width), clocks one edge and unpacks the outputs.
#pragma once

#include <cstring>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <verilated.h>
#include <verilated_vcd_c.h>

#include "mutant_select.h"
#include "rtl_array.h"

namespace qmac::rtl {

// A little-endian bit vector of 32-bit words, as Verilator stores wide ports.
class PackedBits {
public:
  explicit PackedBits(size_t bits) : words_((bits + 31) / 32 + 3, 0) {}

  // Bits [pos, pos + width) = value (width <= 64; value masked to width).
  void put(size_t pos, unsigned width, uint64_t value) {
    if (width == 0) return;
    using u128 = unsigned __int128;
    const u128 mask = ((width == 64 ? u128(~uint64_t(0)) : ((u128(1) << width) - 1))) << (pos % 32);
    const u128 bits = (u128(value) << (pos % 32)) & mask;
    const size_t w = pos / 32;
    for (size_t k = 0; k < 3; ++k) {
      const uint32_t m = uint32_t(mask >> (32 * k));
      words_[w + k] = (words_[w + k] & ~m) | uint32_t(bits >> (32 * k));
    }
  }
  uint64_t get(size_t pos, unsigned width) const {
    using u128 = unsigned __int128;
    const size_t w = pos / 32;
    const u128 all = u128(words_[w]) | u128(words_[w + 1]) << 32 | u128(words_[w + 2]) << 64;
    const uint64_t v = uint64_t(all >> (pos % 32));
    return width >= 64 ? v : v & ((uint64_t(1) << width) - 1);
  }

  // To and from a Verilated port: CData/SData/IData/QData or VlWide<N>.
  template <class T> void to(T& port) const {
    if constexpr (std::is_integral_v<T>)
      port = T(uint64_t(words_[0]) | uint64_t(words_[1]) << 32);
    else
      std::memcpy(port.data(), words_.data(), sizeof(port));
  }
  template <class T> void from(const T& port) {
    if constexpr (std::is_integral_v<T>) {
      words_[0] = uint32_t(uint64_t(port));
      words_[1] = uint32_t(uint64_t(port) >> 32);
    } else {
      std::memcpy(words_.data(), port.data(), sizeof(port));
    }
  }

private:
  std::vector<uint32_t> words_;
};

// A partial sum of `width` bits (up to 128) at bit pos.
inline void put_register(PackedBits& bits, size_t pos, unsigned width, const AccState& s) {
  bits.put(pos, width < 64 ? width : 64, s.reg[0]);
  if (width > 64) bits.put(pos + 64, width - 64, s.reg[1]);
}
inline void get_register(const PackedBits& bits, size_t pos, unsigned width, AccState& s) {
  s.reg[0] = bits.get(pos, width < 64 ? width : 64);
  s.reg[1] = width > 64 ? bits.get(pos + 64, width - 64) : 0;
}

template <class V, class = void> struct has_trace : std::false_type {};
template <class V>
struct has_trace<
    V, std::void_t<decltype(std::declval<V&>().trace(static_cast<VerilatedVcdC*>(nullptr), 0))>>
    : std::true_type {};

// WeightStationary: true for qmac_array_ws tops, false for qmac_array_os.
template <class V, bool WeightStationary> class VerilatedArray final : public RtlArray {
public:
  // `mutant` selects a mutant model's mutant (mutant_select.h).
  VerilatedArray(const char* name, const array::ArrayConfig& config, uint32_t mutant = 0)
      : RtlArray(name, config), R_(config.rows), C_(config.cols), A_(unsigned(config.a.bits)),
        B_(unsigned(config.b.bits)), W_(unsigned(config.acc.register_bits())), a_(size_t(R_) * A_),
        b_(size_t(C_) * B_), psum_(size_t(C_) * W_), psum_flags_(C_ * 4), w_data_(size_t(C_) * B_),
        w_present_(C_), value_(size_t(C_) * W_), flags_(C_ * 4),
        context_(std::make_unique<VerilatedContext>()) {
    if constexpr (has_trace<V>::value) context_->traceEverOn(true);
    while (R_ > 1 && (1u << row_bits_) < R_)
      ++row_bits_;
    model_ = std::make_unique<V>(context_.get(), "rtl");
    select_mutant(*model_, mutant);
    model_->clk = 0;
    model_->eval();
  }
  ~VerilatedArray() override { stop_trace(); }

  void start_trace(const std::string& path) override {
    if constexpr (has_trace<V>::value) {
      stop_trace();
      trace_ = std::make_unique<VerilatedVcdC>();
      model_->trace(trace_.get(), 99);
      trace_->open(path.c_str());
    } else {
      throw std::logic_error(std::string(name()) + ": this array was built without --trace");
    }
  }
  void stop_trace() override {
    if (trace_) trace_->close();
    trace_.reset();
  }

protected:
  void clock(bool rst, const sc::ArrayBeat& in, const sc::WeightWrite& w,
             sc::ArrayOutput& out) override {
    model_->rst = rst;
    model_->in_beat = in.beat;
    for (uint32_t r = 0; r < R_; ++r)
      a_.put(size_t(r) * A_, A_, r < in.a.size() ? in.a[r] : 0);
    a_.to(model_->in_a);
    if constexpr (WeightStationary) {
      model_->in_sel = in.sel;
      for (uint32_t c = 0; c < C_; ++c) {
        const AccState s = c < in.psum.size() ? in.psum[c] : AccState{};
        put_register(psum_, size_t(c) * W_, W_, s);
        psum_flags_.put(c * 4, 4, s.flags);
        w_data_.put(size_t(c) * B_, B_, c < w.data.size() ? w.data[c] : 0);
        w_present_.put(c, 1, c < w.present.size() ? w.present[c] : 0);
      }
      psum_.to(model_->in_psum);
      psum_flags_.to(model_->in_psum_flags);
      w_data_.to(model_->w_data);
      w_present_.to(model_->w_present);
      // A row the w_row port cannot carry is beyond ROWS: the array ignores it.
      const bool fits = row_bits_ >= 32 || (w.row >> row_bits_) == 0;
      model_->w_we = w.we && fits;
      model_->w_buf = w.buf;
      model_->w_row = fits ? w.row : 0;
    } else {
      model_->in_first = in.first;
      model_->in_mac = in.mac;
      for (uint32_t c = 0; c < C_; ++c)
        b_.put(size_t(c) * B_, B_, c < in.b.size() ? in.b[c] : 0);
      b_.to(model_->in_b);
    }
    edge();
    out.valid = model_->out_valid;
    value_.from(model_->out_value);
    flags_.from(model_->out_flags);
    out.value.resize(C_);
    for (uint32_t c = 0; c < C_; ++c) {
      get_register(value_, size_t(c) * W_, W_, out.value[c]);
      out.value[c].flags = uint8_t(flags_.get(c * 4, 4));
    }
  }

private:
  // As testbench/harness/verilated_adapters.h: the new inputs and the rising
  // edge go in together, then the clock falls.
  void edge() {
    model_->clk = 1;
    model_->eval();
    dump();
    model_->clk = 0;
    model_->eval();
    dump();
  }
  void dump() {
    if (trace_) trace_->dump(time_);
    time_ += 5;
  }

  const uint32_t R_, C_;
  const unsigned A_, B_, W_;
  unsigned row_bits_ = 1;
  PackedBits a_, b_, psum_, psum_flags_, w_data_, w_present_, value_, flags_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
  std::unique_ptr<VerilatedVcdC> trace_;
  uint64_t time_ = 0;
};

} // namespace qmac::rtl
