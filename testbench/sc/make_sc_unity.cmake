# Writes one translation unit for a Verilated SystemC model: every .cpp
# Verilator generated in DIR, then its factory (testbench/sc/rtl_pe_sc.h).
#   cmake -DDIR=... -DPREFIX=Vsc_x -DFACTORY=make_sc_x -DOUT=file.cpp -P make_sc_unity.cmake
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
set(text "// Generated: the Verilated SystemC model ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
string(APPEND text "#include \"rtl_pe_sc.h\"\n\n"
  "namespace qmac::sc {\n"
  "std::unique_ptr<sc_core::sc_module> ${FACTORY}(const char* name, sc_core::sc_clock& clk,\n"
  "    PeInputSignals& in, PeOutputSignals& out, CycleSignal& cycles) {\n"
  "  return make_rtl_pe<${PREFIX}>(name, clk, in, out, cycles);\n"
  "}\n"
  "} // namespace qmac::sc\n")
file(WRITE ${OUT} "${text}")
