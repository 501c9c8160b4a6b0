// An RTL unit: one MAC configuration (input formats, accumulator, pipeline
// depth) as the RTL implements it, and how the golden model's Format and
// AccumulatorSpec become the Verilog parameters of qmac_pe.
//
// Units are named A:B:ACC[:pN][:sat][:ftz], e.g. "e4m3fn:e4m3fn:fp16" or
// "int8:int8:int32:p0:sat". The pipeline depth defaults to 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/format.h"

namespace qmac::rtl {

struct Unit {
  std::string name; // canonical spelling
  Format a, b;
  AccumulatorSpec acc;
  int pipeline = 1;
};

// Parses a unit name. Throws InputError naming what is wrong, including
// formats the RTL does not implement (codes wider than 16 bits, floats
// without a mantissa bit, unsigned exponent-only scales).
Unit parse_unit(std::string_view name);

// An operand format of a unit, refusing formats the RTL does not implement
// (InputError naming `unit`).
Format rtl_operand(std::string_view name, std::string_view unit);
// The same check of a format already parsed (a block format's element).
Format rtl_operand(const Format& f, std::string_view unit);

// The Verilog module name of a unit's generated top: "unit_" + the name with
// every character that is not a letter or a digit replaced by '_'.
std::string module_name(std::string_view unit_name);

// The format vector of rtl/qmac_format.vh: one 64-bit parameter that tells an
// RTL module an operand's format (or, for an accumulator, its kind, register
// width, saturation and flush, and a float accumulator's format). The field
// positions, as the diagram in qmac_format.vh draws them; the codes of the
// kind, special-value style and accumulator kind fields are the values of
// Kind, Specials and AccKind (a test holds qmac_format.vh to both).
namespace fv {
inline constexpr int kKindAt = 0, kAccKindAt = 4, kSaturateAt = 6, kFlushAt = 7, kSignedAt = 8,
                     kSpecialsAt = 12, kBitsAt = 16, kExpBitsAt = 24, kManBitsAt = 32, kLsbAt = 40,
                     kBiasAt = 48;
} // namespace fv
uint64_t format_vector(const Format& f);
uint64_t accumulator_vector(const AccumulatorSpec& acc);

// qmac_pe's parameters for a unit, in declaration order, as Verilog
// literals: A, B (format vectors), ACC (accumulator vector) and PIPELINE.
std::vector<std::pair<std::string, std::string>> pe_parameters(const Unit& u);

// Width of the ports every generated top shares, so one C++ adapter drives
// them all: operands of up to 16 bits, the register in up to 128 bits.
inline constexpr int kOperandPortBits = 16;
inline constexpr int kRegisterPortBits = 128;

// The clocked top: qmac_pe behind the shared ports
//   clk rst valid clear a[15:0] b[15:0] -> acc[127:0] flags[3:0]
// with flags = {special_neg, special_inf, special_nan, overflow}.
std::string pe_top_verilog(const Unit& u, std::string_view module);

// The combinational top for exhaustive checks of one accumulation step:
//   acc_in[127:0] flags_in[3:0] a[15:0] b[15:0] -> acc[127:0] flags[3:0]
// (qmac_mac_datapath with PIPELINE 0, valid and no clear; no clock).
std::string step_top_verilog(const Unit& u, std::string_view module);

// The clocked MAC array top: qmac_array_ws (weight_stationary) or
// qmac_array_os with the unit's parameters and ROWS = rows, COLS = cols, and
// the array's own ports at their exact widths (rtl/qmac_array_ws.v,
// rtl/qmac_array_os.v):
//   ws: clk rst in_beat in_sel in_a in_psum in_psum_flags w_we w_buf w_row
//       w_data w_present -> out_valid out_value out_flags
//   os: clk rst in_beat in_first in_mac in_a in_b -> out_valid out_value out_flags
std::string array_top_verilog(const Unit& u, uint32_t rows, uint32_t cols, bool weight_stationary,
                              std::string_view module);

// A combinational bank of qmac_multiplier instances, one per (a, b) pair of
// `formats` (row-major: pair i * n + j multiplies formats[i] by formats[j]),
// all fed from the shared ports a[15:0] and b[15:0]. Product k is the 64-bit
// element product[k] = {nan, inf, sign, 5'b0, exp[15:0], sig[39:0]} of an
// unpacked array (one machine word each in the Verilated model), exp
// sign-extended.
std::string multiplier_bank_verilog(const std::vector<Format>& formats, std::string_view module);

} // namespace qmac::rtl
