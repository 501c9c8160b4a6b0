#!/usr/bin/env bash
# Proves rtl/qmac_dot_csa_tree.v equal to its golden twin, the plain modular
# sum of its operands, with Yosys's SAT solver (miter -equiv, sat -verify
# -prove-asserts): every input, not samples. N = 1 to 7 operands covers no
# level, one, two and three levels of 3:2 compressors with one and two
# operands passed through; wider trees are the same levels repeated and are
# checked inside every dot unit by qmac verify --dot. SAT on wide adders grows
# fast (N = 9 takes minutes), hence the small W.
#   prove_csa_tree.sh WORK_DIR            prove the RTL
#   prove_csa_tree.sh WORK_DIR --mutant   a check of the check: a mutant (one
#                                         of the carries' three AND terms
#                                         dropped) must be refuted
set -euo pipefail
work=$1
rtl=$(dirname "$0")/../../rtl/qmac_dot_csa_tree.v
mkdir -p "$work"
if [ "${2:-}" = "--mutant" ]; then
  sed 's/ | (y\[W-2:0\] & z\[W-2:0\])//' "$rtl" >"$work/csa_mutant.v"
  if cmp -s "$rtl" "$work/csa_mutant.v"; then
    echo "the mutant is the RTL itself: the sed pattern no longer matches" >&2
    exit 1
  fi
  if "$0" "$work/mutant" "$work/csa_mutant.v" 2>/dev/null; then
    echo "the mutant was proved equal: the proof checks nothing" >&2
    exit 1
  fi
  echo "qmac_dot_csa_tree mutant refuted"
  exit 0
fi
[ $# -ge 2 ] && rtl=$2
cat >"$work/csa_twin.v" <<'V'
module csa_twin #(parameter integer N = 4, parameter integer W = 16) (
    input wire [N*W-1:0] terms, output reg [W-1:0] sum);
  integer i;
  always @* begin
    sum = 0;
    for (i = 0; i < N; i = i + 1) sum = sum + terms[i*W+:W];
  end
endmodule
V
for n in 1 2 3 4 5 6 7; do
  if ! yosys -q -l "$work/csa_$n.log" -p "
    read_verilog $rtl $work/csa_twin.v
    chparam -set N $n -set W 6 qmac_dot_csa_tree csa_twin
    proc; flatten; opt_clean
    miter -equiv -flatten -make_assert qmac_dot_csa_tree csa_twin miter
    hierarchy -top miter
    sat -verify -prove-asserts miter" >/dev/null 2>&1; then
    echo "qmac_dot_csa_tree N=$n W=6: not equal to the sum of its operands ($work/csa_$n.log)" >&2
    exit 1
  fi
done
echo "qmac_dot_csa_tree: equal to the modular sum for N = 1..7 (W = 6), proved by SAT"
