# Writes one translation unit for a Verilated mutant model: every .cpp
# Verilator generated in DIR, the factory that wraps the model (with its
# mutant selected) in its adapter, and the family's sample of mutations.
#   cmake -DDIR=... -DPREFIX=Vname -DADAPTER=VerilatedPe -DINTERFACE=PeModel
#         -DFACTORY=make_x -DMUTATIONS=mutations.txt [-DARRAY_KEY="UNIT RxC ws|os"]
#         -DOUT=file.cpp -P cmake_make_mutant_unity.cmake
# An array model (ARRAY_KEY given) is wrapped in VerilatedArray, whose factory
# also takes the SystemC module's name.
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
file(READ ${MUTATIONS} mutations)
set(text "// Generated: the Verilated mutant model ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
if(ARRAY_KEY STREQUAL "")
  string(APPEND text "#include \"verilated_adapters.h\"\n\n"
    "namespace qmac::rtl {\n"
    "std::unique_ptr<${INTERFACE}> ${FACTORY}(uint32_t mutant) {\n"
    "  return std::make_unique<${ADAPTER}<${PREFIX}>>(mutant);\n"
    "}\n")
else()
  if(ARRAY_KEY MATCHES " ws$")
    set(ws true)
  else()
    set(ws false)
  endif()
  string(APPEND text "#include \"verilated_array.h\"\n\n"
    "namespace qmac::rtl {\n"
    "std::unique_ptr<${INTERFACE}> ${FACTORY}(const char* name, uint32_t mutant) {\n"
    "  return std::make_unique<${ADAPTER}<${PREFIX}, ${ws}>>(name, parse_array_key(\"${ARRAY_KEY}\"), mutant);\n"
    "}\n")
endif()
string(APPEND text
  "const char* ${FACTORY}_mutations() {\n"
  "  return R\"qmacmutants(${mutations})qmacmutants\";\n"
  "}\n"
  "} // namespace qmac::rtl\n")
file(WRITE ${OUT} "${text}")
