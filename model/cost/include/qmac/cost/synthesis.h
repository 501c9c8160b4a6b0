// Synthesized cost of a MAC unit: the RTL PE of a unit through Yosys
// (scripts/synth/cost_flow.ys) to a generic gate library, weighed in
// NAND2-equivalents with the analytical model's gate costs (gate_library.h).
//
// Results are cached on disk by a hash of everything that determines them:
// the Verilog read (rtl/*.v, rtl/*.vh, the generated top), the flow script
// and `yosys -V`. A failed run caches nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qmac/cost/tool_error.h"
#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"

namespace qmac::cost {

struct SynthesisOptions {
  std::string yosys = "yosys"; // the executable; searched on PATH without a '/'
  std::string rtl_dir;         // empty: $QMAC_RTL_DIR, else the source tree's rtl/
  std::string flow_script;     // empty: $QMAC_SYNTH_DIR/cost_flow.ys, else the source tree's
  std::string cache_dir;       // empty: default_cache_dir()
  bool use_cache = true;       // false: neither read nor write the cache
};

struct SynthesisResult {
  std::string name;                  // the unit (or design) synthesized
  std::map<std::string, long> cells; // Yosys cell type ("$_NAND_") -> count
  double area_nand2 = 0;             // area_registers + area_logic
  double area_registers = 0;         // the flip-flops
  double area_logic = 0;             // everything else
  long flip_flops = 0;
  int depth = 0;                // longest path in cells between flip-flops and ports
  std::string yosys_version;    // first line of `yosys -V`
  double synthesis_seconds = 0; // the Yosys run that produced these numbers
  double seconds = 0;           // this call (a cache hit: the lookup)
  bool from_cache = false;
  std::string key; // the cache key, 16 hex digits
};

// A design to synthesize: Verilog files read in order, files they include
// (hashed only), and sources generated in memory (file name, text).
struct Design {
  std::string name; // for messages and the cache entry
  std::string top;  // the top module
  std::vector<std::string> sources;
  std::vector<std::string> include_dirs;
  std::vector<std::string> headers;
  std::vector<std::pair<std::string, std::string>> generated;
};

// The clocked PE top of a unit (rtl::pe_top_verilog) over the RTL sources:
// every rtl/*.v file, rtl/ as the include directory.
Design unit_design(const rtl::Unit& unit, const SynthesisOptions& options = {});

// The clocked dot-product PE (rtl::dot_pe_top_verilog: qmac_dot_pe with its
// result register) over every rtl/*.v file, the dot-product modules included.
Design dot_design(const rtl::DotRtlUnit& unit, const SynthesisOptions& options = {});

// The Yosys commands that read a design and fix its top: every flow over a
// design starts with them, so the energy flow's netlist is the one synthesis
// counts. Generated sources are named relative to Yosys's working directory.
std::string yosys_read_script(const Design& design);

// Synthesizes, or answers from the cache. Throws ToolError when Yosys is
// missing or fails (quoting its ERROR line), when the RTL is not found, or
// when the netlist holds a cell type without a weight.
SynthesisResult synthesize(const Design& design, const SynthesisOptions& options = {});
SynthesisResult synthesize(const rtl::Unit& unit, const SynthesisOptions& options = {});
// Parses the unit name first: InputError for a unit the RTL does not implement.
SynthesisResult synthesize(std::string_view unit_name, const SynthesisOptions& options = {});
SynthesisResult synthesize(const rtl::DotRtlUnit& unit, const SynthesisOptions& options = {});

// Caches what one Yosys run of the cost flow over `design` reported (its
// stat.json and ltp.txt in `report_dir`, after `seconds`) as the design's
// synthesis, unless an entry is there. The energy flow runs the cost flow
// before writing its netlist, so a unit whose energy was measured first
// needs no second Yosys run to be synthesized. Reports that cannot be read
// or weighed are not stored (synthesize() will run and say why).
void record_synthesis(const Design& design, const SynthesisOptions& options,
                      const std::string& report_dir, double seconds);

// The cache key of a design under these options (runs `yosys -V` once per
// process and executable).
std::string synthesis_key(const Design& design, const SynthesisOptions& options = {});

// $QMAC_CACHE_DIR, else $XDG_CACHE_HOME/qmac, else ~/.cache/qmac; entries go
// to its synth/ subdirectory.
std::string default_cache_dir();

} // namespace qmac::cost
