# Writes one translation unit for a Verilated model: every .cpp Verilator
# generated in DIR, then the factory that wraps the model in its adapter.
#   cmake -DDIR=... -DPREFIX=Vname -DADAPTER=VerilatedPe -DFACTORY=make_x -DINTERFACE=PeModel
#         -DOUT=file.cpp -P cmake_make_unity.cmake
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
set(text "// Generated: the Verilated model ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
string(APPEND text "#include \"verilated_adapters.h\"\n\n"
  "namespace qmac::rtl {\n"
  "std::unique_ptr<${INTERFACE}> ${FACTORY}() { return std::make_unique<${ADAPTER}<${PREFIX}>>(); }\n"
  "} // namespace qmac::rtl\n")
file(WRITE ${OUT} "${text}")
