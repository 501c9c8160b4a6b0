#include "qmac/units/dot_rtl_unit.h"

#include <sstream>

#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/units/rtl_unit.h"
#include "verilog_text.h"

namespace qmac::rtl {
namespace {

constexpr int kPortSlots = kDotMaxN, kSlotBits = kOperandPortBits, kResultPortBits = 64;

// qmac_dot_unit's SA/SB: 0 no scale, 1 E8M0 (MX), 2 unsigned E4M3 (NVFP4).
int scale_kind(const std::optional<BlockFormat>& block) {
  if (!block) return 0;
  return block->power_of_two_scale ? 1 : 2;
}

} // namespace

DotRtlUnit parse_dot_rtl_unit(std::string_view name) {
  const auto parts = detail::split_colons(name);
  auto bad = [&](const std::string& why) {
    return InputError("bad dot unit '" + std::string(name) + "': " + why);
  };
  if (parts.size() < 4 || parts.size() > 5)
    throw bad("expected UNIT:A:B:OUT[:pN], e.g. h100:e4m3fn:e4m3fn:fp32");
  DotRtlUnit u;
  auto operand = [&](std::string_view text, std::optional<BlockFormat>& block) {
    block = find_block_format(text);
    return block ? rtl_operand(block->element, name) : rtl_operand(text, name);
  };
  u.a = operand(parts[1], u.block_a);
  u.b = operand(parts[2], u.block_b);
  u.out = parse_accumulator(parts[3], u.a, u.b);
  if (parts.size() == 5) {
    const std::string_view p = parts[4];
    if (p.size() != 2 || p[0] != 'p' || p[1] < '0' || p[1] > '8')
      throw bad("unknown option '" + std::string(p) + "' (expected p0..p8)");
    u.pipeline = p[1] - '0';
  }
  u.unit = dot::resolve_unit(parts[0], u.input_a(), u.input_b(), u.out);
  const dot::DotUnit& d = u.unit;
  if (u.scaled()) {
    dot::DotEngine(u.input_a(), u.input_b(), u.out, d); // refuses what the golden unit refuses
    if (!d.whole()) try {
        for (const dot::DotInput& in : {u.input_a(), u.input_b()})
          dot::require_whole_blocks(in, d.n);
      } catch (const InputError& e) {
        throw bad(e.what());
      }
    if (d.exact() && (d.round != Rounding::NearestEven || d.late_c))
      throw bad("an exact block-scaled unit adds c with one RNE rounding in the RTL");
  }
  if (d.whole() || d.n > kDotMaxN)
    throw bad("the RTL takes 1 to " + std::to_string(kDotMaxN) + " products per block");
  if (!d.exact() && d.bits < 2) throw bad("the RTL's aligned width is at least 2 bits");
  if (d.odd_even) throw bad("the RTL has no odd-even grouping");
  if (d.ftz_in || d.ftz_out) throw bad("the RTL keeps subnormals (no ftz-in, ftz-out)");
  auto rz_or_rne = [](Rounding r) {
    return r == Rounding::TowardZero || r == Rounding::NearestEven;
  };
  if (!rz_or_rne(d.round)) throw bad("the RTL rounds RZ or RNE");
  if (d.late_c && *d.late_c != Rounding::NearestEven) throw bad("the RTL adds a late c with RNE");
  switch (u.out.kind) {
  case AccKind::Float:
    break;
  case AccKind::Integer:
    if (u.a.kind != Kind::Integer || u.b.kind != Kind::Integer)
      throw bad("an intN output takes integer inputs in the RTL");
    if (u.out.int_bits > kResultPortBits) throw bad("intN outputs of at most 64 bits");
    if (u.out.saturate) throw bad("the RTL's intN output wraps");
    break;
  case AccKind::Fixed:
    throw bad("the RTL's outputs are floats and intN, not fx+G");
  }
  u.name = std::string(parts[0]) + ":" + u.input_a().name() + ":" + u.input_b().name() + ":" +
           u.out.name;
  if (u.pipeline != 1) u.name += ":p" + std::to_string(u.pipeline);
  return u;
}

std::vector<std::pair<std::string, std::string>> dot_pe_parameters(const DotRtlUnit& u) {
  const dot::DotUnit& d = u.unit;
  const bool integer = u.out.kind != AccKind::Float;
  auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  return {{"A", detail::verilog_vector(format_vector(u.a))},
          {"B", detail::verilog_vector(format_vector(u.b))},
          {"ACC", detail::verilog_vector(accumulator_vector(u.out))},
          {"N", std::to_string(d.n)},
          {"BITS", std::to_string(integer ? 0 : d.bits)},
          {"STICKY", flag(!integer && d.sticky)},
          {"ROUND", flag(!integer && d.round == Rounding::NearestEven)},
          {"LATE_C", flag(!integer && d.late_c.has_value())},
          {"USE_MIN_EXP", flag(!integer && d.min_exp.has_value())},
          {"MIN_EXP", std::to_string(!integer && d.min_exp ? *d.min_exp : 0)},
          {"NARROW", flag(!integer && d.narrow)},
          {"PIPELINE", std::to_string(u.pipeline)},
          {"SA", std::to_string(scale_kind(u.block_a))},
          {"SB", std::to_string(scale_kind(u.block_b))}};
}

std::string dot_pe_top_verilog(const DotRtlUnit& u, std::string_view module) {
  const int n = u.unit.n, wa = u.a.bits, wb = u.b.bits;
  const int w = u.out.kind == AccKind::Float ? u.out.format.bits : u.out.int_bits;
  const int port_bits = kPortSlots * kSlotBits;
  std::ostringstream v;
  detail::write_header(v, u.name);
  v << "module " << module << " (\n"
    << "    input  wire        clk,\n"
    << "    input  wire        rst,\n"
    << "    input  wire        valid,\n"
    << "    input  wire        start,\n"
    << "    input  wire [" << port_bits - 1 << ":0] a,\n"
    << "    input  wire [" << port_bits - 1 << ":0] b,\n"
    << "    input  wire [" << kResultPortBits - 1 << ":0] c_in,\n"
    << "    output wire [" << kResultPortBits - 1 << ":0] acc\n"
    << ");\n"
    << "  // The unit's operands: the low bits of the first N 16-bit slots.\n"
    << "  wire [" << n * wa - 1 << ":0] a_elems;\n"
    << "  wire [" << n * wb - 1 << ":0] b_elems;\n"
    << "  genvar i;\n"
    << "  generate\n"
    << "    for (i = 0; i < " << n << "; i = i + 1) begin : slot\n"
    << "      assign a_elems[i*" << wa << " +: " << wa << "] = a[i*" << kSlotBits << " +: " << wa
    << "];\n"
    << "      assign b_elems[i*" << wb << " +: " << wb << "] = b[i*" << kSlotBits << " +: " << wb
    << "];\n"
    << "    end\n"
    << "  endgenerate\n"
    << "  wire [" << w - 1 << ":0] result;\n";
  // A block operand's scale: the bits above the element in slot 0.
  auto scale_bits = [&](const char* port, const std::optional<BlockFormat>& block, int wide) {
    if (!block) return std::string("8'd0");
    return std::string(port) + "[" + std::to_string(wide) + " +: 8]";
  };
  v << "  qmac_dot_pe #(\n";
  detail::write_parameters(v, dot_pe_parameters(u), "      ");
  v << "  ) pe (\n"
    << "      .clk(clk), .rst(rst), .valid(valid), .start(start), .a(a_elems), .b(b_elems),\n"
    << "      .sa(" << scale_bits("a", u.block_a, wa) << "), .sb(" << scale_bits("b", u.block_b, wb)
    << "),\n"
    << "      .c_in(c_in[" << w - 1 << ":0]), .acc(result)\n"
    << "  );\n"
    << "  assign acc = ";
  if (w == kResultPortBits)
    v << "result;\n";
  else
    v << "{" << kResultPortBits - w << "'b0, result};\n";
  // Slots and bits a unit leaves unused, read so that lint stays quiet.
  v << "  // verilator lint_off UNUSEDSIGNAL\n"
    << "  wire unused = &{1'b0, a, b, c_in};\n"
    << "  // verilator lint_on UNUSEDSIGNAL\n"
    << "endmodule\n\n`default_nettype wire\n";
  return v.str();
}

} // namespace qmac::rtl
