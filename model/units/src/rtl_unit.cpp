#include "qmac/units/rtl_unit.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "verilog_text.h"

namespace qmac::rtl {
namespace {

using detail::split_colons;
using detail::verilog_vector;
using detail::write_parameters;

// A field of `bits` bits at bit `at` (two's complement for negative values);
// InputError if the value does not fit, which the RTL could not represent.
uint64_t field(long long value, int at, int bits, bool is_signed, const char* what) {
  const long long lo = is_signed ? -(1LL << (bits - 1)) : 0;
  const long long hi = is_signed ? (1LL << (bits - 1)) - 1 : (1LL << bits) - 1;
  if (value < lo || value > hi)
    throw InputError(std::string("the RTL's format vector has no room for ") + what + " " +
                     std::to_string(value));
  return (uint64_t(value) & ((uint64_t(1) << bits) - 1)) << at;
}

void write_header(std::ostream& v, const Unit& u) {
  detail::write_header(v, u.name);
}

// The bits of the shared 16-bit operand ports a unit's operands leave unused.
std::string unused_operand_bits(const Unit& u) {
  std::string s = "1'b0";
  if (u.a.bits < kOperandPortBits) s += ", a[15:" + std::to_string(u.a.bits) + "]";
  if (u.b.bits < kOperandPortBits) s += ", b[15:" + std::to_string(u.b.bits) + "]";
  return s;
}

std::string padded(const std::string& wire, int width) {
  if (width == kRegisterPortBits) return wire;
  return "{" + std::to_string(kRegisterPortBits - width) + "'b0, " + wire + "}";
}

} // namespace

Format rtl_operand(std::string_view name, std::string_view unit) {
  return rtl_operand(parse_format(name), unit);
}

Format rtl_operand(const Format& f, std::string_view unit) {
  auto refuse = [&](const std::string& why) {
    throw InputError("unit '" + std::string(unit) + "': the RTL does not implement " + f.name +
                     " (" + why + ")");
  };
  if (f.bits > kOperandPortBits) refuse("codes wider than 16 bits");
  if (f.kind == Kind::Float && f.man_bits < 1) refuse("floats need at least one mantissa bit");
  if (f.kind == Kind::Float && f.specials == Specials::Fnu) refuse("unsigned exponent-only scale");
  if (f.kind == Kind::Flint && f.magnitude_bits() < 2) refuse("flint needs two magnitude bits");
  return f;
}

Unit parse_unit(std::string_view name) {
  auto parts = split_colons(name);
  if (parts.size() < 3)
    throw InputError("bad unit '" + std::string(name) +
                     "': expected A:B:ACC[:pN][:sat][:ftz], e.g. e4m3fn:e4m3fn:fp16");
  Unit u;
  u.a = rtl_operand(parts[0], name);
  u.b = rtl_operand(parts[1], name);
  bool saturate = false, flush = false;
  for (size_t i = 3; i < parts.size(); ++i) {
    std::string_view opt = parts[i];
    if (opt == "sat") {
      saturate = true;
    } else if (opt == "ftz") {
      flush = true;
    } else if (opt.size() == 2 && opt[0] == 'p' && opt[1] >= '0' && opt[1] <= '8') {
      u.pipeline = opt[1] - '0';
    } else {
      throw InputError("bad unit '" + std::string(name) + "': unknown option '" + std::string(opt) +
                       "' (expected p0..p8, sat or ftz)");
    }
  }
  u.acc = parse_accumulator(parts[2], u.a, u.b, saturate, flush);
  if (u.acc.kind == AccKind::Fixed && saturate)
    throw InputError("bad unit '" + std::string(name) + "': fx+G wraps; it has no saturate option");
  if (u.acc.kind != AccKind::Float && flush)
    throw InputError("bad unit '" + std::string(name) + "': ftz applies to float accumulators");
  if (u.acc.register_bits() > kRegisterPortBits)
    throw InputError("bad unit '" + std::string(name) + "': the accumulator register has " +
                     std::to_string(u.acc.register_bits()) + " bits; the RTL tops carry 128");
  u.name = u.a.name + ":" + u.b.name + ":" + u.acc.name;
  if (u.pipeline != 1) u.name += ":p" + std::to_string(u.pipeline);
  if (saturate) u.name += ":sat";
  if (flush) u.name += ":ftz";
  return u;
}

std::string module_name(std::string_view unit_name) {
  std::string m = "unit_";
  for (char c : unit_name)
    m += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return m;
}

uint64_t format_vector(const Format& f) {
  const bool fl = f.kind == Kind::Float;
  return field(int(f.kind), fv::kKindAt, 4, false, "kind") |
         field(f.is_signed ? 1 : 0, fv::kSignedAt, 4, false, "sign") |
         field(fl ? int(f.specials) : 0, fv::kSpecialsAt, 4, false, "special-value style") |
         field(f.bits, fv::kBitsAt, 8, false, "a code width of") |
         field(fl ? f.exp_bits : 0, fv::kExpBitsAt, 8, false, "exponent bits") |
         field(fl ? f.man_bits : 0, fv::kManBitsAt, 8, false, "mantissa bits") |
         field(f.kind == Kind::Integer ? f.lsb_exp : 0, fv::kLsbAt, 8, true, "an LSB exponent of") |
         field(fl ? f.bias : 0, fv::kBiasAt, 16, true, "a bias of");
}

uint64_t accumulator_vector(const AccumulatorSpec& acc) {
  const bool fl = acc.kind == AccKind::Float;
  // A float accumulator is its float format; the others only a register width.
  uint64_t v = fl ? format_vector(acc.format) : 0;
  v &= ~field(255, fv::kBitsAt, 8, false, "");
  return v | field(acc.register_bits(), fv::kBitsAt, 8, false, "a register width of") |
         field(int(acc.kind), fv::kAccKindAt, 2, false, "accumulator kind") |
         field(acc.saturate && acc.kind != AccKind::Fixed ? 1 : 0, fv::kSaturateAt, 1, false, "") |
         field(fl && acc.flush_subnormals ? 1 : 0, fv::kFlushAt, 1, false, "");
}

std::vector<std::pair<std::string, std::string>> pe_parameters(const Unit& u) {
  return {{"A", verilog_vector(format_vector(u.a))},
          {"B", verilog_vector(format_vector(u.b))},
          {"ACC", verilog_vector(accumulator_vector(u.acc))},
          {"PIPELINE", std::to_string(u.pipeline)}};
}

std::string pe_top_verilog(const Unit& u, std::string_view module) {
  const int w = u.acc.register_bits();
  std::ostringstream v;
  write_header(v, u);
  v << "module " << module << " (\n"
    << "    input  wire         clk,\n"
    << "    input  wire         rst,\n"
    << "    input  wire         valid,\n"
    << "    input  wire         clear,\n"
    << "    input  wire [15:0]  a,\n"
    << "    input  wire [15:0]  b,\n"
    << "    output wire [127:0] acc,\n"
    << "    output wire [3:0]   flags\n"
    << ");\n"
    << "  wire [" << w - 1 << ":0] register;\n"
    << "  wire overflow, special_nan, special_inf, special_neg;\n"
    << "  qmac_pe #(\n";
  write_parameters(v, pe_parameters(u), "      ");
  v << "  ) pe (\n"
    << "      .clk(clk), .rst(rst), .valid(valid), .clear(clear),\n"
    << "      .a(a[" << u.a.bits - 1 << ":0]), .b(b[" << u.b.bits - 1 << ":0]),\n"
    << "      .acc(register), .overflow(overflow), .special_nan(special_nan),\n"
    << "      .special_inf(special_inf), .special_neg(special_neg)\n"
    << "  );\n"
    << "  assign acc = " << padded("register", w) << ";\n"
    << "  assign flags = {special_neg, special_inf, special_nan, overflow};\n"
    << "  wire unused = &{" << unused_operand_bits(u) << "};\n"
    << "endmodule\n\n`default_nettype wire\n";
  return v.str();
}

std::string step_top_verilog(const Unit& u, std::string_view module) {
  const int w = u.acc.register_bits();
  std::ostringstream v;
  write_header(v, u);
  v << "module " << module << " (\n"
    << "    input  wire [127:0] acc_in,\n"
    << "    input  wire [3:0]   flags_in,\n"
    << "    input  wire [15:0]  a,\n"
    << "    input  wire [15:0]  b,\n"
    << "    output wire [127:0] acc,\n"
    << "    output wire [3:0]   flags\n"
    << ");\n"
    << "  wire [" << w - 1 << ":0] register;\n"
    << "  wire update;\n"
    << "  qmac_mac_datapath #(\n";
  auto params = pe_parameters(u);
  params.back().second = "0"; // PIPELINE: purely combinational
  write_parameters(v, params, "      ");
  v << "  ) datapath (\n"
    << "      .clk(1'b0), .rst(1'b0), .valid(1'b1), .clear(1'b0),\n"
    << "      .a(a[" << u.a.bits - 1 << ":0]), .b(b[" << u.b.bits - 1 << ":0]),\n"
    << "      .acc(acc_in[" << w - 1 << ":0]), .overflow(flags_in[0]), .special_nan(flags_in[1]),\n"
    << "      .special_inf(flags_in[2]), .special_neg(flags_in[3]), .update(update),\n"
    << "      .next_acc(register), .next_overflow(flags[0]), .next_nan(flags[1]),\n"
    << "      .next_inf(flags[2]), .next_neg(flags[3])\n"
    << "  );\n"
    << "  assign acc = " << padded("register", w) << ";\n"
    << "  wire unused = &{" << unused_operand_bits(u) << ", update";
  if (w < kRegisterPortBits) v << ", acc_in[127:" << w << "]";
  v << "};\n"
    << "endmodule\n\n`default_nettype wire\n";
  return v.str();
}

std::string array_top_verilog(const Unit& u, uint32_t rows, uint32_t cols, bool weight_stationary,
                              std::string_view module) {
  if (rows < 1 || cols < 1)
    throw InputError("array " + std::to_string(rows) + "x" + std::to_string(cols) +
                     ": rows and columns must be at least 1");
  const long long w = u.acc.register_bits();
  int row_bits = 1;
  while (rows > 1 && (1u << row_bits) < rows)
    ++row_bits;
  auto range = [](long long bits) { return "[" + std::to_string(bits - 1) + ":0]"; };
  struct Port {
    const char* dir;
    long long bits;
    const char* name;
  };
  std::vector<Port> ports = {{"input ", 1, "clk"}, {"input ", 1, "rst"}, {"input ", 1, "in_beat"}};
  if (weight_stationary) {
    ports.insert(ports.end(), {{"input ", 1, "in_sel"},
                               {"input ", rows * u.a.bits, "in_a"},
                               {"input ", cols * w, "in_psum"},
                               {"input ", cols * 4LL, "in_psum_flags"},
                               {"input ", 1, "w_we"},
                               {"input ", 1, "w_buf"},
                               {"input ", row_bits, "w_row"},
                               {"input ", cols * u.b.bits, "w_data"},
                               {"input ", cols, "w_present"}});
  } else {
    ports.insert(ports.end(), {{"input ", 1, "in_first"},
                               {"input ", 1, "in_mac"},
                               {"input ", rows * u.a.bits, "in_a"},
                               {"input ", cols * u.b.bits, "in_b"}});
  }
  ports.insert(ports.end(), {{"output", 1, "out_valid"},
                             {"output", cols * w, "out_value"},
                             {"output", cols * 4LL, "out_flags"}});
  std::ostringstream v;
  v << "// Generated by qmac-rtlgen for the " << rows << "x" << cols << " "
    << (weight_stationary ? "weight" : "output") << "-stationary array of unit " << u.name
    << ". Do not edit.\n"
    << "`default_nettype none\n\n"
    << "module " << module << " (\n";
  for (size_t i = 0; i < ports.size(); ++i) {
    std::string r = ports[i].bits > 1 ? range(ports[i].bits) : "";
    v << "    " << ports[i].dir << " wire " << r
      << std::string(r.size() < 12 ? 12 - r.size() : 1, ' ') << ports[i].name
      << (i + 1 < ports.size() ? ",\n" : "\n");
  }
  v << ");\n"
    << "  qmac_array_" << (weight_stationary ? "ws" : "os") << " #(\n";
  auto params = pe_parameters(u);
  params.emplace_back("ROWS", std::to_string(rows));
  params.emplace_back("COLS", std::to_string(cols));
  write_parameters(v, params, "      ");
  v << "  ) array (\n";
  for (size_t i = 0; i < ports.size(); ++i)
    v << "      ." << ports[i].name << "(" << ports[i].name << ")"
      << (i + 1 < ports.size() ? ",\n" : "\n");
  v << "  );\n"
    << "endmodule\n\n`default_nettype wire\n";
  return v.str();
}

std::string multiplier_bank_verilog(const std::vector<Format>& formats, std::string_view module) {
  const size_t n = formats.size();
  std::ostringstream v;
  v << "// Generated by qmac-rtlgen: every pair of " << n << " formats. Do not edit.\n"
    << "`include \"qmac_format.vh\"\n"
    << "`default_nettype none\n\n"
    << "module " << module << " (\n"
    << "    input  wire [15:0] a,\n"
    << "    input  wire [15:0] b,\n"
    << "    output wire [63:0] product[" << n * n << "]\n"
    << ");\n"
    << "  `include \"qmac_widths.vh\"\n";
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      Unit u;
      u.a = formats[i];
      u.b = formats[j];
      std::string k = std::to_string(i * n + j);
      const std::string A = verilog_vector(format_vector(u.a)),
                        B = verilog_vector(format_vector(u.b));
      v << "\n  // " << u.a.name << " x " << u.b.name << "\n"
        << "  localparam integer SW" << k << " = qmac_sig_width(" << A << ") + qmac_sig_width(" << B
        << ");\n"
        << "  localparam integer EW" << k << " = qmac_signed_width(qmac_exp_lo(" << A
        << ") + qmac_exp_lo(" << B << "), qmac_exp_hi(" << A << ") + qmac_exp_hi(" << B << "));\n"
        << "  wire [SW" << k << "-1:0] sig" << k << ";\n"
        << "  wire signed [EW" << k << "-1:0] exp" << k << ";\n"
        << "  wire sign" << k << ", nan" << k << ", inf" << k << ";\n"
        << "  qmac_multiplier #(\n"
        << "      .A(" << A << "), .B(" << B << "),\n"
        << "      .P_SIG_W(SW" << k << "), .P_EXP_W(EW" << k << ")\n"
        << "  ) mul" << k << " (\n"
        << "      .a(a[" << u.a.bits - 1 << ":0]), .b(b[" << u.b.bits - 1 << ":0]), .sign(sign" << k
        << "), .sig(sig" << k << "), .exp(exp" << k << "),\n"
        << "      .nan(nan" << k << "), .inf(inf" << k << ")\n"
        << "  );\n"
        << "  assign product[" << k << "] = {nan" << k << ", inf" << k << ", sign" << k
        << ", 5'b0, {(16 - EW" << k << "){exp" << k << "[EW" << k << "-1]}}, exp" << k
        << ", {(40 - SW" << k << "){1'b0}}, sig" << k << "};\n";
    }
  v << "  wire unused = &{1'b0, a, b};\n"
    << "endmodule\n\n`default_nettype wire\n";
  return v.str();
}

} // namespace qmac::rtl
