# How qmac registers its Catch2 tests with ctest.
#
# A test case that cannot run on this machine (a namespace refused, a model
# built without tracing) must not pass silently: it prints a line starting
# with "QMAC_SKIP:" (QMAC_SKIP() in qmac/testing/skip.h) and ctest counts it
# as skipped, not passed.
include(Catch)

# Catch2's main, compiled once for every test executable, as machine code:
# with link-time optimization every test's link would compile it again.
add_library(qmac_test_main STATIC ${CMAKE_CURRENT_LIST_DIR}/testing/catch_main.cpp)
target_link_libraries(qmac_test_main PUBLIC Catch2::Catch2)
set_target_properties(qmac_test_main PROPERTIES INTERPROCEDURAL_OPTIMIZATION OFF
  INTERPROCEDURAL_OPTIMIZATION_RELEASE OFF)

add_library(qmac_test_skip INTERFACE)
target_include_directories(qmac_test_skip INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)

# qmac_discover_tests(TARGET [catch_discover_tests arguments...])
function(qmac_discover_tests target)
  target_link_libraries(${target} PRIVATE qmac_test_skip)
  catch_discover_tests(${target} ${ARGN} PROPERTIES SKIP_REGULAR_EXPRESSION "QMAC_SKIP:")
endfunction()
