// The one Catch2 main shared by every qmac_test_* executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
