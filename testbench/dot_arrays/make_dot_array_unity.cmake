# Writes one translation unit of a Verilated dot array: every .cpp Verilator
# generated in DIR for the prefix.
#   cmake -DDIR=... -DPREFIX=Vname -DOUT=file.cpp -P make_dot_array_unity.cmake
file(GLOB sources RELATIVE ${DIR} ${DIR}/${PREFIX}*.cpp)
list(SORT sources)
set(text "// Generated: the Verilated dot array ${PREFIX} in one translation unit.\n")
foreach(s IN LISTS sources)
  string(APPEND text "#include \"${s}\"\n")
endforeach()
file(WRITE ${OUT} "${text}")
