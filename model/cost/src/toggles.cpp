#include "qmac/cost/toggles.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "qmac/cost/subprocess.h"
#include "qmac/cost/work_dir.h"
#include "qmac/numerics/format.h"
#include "toggle_simulator.h"

namespace qmac::cost {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void append_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i, value >>= 8)
    out += char(value & 0xff);
}

// The harness's stimulus format (toggle_harness.cpp).
std::string stimulus(const PackedBeats& beats, size_t count_from) {
  std::string s = "qmac-stimulus 2\n";
  append_le(s, beats.size(), 8);
  append_le(s, count_from, 8);
  append_le(s, beats.words_per_beat, 8);
  s.reserve(s.size() + beats.words.size() * 4);
  for (uint32_t w : beats.words)
    append_le(s, w, 4);
  return s;
}

// `width` bits (at most 32) from bit `offset` of a hex number, most
// significant digit first.
unsigned hex_field(const std::string& hex, int offset, int width) {
  unsigned v = 0;
  for (int i = width - 1; i >= 0; --i) {
    const size_t bit = size_t(offset + i), digit = bit / 4;
    unsigned d = 0;
    if (digit < hex.size()) {
      const char ch = hex[hex.size() - 1 - digit];
      d = unsigned(std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                                                                : (ch | 0x20) - 'a' + 10);
    }
    v = v << 1 | ((d >> (bit % 4)) & 1);
  }
  return v;
}

// The acc port as 32 hex digits (the MAC PE's 128-bit register; a narrower
// acc is zero-extended) and the flags port, from the packed outputs.
void split_outputs(const TopInterface& top, ToggleCounts& c) {
  int offset = 0;
  for (const TopPort& p : top.outputs) {
    if (p.name == "acc") {
      c.acc.clear();
      for (int digit = 31; digit >= 0; --digit) {
        const int width = std::min(4, p.width - 4 * digit);
        c.acc +=
            "0123456789abcdef"[width > 0 ? hex_field(c.outputs, offset + 4 * digit, width) : 0];
      }
    } else if (p.name == "flags") {
      c.flags = hex_field(c.outputs, offset, p.width);
    }
    offset += p.width;
  }
}

// The harness's counts per probe word, per net, and the last outputs, read
// into `c` by the simulator's layout.
void read_counts(const std::string& text, const detail::ToggleSimulator& sim, ToggleCounts& c) {
  std::vector<long> rises(sim.probe_words), falls(sim.probe_words);
  std::istringstream in(text);
  std::string field;
  bool complete = false;
  while (in >> field) {
    if (field == "cycles") {
      in >> c.cycles;
    } else if (field == "word" || field == "net") {
      size_t index = 0;
      long r = 0, f = 0;
      in >> index >> r >> f;
      if (field == "word" && index < rises.size()) {
        rises[index] = r;
        falls[index] = f;
      } else if (field == "net" && index < sim.bit_names.size()) {
        c.nets.push_back({sim.bit_names[index], "", r, f});
        for (const detail::ProbeGroup& g : sim.groups)
          if (index / 32 >= g.first_word && index / 32 < g.first_word + g.words)
            c.nets.back().type = g.type;
      }
    } else if (field == "out") {
      in >> c.outputs;
    } else if (field == "end") {
      complete = true;
    }
  }
  if (!complete || in.bad()) throw ToolError("the toggle simulator wrote incomplete counts");
  for (const detail::ProbeGroup& g : sim.groups) {
    CellActivity& a = c.by_type[g.type];
    a.cells = g.cells;
    for (size_t w = g.first_word; w < g.first_word + g.words; ++w) {
      a.rises += rises[w];
      a.falls += falls[w];
    }
  }
}

size_t words_for(int bits) {
  return size_t(std::max(1, bits) + 31) / 32;
}

} // namespace

int TopInterface::input_bits() const {
  int bits = 0;
  for (const TopPort& p : inputs)
    bits += p.width;
  return bits;
}

int TopInterface::output_bits() const {
  int bits = 0;
  for (const TopPort& p : outputs)
    bits += p.width;
  return bits;
}

const TopPort* find_top_port(const std::vector<TopPort>& ports, std::string_view name,
                             int& offset) {
  offset = 0;
  for (const TopPort& p : ports) {
    if (p.name == name) return &p;
    offset += p.width;
  }
  return nullptr;
}

