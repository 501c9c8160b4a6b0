// Switching activity of a synthesized design: the design through Yosys
// (scripts/synth/cost_flow.ys, then netlist_flow.ys) to a gate-level netlist,
// the netlist Verilated with a toggle-counting harness
// (model/cost/harness/toggle_harness.cpp), and a stream of beats through it.
//
// Counting is zero-delay: every net settles once per cycle (the top
// registers its inputs, as a systolic array's operand registers do), and a
// toggle is a net whose settled value differs from the previous cycle's.
// Glitches inside a cycle are not seen, so logic activity is a lower bound,
// most of all in multipliers' carry chains.
//
// The compiled simulator is cached per design, Yosys, Verilator and
// compiler under the cache directory's energy/ subdirectory, built in a
// scratch directory and renamed into place, so a failed build leaves nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/cost/synthesis.h"

namespace qmac::cost {

// The ports of a design's top other than clk, in order. The toggle top
// packs the inputs, LSB first, into one register the harness drives a word
// at a time, and the outputs into one port it reads back, so one harness
// serves every top.
struct TopPort {
  std::string name;
  int width;
};
struct TopInterface {
  std::string name; // for the cache key
  std::vector<TopPort> inputs, outputs;
  int input_bits() const;
  int output_bits() const;
  int input_offset(std::string_view port) const; // -1 when absent
};
// The port named `name` of `ports` and (into `offset`) its first bit in
// their packing; nullptr when there is none.
const TopPort* find_top_port(const std::vector<TopPort>& ports, std::string_view name, int& offset);
// The MAC PE top (rtl::pe_top_verilog): rst valid clear a[16] b[16] -> acc[128] flags[4].
const TopInterface& pe_top_interface();
// The dot PE top (rtl::dot_pe_top_verilog): rst valid start a[1024] b[1024]
// c_in[64] -> acc[64].
const TopInterface& dot_top_interface();

// Clock cycles of a top's inputs, each words_per_beat 32-bit words of the
// packed inputs (TopInterface), LSB word first.
struct PackedBeats {
  size_t words_per_beat = 1;
  std::vector<uint32_t> words;
  size_t size() const { return words.size() / words_per_beat; }
  // Sets `width` bits of beat `t` from `offset` on to the low bits of `value`.
  void set(size_t t, int offset, int width, uint64_t value);
};
PackedBeats empty_beats(const TopInterface& top, size_t beats); // all zero

// One clock cycle of the MAC PE top's inputs.
struct Beat {
  uint16_t a = 0, b = 0; // operand codes in the low bits
  bool rst = false, valid = false, clear = false;
};
PackedBeats pack_pe_beats(const std::vector<Beat>& beats);

struct ToolOptions {
  std::string verilator = "verilator"; // searched on PATH without a '/'
  std::string cxx = "c++";             // compiles the Verilated netlist and harness
  SynthesisOptions synthesis;          // Yosys, the RTL, the cache directory
};

// Rising (0->1) and falling (1->0) transitions of the outputs of one cell
// type, summed over its cells.
struct CellActivity {
  long cells = 0;
  long rises = 0;
  long falls = 0;
  long toggles() const { return rises + falls; }
};

struct NetActivity {
  std::string net;  // Yosys's name for the net (a port bit, a named wire, or nID)
  std::string type; // the cell type driving it
  long rises = 0, falls = 0;
};

struct ToggleCounts {
  long cycles = 0;                             // counted, from count_from on
  std::map<std::string, CellActivity> by_type; // Yosys cell type -> activity
  std::vector<NetActivity> nets;               // with per_net: every net that toggled
  long flip_flops = 0;
  std::string outputs;        // the last cycle's packed outputs, hex, most significant digit first
  std::string acc;            // its acc port, 32 hex digits
  unsigned flags = 0;         // its flags port (the MAC PE top's)
  double netlist_seconds = 0; // Yosys, when the simulator was built
  double build_seconds = 0;   // Verilator and the compiler, when built
  double simulate_seconds = 0;
  bool built_from_cache = false;
  std::string key; // the simulator's cache key
};

// Runs `beats` through the design's gate-level netlist and counts the
// transitions of every cell output between consecutive cycles, from beat
// count_from (>= 1; the cycle before it is the reference) on. The design's
// ports must be clk and a subset of the interface's (by name, no wider).
// Throws ToolError quoting Yosys, Verilator or the compiler when one fails,
// InputError for count_from out of range or beats of the wrong width.
ToggleCounts count_toggles(const Design& design, const TopInterface& top, const PackedBeats& beats,
                           size_t count_from, const ToolOptions& options = {},
                           bool per_net = false);
// The MAC PE top's.
ToggleCounts count_toggles(const Design& design, const std::vector<Beat>& beats, size_t count_from,
                           const ToolOptions& options = {}, bool per_net = false);

// The cache key of the design's toggle simulator (runs the tools' version
// queries once per process).
std::string toggle_simulator_key(const Design& design, const TopInterface& top,
                                 const ToolOptions& options = {});

} // namespace qmac::cost
