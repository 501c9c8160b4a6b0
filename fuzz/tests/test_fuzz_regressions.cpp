// Inputs the libFuzzer targets (fuzz/) found, minimized: each once crashed,
// hung or broke an invariant, and must now give qmac::InputError or the
// correct result.
#include <catch2/catch.hpp>

#include <string>

#include "qmac/numerics/format.h"
#include "sweep_config.h"

using qmac::InputError;

// fuzz_sweep: a mapping used as a key escaped as YAML::TypedBadConversion
// (terminate in the fuzzer, "internal error" exit 1 from qmac sweep).
TEST_CASE("sweep: a mapping as a key is an input error naming the line") {
  REQUIRE_THROWS_AS(qmac::cli::parse_sweep_config("{2}:", "s.yaml"), InputError);
  REQUIRE_THROWS_WITH(qmac::cli::parse_sweep_config("name: x\n[a, b]: 1\n", "s.yaml"),
                      Catch::Contains("s.yaml:2") && Catch::Contains("key name"));
  REQUIRE_THROWS_AS(qmac::cli::parse_sweep_config(
                        "name: x\npoints:\n  - {a: int8, acc: int32, {b: 1}: 2}\n", "s.yaml"),
                    InputError);
}
