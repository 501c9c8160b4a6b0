// A dot-product unit as the RTL builds it (rtl/qmac_dot_unit.v inside
// rtl/qmac_dot_pe.v): a DotUnit of model/dot with its formats and pipeline
// depth, the Verilog parameters it implies, and the generated PE top.
//
// Dot units are named UNIT:A:B:OUT[:pN], UNIT a preset or keys as `qmac dot
// --unit` takes them: "h100:e4m3fn:e4m3fn:fp32", "n=32:int8:int8:int32:p2",
// "n=16,bits=26,round=rz:flint8:flint8:fp32". The pipeline depth defaults to 1.
// A or B may be a block format (mx:mxfp8_e4m3:mxfp8_e4m3:fp32): its codes are
// SCALE:ELEMENT packed (model/dot's DotInput), one scale per beat.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qmac/dot/dot_input.h"
#include "qmac/dot/dot_unit.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::rtl {

struct DotRtlUnit {
  std::string name; // canonical: the unit text as given, the formats' names, :pN unless 1
  Format a, b;      // the element formats (of the blocks, if any)
  std::optional<BlockFormat> block_a, block_b; // block-scaled operands
  AccumulatorSpec out;
  dot::DotUnit unit;
  int pipeline = 1;

  dot::DotInput input_a() const { return block_a ? dot::DotInput(*block_a) : dot::DotInput(a); }
  dot::DotInput input_b() const { return block_b ? dot::DotInput(*block_b) : dot::DotInput(b); }
  bool scaled() const { return block_a || block_b; }
};

// The most products one block of the RTL takes (the tops' port width).
inline constexpr int kDotMaxN = 64;

// Parses a dot unit name. Throws InputError naming what the RTL does not
// build: n = all or above 64, odd-even grouping, FTZ, rounding other than RZ
// and RNE (late c: RNE), fx+G outputs, intN outputs of non-integer inputs or
// wider than 64 bits, operands the MAC RTL does not implement; block-scaled
// units whose n does not divide the format's block, and exact ones that round
// other than RNE or add c late.
DotRtlUnit parse_dot_rtl_unit(std::string_view name);

// qmac_dot_pe's parameters, in declaration order, as Verilog literals.
std::vector<std::pair<std::string, std::string>> dot_pe_parameters(const DotRtlUnit& u);

// The clocked top: qmac_dot_pe behind ports every dot top shares, so one C++
// adapter drives them all:
//   clk rst valid start a[1023:0] b[1023:0] c_in[63:0] -> acc[63:0]
// Element i of a and b is the 16-bit slot [16 i +: 16] (its low bits are the
// code; a block operand's packed SCALE:ELEMENT, whose scale the top reads from
// slot 0); c_in and acc carry the result register in their low bits.
std::string dot_pe_top_verilog(const DotRtlUnit& u, std::string_view module);

} // namespace qmac::rtl
