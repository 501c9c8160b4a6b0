// qmac-rtlgen: writes the Verilog tops the build verilates, from unit names.
//
//   qmac-rtlgen pe   UNIT FILE MODULE   the clocked PE top of a unit
//   qmac-rtlgen step UNIT FILE MODULE   the combinational step top of a unit
//   qmac-rtlgen bank MODULE FILE FORMAT...   a multiplier bank over every pair
//   qmac-rtlgen array UNIT RxC ws|os FILE MODULE   the MAC array top of a unit
//   qmac-rtlgen dot  DOT_UNIT FILE MODULE   the dot-product PE top of a dot unit
//
// A file is rewritten only when its text changes, so unchanged units are not
// verilated again.
#include <fstream>
#include <iostream>
#include <sstream>

#include "qmac/units/dot_rtl_unit.h"
#include "qmac/units/rtl_unit.h"

namespace {

void write_if_changed(const std::string& path, const std::string& text) {
  std::ifstream in(path);
  std::stringstream old;
  old << in.rdbuf();
  if (in && old.str() == text) return;
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// "RxC", 1 <= R, C <= 512 (the array simulators' limit).
void parse_size(const std::string& text, uint32_t& rows, uint32_t& cols) {
  const size_t x = text.find('x');
  auto side = [&](const std::string& s) {
    if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string::npos)
      return 0ul;
    return std::stoul(s);
  };
  const unsigned long r = x == std::string::npos ? 0 : side(text.substr(0, x));
  const unsigned long c = x == std::string::npos ? 0 : side(text.substr(x + 1));
  if (r < 1 || r > 512 || c < 1 || c > 512)
    throw qmac::InputError("bad array size '" + text + "': expected RxC, 1..512 each");
  rows = uint32_t(r);
  cols = uint32_t(c);
}

} // namespace

int main(int argc, char** argv) {
  try {
    std::string what = argc > 1 ? argv[1] : "";
    if ((what == "pe" || what == "step") && argc == 5) {
      qmac::rtl::Unit u = qmac::rtl::parse_unit(argv[2]);
      write_if_changed(argv[3], what == "pe" ? qmac::rtl::pe_top_verilog(u, argv[4])
                                             : qmac::rtl::step_top_verilog(u, argv[4]));
      return 0;
    }
    if (what == "bank" && argc >= 5) {
      std::vector<qmac::Format> formats;
      for (int i = 4; i < argc; ++i)
        formats.push_back(qmac::parse_format(argv[i]));
      write_if_changed(argv[3], qmac::rtl::multiplier_bank_verilog(formats, argv[2]));
      return 0;
    }
    if (what == "array" && argc == 7) {
      qmac::rtl::Unit u = qmac::rtl::parse_unit(argv[2]);
      uint32_t rows = 0, cols = 0;
      parse_size(argv[3], rows, cols);
      const std::string dataflow = argv[4];
      if (dataflow != "ws" && dataflow != "os")
        throw qmac::InputError("bad dataflow '" + dataflow + "': expected ws or os");
      write_if_changed(argv[5],
                       qmac::rtl::array_top_verilog(u, rows, cols, dataflow == "ws", argv[6]));
      return 0;
    }
    if (what == "dot" && argc == 5) {
      const qmac::rtl::DotRtlUnit u = qmac::rtl::parse_dot_rtl_unit(argv[2]);
      write_if_changed(argv[3], qmac::rtl::dot_pe_top_verilog(u, argv[4]));
      return 0;
    }
    std::cerr << "usage: qmac-rtlgen pe|step UNIT FILE MODULE | bank MODULE FILE FORMAT...\n"
                 "       qmac-rtlgen array UNIT RxC ws|os FILE MODULE\n"
                 "       qmac-rtlgen dot DOT_UNIT FILE MODULE\n";
    return 2;
  } catch (const qmac::InputError& e) {
    std::cerr << "qmac-rtlgen: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "qmac-rtlgen: " << e.what() << "\n";
    return 1;
  }
}
