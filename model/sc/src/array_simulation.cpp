#include "qmac/sc/array_simulation.h"

namespace qmac::sc {

ArraySimulation::ArraySimulation(const array::ArrayConfig& config, const std::string& name,
                                 const std::string& trace_path)
    : config_(config), name_(name), clk_((name + "_clk").c_str(), 1, sc_core::SC_NS),
      rst_((name + "_rst").c_str(), true), beat_((name + "_beat").c_str(), idle_beat(config)),
      weights_((name + "_weights").c_str(), idle_weights(config)),
      out_((name + "_out").c_str(), idle_output(config)) {
  array::validate(config_);
  auto model = std::make_unique<SystolicArray>((name + "_pes").c_str(), config_);
  model_ = model.get();
  array_ = std::move(model);
  bind(trace_path);
}

ArraySimulation::ArraySimulation(const array::ArrayConfig& config,
                                 std::unique_ptr<ArrayModule> array, const std::string& name)
    : config_(config), name_(name), clk_((name + "_clk").c_str(), 1, sc_core::SC_NS),
      rst_((name + "_rst").c_str(), true), beat_((name + "_beat").c_str(), idle_beat(config)),
      weights_((name + "_weights").c_str(), idle_weights(config)),
      out_((name + "_out").c_str(), idle_output(config)), array_(std::move(array)) {
  array::validate(config_);
  bind("");
}

void ArraySimulation::bind(const std::string& trace_path) {
  driver_ = std::make_unique<GemmDriver>((name_ + "_driver").c_str(), config_);
  array_->clk(clk_);
  array_->rst(rst_);
  array_->in(beat_);
  array_->weights(weights_);
  array_->out(out_);
  driver_->clk(clk_);
  driver_->rst(rst_);
  driver_->beat(beat_);
  driver_->weights(weights_);
  driver_->out(out_);
  if (!trace_path.empty()) {
    trace_ = sc_core::sc_create_vcd_trace_file(trace_path.c_str());
    sc_core::sc_trace(trace_, clk_, "clk");
    sc_core::sc_trace(trace_, rst_, "rst");
    sc_trace(trace_, beat_.read(), "in");
    sc_trace(trace_, weights_.read(), "weights");
    sc_trace(trace_, out_.read(), "out");
    if (model_) model_->trace(trace_);
  }
}

ArraySimulation::~ArraySimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
}

array::ArrayRun ArraySimulation::run(const array::Gemm& gemm, const std::vector<uint32_t>& A,
                                     const std::vector<uint32_t>& B,
                                     std::vector<AccState>* results) {
  driver_->start(gemm, A, B);
  while (!driver_->done())
    sc_core::sc_start(); // returns at the driver's sc_pause
  if (results) *results = driver_->results();
  return driver_->run();
}

} // namespace qmac::sc
