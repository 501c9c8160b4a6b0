// A mutant model (testbench/mutation: every mutant of a family in one
// netlist) has the input `mutsel`: mutant k is active when it holds k, the
// design itself when it holds 0. Every adapter of a Verilated class (PE,
// dot PE, array) selects its mutant through select_mutant, which does
// nothing for a class without the input.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace qmac::rtl {

template <class V, class = void> struct HasMutantSelect : std::false_type {};
template <class V>
struct HasMutantSelect<V, std::void_t<decltype(std::declval<V&>().mutsel)>> : std::true_type {};

template <class V> void select_mutant(V& model, uint32_t mutant) {
  if constexpr (HasMutantSelect<V>::value) model.mutsel = mutant;
}

} // namespace qmac::rtl
