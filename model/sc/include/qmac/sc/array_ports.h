// What travels on the array's ports each cycle, as SystemC signal types. The
// Verilated RTL arrays take the same values on the same edges (docs/rtl.md,
// "The arrays"), so one driver and one checker serve both.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <systemc>

#include "qmac/array/array_config.h"
#include "qmac/numerics/acc_state.h"

namespace qmac::sc {

// One beat entering the array, aligned: the array skews it internally (row r
// is delayed r cycles, column c by c).
struct ArrayBeat {
  bool beat = false;          // a beat is present (WS: it multiplies; OS: the drain advances)
  bool first = false;         // OS: the first beat of a tile: restart the sums, drain the last ones
  bool mac = false;           // OS: the beat's products accumulate
  bool sel = false;           // WS: which of the two weight buffers the beat multiplies with
  std::vector<uint32_t> a;    // one code per row
  std::vector<uint32_t> b;    // OS: one code per column
  std::vector<AccState> psum; // WS: the partial sum entering the top of each column

  bool operator==(const ArrayBeat& o) const;
};

// One row of weights written into one of the two weight buffers (WS).
struct WeightWrite {
  bool we = false, buf = false;
  uint32_t row = 0;
  std::vector<uint32_t> data;   // one code per column
  std::vector<uint8_t> present; // 0: no weight (the PE passes the partial sum through)

  bool operator==(const WeightWrite& o) const;
};

// The array's registered outputs after an edge: one value per column, aligned
// (column c is deskewed by C - 1 - c cycles).
struct ArrayOutput {
  bool valid = false;
  std::vector<AccState> value; // WS: finished partial sums; OS: drained outputs

  bool operator==(const ArrayOutput& o) const;
};

// Idle port values with every vector at its size for the array (what the
// signals start with, so that waveforms see every element).
ArrayBeat idle_beat(const array::ArrayConfig& c);
WeightWrite idle_weights(const array::ArrayConfig& c);
ArrayOutput idle_output(const array::ArrayConfig& c);

std::ostream& operator<<(std::ostream& os, const ArrayBeat& b);
std::ostream& operator<<(std::ostream& os, const WeightWrite& w);
std::ostream& operator<<(std::ostream& os, const ArrayOutput& o);

// Waveform tracing of every field (vectors element by element).
void sc_trace(sc_core::sc_trace_file* tf, const ArrayBeat& b, const std::string& name);
void sc_trace(sc_core::sc_trace_file* tf, const WeightWrite& w, const std::string& name);
void sc_trace(sc_core::sc_trace_file* tf, const ArrayOutput& o, const std::string& name);

} // namespace qmac::sc

namespace qmac {
// In AccState's namespace, where sc_signal<AccState> finds it.
void sc_trace(sc_core::sc_trace_file* tf, const AccState& s, const std::string& name);
} // namespace qmac
