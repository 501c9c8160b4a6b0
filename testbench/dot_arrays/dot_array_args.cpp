// qmac-dot-array-args DOT_UNIT RxC FILE: writes the Verilator option file
// (-f FILE) that sets rtl/qmac_dot_array.v's parameters for a dot unit
// (the parameters of its qmac_dot_pe, rtl::dot_pe_parameters) on an R x C
// grid, so the build verilates the array module itself, no generated top.
#include <fstream>
#include <iostream>

#include "qmac/array/array_config.h"
#include "qmac/units/dot_rtl_unit.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: qmac-dot-array-args DOT_UNIT RxC FILE\n";
    return 2;
  }
  try {
    const qmac::rtl::DotRtlUnit u = qmac::rtl::parse_dot_rtl_unit(argv[1]);
    // qmac_dot_array broadcasts elements only: its PEs' scale ports are tied off.
    if (u.scaled())
      throw qmac::InputError("the RTL dot array takes element formats, not block formats (" +
                             u.name + ")");
    uint32_t rows = 0, cols = 0;
    qmac::array::parse_array_size(argv[2], rows, cols);
    std::ofstream out(argv[3]);
    for (const auto& [name, value] : qmac::rtl::dot_pe_parameters(u))
      if (name != "SA" && name != "SB") out << "-G" << name << "=" << value << "\n";
    out << "-GROWS=" << rows << "\n-GCOLS=" << cols << "\n";
    return out.good() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "qmac-dot-array-args: " << e.what() << "\n";
    return 2;
  }
}
