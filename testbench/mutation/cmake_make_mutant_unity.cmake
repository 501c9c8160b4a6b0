# Writes one translation unit for a Verilated mutant model: every .cpp
# Verilator generated in DIR, the factory that wraps the model (with its
# mutant selected) in its adapter, and the family's sample of mutations.
#   cmake -DDIR=... -DPREFIX=Vname -DADAPTER=VerilatedPe -DINTERFACE=PeModel
#         -DFACTORY=make_x -DMUTATIONS=mutations.txt -DOUT=file.cpp -P cmake_make_mutant_unity.cmake
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
file(READ ${MUTATIONS} mutations)
set(text "// Generated: the Verilated mutant model ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
string(APPEND text "#include \"verilated_adapters.h\"\n\n"
  "namespace qmac::rtl {\n"
  "std::unique_ptr<${INTERFACE}> ${FACTORY}(uint32_t mutant) {\n"
  "  return std::make_unique<${ADAPTER}<${PREFIX}>>(mutant);\n"
  "}\n"
  "const char* ${FACTORY}_mutations() {\n"
  "  return R\"qmacmutants(${mutations})qmacmutants\";\n"
  "}\n"
  "} // namespace qmac::rtl\n")
file(WRITE ${OUT} "${text}")
