// Adapters from Verilated classes to the interfaces of rtl_model.h. Included
// by each unit's generated translation unit with its own class V.
#pragma once

#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>
#include <verilated.h>
#include <verilated_vcd_c.h>

#include "mutant_select.h"
#include "rtl_model.h"

namespace qmac::rtl {

inline void put_wide(uint32_t* words, const std::array<uint64_t, 2>& v) {
  words[0] = uint32_t(v[0]);
  words[1] = uint32_t(v[0] >> 32);
  words[2] = uint32_t(v[1]);
  words[3] = uint32_t(v[1] >> 32);
}

inline std::array<uint64_t, 2> get_wide(const uint32_t* words) {
  return {uint64_t(words[0]) | uint64_t(words[1]) << 32, uint64_t(words[2]) | uint64_t(words[3])
                                                                                  << 32};
}

// A Verilated model with a clock and a VCD trace: what the clocked adapters
// share. `mutant` selects a mutant model's mutant for the model's lifetime.
template <class V> class ClockedModel {
public:
  explicit ClockedModel(uint32_t mutant = 0) : context_(std::make_unique<VerilatedContext>()) {
    context_->traceEverOn(true);
    model_ = std::make_unique<V>(context_.get());
    select_mutant(*model_, mutant);
    model_->clk = 0;
    model_->eval();
  }
  ~ClockedModel() { stop_trace(); }
  V& operator*() { return *model_; }
  V* operator->() { return model_.get(); }

  // The clock falls (nothing is sensitive to it, so that evaluation is
  // cheap), then the new inputs and the rising edge go in together: Verilator
  // settles the logic that depends on the inputs before the edge's processes
  // sample it, so each cycle computes the datapath once.
  void edge() {
    model_->clk = 1;
    model_->eval();
    dump();
    model_->clk = 0;
    model_->eval();
    dump();
  }
  void start_trace(const std::string& path) {
    trace_ = std::make_unique<VerilatedVcdC>();
    model_->trace(trace_.get(), 99);
    trace_->open(path.c_str());
  }
  void stop_trace() {
    if (trace_) trace_->close();
    trace_.reset();
  }

private:
  void dump() {
    if (trace_) trace_->dump(time_);
    time_ += 5;
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
  std::unique_ptr<VerilatedVcdC> trace_;
  uint64_t time_ = 0;
};

template <class V> class VerilatedPe final : public PeModel {
public:
  explicit VerilatedPe(uint32_t mutant = 0) : model_(mutant) {}
  void reset() override {
    model_->rst = 1;
    model_->valid = 0;
    model_->clear = 0;
    model_.edge();
    model_->rst = 0;
  }

  PeState cycle(const Beat& beat) override {
    model_->valid = beat.valid;
    model_->clear = beat.clear;
    model_->a = beat.a;
    model_->b = beat.b;
    model_.edge();
    PeState s;
    s.reg = get_wide(model_->acc.data());
    s.flags = model_->flags;
    return s;
  }

  void start_trace(const std::string& path) override { model_.start_trace(path); }
  void stop_trace() override { model_.stop_trace(); }

private:
  ClockedModel<V> model_;
};

template <class V> class VerilatedDotPe final : public DotPeModel {
public:
  explicit VerilatedDotPe(uint32_t mutant = 0) : model_(mutant) {}
  void reset() override {
    model_->rst = 1;
    model_->valid = 0;
    model_->start = 0;
    model_.edge();
    model_->rst = 0;
  }

  uint64_t cycle(const dot::DotBeat& beat) override {
    model_->valid = beat.valid;
    model_->start = beat.start;
    model_->c_in = beat.c;
    // 16-bit slots, two per 32-bit word of the 1024-bit ports.
    uint32_t* a = model_->a.data();
    uint32_t* b = model_->b.data();
    const size_t n = std::min(beat.a.size(), beat.b.size());
    for (size_t w = 0; w < 32; ++w) {
      const size_t i = 2 * w;
      const uint32_t a0 = i < n ? uint16_t(beat.a[i]) : 0,
                     a1 = i + 1 < n ? uint16_t(beat.a[i + 1]) : 0;
      const uint32_t b0 = i < n ? uint16_t(beat.b[i]) : 0,
                     b1 = i + 1 < n ? uint16_t(beat.b[i + 1]) : 0;
      a[w] = a0 | a1 << 16;
      b[w] = b0 | b1 << 16;
    }
    model_.edge();
    return model_->acc;
  }

  void start_trace(const std::string& path) override { model_.start_trace(path); }
  void stop_trace() override { model_.stop_trace(); }

private:
  ClockedModel<V> model_;
};

template <class V> class VerilatedStep final : public StepModel {
public:
  VerilatedStep() : context_(std::make_unique<VerilatedContext>()) {
    model_ = std::make_unique<V>(context_.get());
  }
  PeState eval(const PeState& acc, uint16_t a, uint16_t b) override {
    put_wide(model_->acc_in.data(), acc.reg);
    model_->flags_in = acc.flags;
    model_->a = a;
    model_->b = b;
    model_->eval();
    PeState s;
    s.reg = get_wide(model_->acc.data());
    s.flags = model_->flags;
    return s;
  }

private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
};

template <class V> class VerilatedBank final : public BankModel {
public:
  VerilatedBank() : context_(std::make_unique<VerilatedContext>()) {
    model_ = std::make_unique<V>(context_.get());
  }
  void eval(uint16_t a, uint16_t b) override {
    model_->a = a;
    model_->b = b;
    model_->eval();
  }
  uint64_t slot(size_t k) const override { return model_->product[k]; }

private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
};

} // namespace qmac::rtl
