// The lockstep check of the RTL arrays (testbench/arrays/lockstep.h) over
// every mutant of an array model at once: the SystemC array is the
// reference, and each mutant's RTL array sits next to it on the same
// signals with its own output and checker, in two rigs running side by
// side: the GEMMs of the lockstep tests from a GemmDriver (shapes around the
// array size, random shapes, long sums of large codes), and random port
// traffic (resets, junk fields, weight writes into the buffer in use). One
// stimulus serves all the mutants, so a family costs one simulation.
//
// SystemC elaborates once per process: check_array_mutants runs in a child
// process it forks, and may be called for any number of models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mutant_models.h"

namespace qmac::rtl::mutation {

struct ArrayCheck {
  // Per mutant 0..n (0: the design): the cycle of its first output that
  // differed from the SystemC array's, 0 if none did.
  std::vector<uint64_t> first_mismatch;
  uint64_t cycles = 0;         // cycles simulated
  std::string design_mismatch; // mutant 0's first mismatch, if it had one
};

// Mutants 0..`mutants` of `model` (kind "array") through `cycles` cycles of
// the lockstep check (at least its GEMMs), seeded by `seed`.
// std::runtime_error if the child process fails.
ArrayCheck check_array_mutants(const MutantModel& model, size_t mutants, uint64_t cycles,
                               uint64_t seed);

} // namespace qmac::rtl::mutation
