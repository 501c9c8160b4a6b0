// The one Catch2 main shared by every Catch2 test executable of qmac (its
// session is compiled once, not once per test binary).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
