# Writes one translation unit for a Verilated array top: every .cpp Verilator
# generated in DIR, then the factory that wraps the model in VerilatedArray.
#   cmake -DDIR=... -DPREFIX=Vname -DFACTORY=make_x -DWS=true|false -DOUT=file.cpp
#         -P make_array_unity.cmake
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
set(text "// Generated: the Verilated array ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
string(APPEND text "#include \"verilated_array.h\"\n\n"
  "namespace qmac::rtl {\n"
  "std::unique_ptr<RtlArray> ${FACTORY}(const char* name, const array::ArrayConfig& config) {\n"
  "  return std::make_unique<VerilatedArray<${PREFIX}, ${WS}>>(name, config);\n"
  "}\n"
  "} // namespace qmac::rtl\n")
file(WRITE ${OUT} "${text}")