int TopInterface::input_offset(std::string_view port) const {
  int offset = 0;
  return find_top_port(inputs, port, offset) ? offset : -1;
}

const TopInterface& pe_top_interface() {
  static const TopInterface kTop{"MAC PE",
                                 {{"rst", 1}, {"valid", 1}, {"clear", 1}, {"a", 16}, {"b", 16}},
                                 {{"acc", 128}, {"flags", 4}}};
  return kTop;
}

const TopInterface& dot_top_interface() {
  static const TopInterface kTop{
      "dot PE",
      {{"rst", 1}, {"valid", 1}, {"start", 1}, {"a", 1024}, {"b", 1024}, {"c_in", 64}},
      {{"acc", 64}}};
  return kTop;
}

void PackedBeats::set(size_t t, int offset, int width, uint64_t value) {
  for (int i = 0; i < width; ++i) {
    const size_t bit = size_t(offset + i);
    uint32_t& w = words[t * words_per_beat + bit / 32];
    const uint32_t mask = uint32_t(1) << (bit % 32);
    w = (value >> i) & 1 ? w | mask : w & ~mask;
  }
}

PackedBeats empty_beats(const TopInterface& top, size_t beats) {
  PackedBeats p;
  p.words_per_beat = words_for(top.input_bits());
  p.words.assign(beats * p.words_per_beat, 0);
  return p;
}

PackedBeats pack_pe_beats(const std::vector<Beat>& beats) {
  const TopInterface& top = pe_top_interface();
  PackedBeats p = empty_beats(top, beats.size());
  const int a = top.input_offset("a"), b = top.input_offset("b");
  for (size_t t = 0; t < beats.size(); ++t) {
    p.set(t, top.input_offset("rst"), 1, beats[t].rst);
    p.set(t, top.input_offset("valid"), 1, beats[t].valid);
    p.set(t, top.input_offset("clear"), 1, beats[t].clear);
    p.set(t, a, 16, beats[t].a);
    p.set(t, b, 16, beats[t].b);
  }
  return p;
}

std::string toggle_simulator_key(const Design& design, const TopInterface& top,
                                 const ToolOptions& options) {
  return detail::simulator_key(design, top, options);
}

ToggleCounts count_toggles(const Design& design, const std::vector<Beat>& beats, size_t count_from,
                           const ToolOptions& options, bool per_net) {
  return count_toggles(design, pe_top_interface(), pack_pe_beats(beats), count_from, options,
                       per_net);
}

ToggleCounts count_toggles(const Design& design, const TopInterface& top, const PackedBeats& beats,
                           size_t count_from, const ToolOptions& options, bool per_net) {
  if (beats.words_per_beat != words_for(top.input_bits()) ||
      beats.words.size() % beats.words_per_beat != 0)
    throw InputError("the beats are not as wide as the " + top.name + " top's inputs");
  if (count_from < 1 || count_from >= beats.size())
    throw InputError("count_from must be at least 1 and leave a beat to count");
  WorkDir scratch(fs::temp_directory_path(), "qmac-toggles");
  const detail::ToggleSimulator sim =
      detail::toggle_simulator(design, top, options, scratch.path().string());
  write_file(scratch / "stimulus.bin", stimulus(beats, count_from));

  const auto start = Clock::now();
  std::vector<std::string> argv{sim.executable, (scratch / "stimulus.bin").string(),
                                (scratch / "counts.txt").string()};
  if (per_net) argv.push_back("--per-net");
  const ProcessResult run = run_process(argv);
  if (run.exit_status != 0)
    throw ToolError("the toggle simulator of " + design.name + " failed (exit status " +
                    std::to_string(run.exit_status) + "): " + run.output);
  ToggleCounts c;
  c.simulate_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  read_counts(read_file(scratch / "counts.txt"), sim, c);
  split_outputs(top, c);
  c.flip_flops = sim.flip_flops;
  c.netlist_seconds = sim.netlist_seconds;
  c.build_seconds = sim.build_seconds;
  c.built_from_cache = sim.from_cache;
  c.key = sim.key;
  return c;
}

} // namespace qmac::cost
