#!/bin/sh
# verilator --lint-only -Wall over rtl/ for a few generated tops (every module,
# every format family and accumulator kind; the MAC arrays in both dataflows,
# at edge sizes and every pipeline depth, also with their fault define; the
# dot-product PEs and the dot-product array).
# usage: lint_rtl.sh QMAC_RTLGEN WORKDIR
set -eu
rtlgen=$1 work=$2
rtl=$(cd "$(dirname "$0")/../rtl" && pwd)
mkdir -p "$work"
status=0
for unit in e4m3fn:e4m3fn:fp16 int8:int4:int32:sat flint8:flint8:fx+12 \
            float4_e2m1fn:float4_e2m1fn:bf16:p0:ftz e5m2:e4m3fnuz:fp32:p3 uint4:uflint4:int16; do
  for top in pe step; do
    module=lint_${top}_$(printf '%s' "$unit" | tr -c 'A-Za-z0-9' '_')
    "$rtlgen" "$top" "$unit" "$work/$module.v" "$module"
    if ! verilator --lint-only -Wall -I"$rtl" "$work/$module.v" "$rtl"/*.v --top-module "$module" \
         >"$work/$module.log" 2>&1; then
      echo "lint: $unit ($top):" >&2
      grep -E "^%" "$work/$module.log" | head -5 >&2
      status=1
    fi
  done
done
for array in "int8:int8:int32 4x4 ws" "int8:int8:int32 1x1 os" "e5m2:e5m2:bf16:p3 2x5 ws" \
             "e5m2:e5m2:fx+12 5x2 os" "flint8:flint8:int32:p0 1x7 ws" "int4:int4:int8:p2:sat 7x1 os" \
             "float4_e2m1fn:int8:fx+4:p0 3x3 ws" "e4m3fnuz:e4m3fnuz:fp16:p3 5x5 os"; do
  set -- $array
  module=lint_array_$(printf '%s_%s_%s' "$1" "$2" "$3" | tr -c 'A-Za-z0-9' '_')
  "$rtlgen" array "$1" "$2" "$3" "$work/$module.v" "$module"
  for define in "" +define+QMAC_FAULT_ARRAY_SKEW; do
    if ! verilator --lint-only -Wall $define -I"$rtl" "$work/$module.v" "$rtl"/*.v \
         --top-module "$module" >"$work/$module.log" 2>&1; then
      echo "lint: array $array $define:" >&2
      grep -E "^%" "$work/$module.log" | head -5 >&2
      status=1
    fi
  done
done
# Dot-product PEs: every path (truncating, late c, exact, integer, sticky,
# narrowing off), N from 1 to 64, pipeline 0 to 3, also with the fault define.
for unit in h100:e4m3fn:e4m3fn:fp32 b200:e5m2:e5m2:fp32:p0 arm-fdot4:e4m3fn:e5m2:fp16:p2 \
            n=32:int8:int8:int32:p3 "n=1,bits=exact:flint8:flint8:fp32" \
            "n=64,bits=9,round=rne,sticky=yes,narrow=no:e5m2:e5m2:fp16"; do
  module=lint_dot_$(printf '%s' "$unit" | tr -c 'A-Za-z0-9' '_')
  "$rtlgen" dot "$unit" "$work/$module.v" "$module"
  for define in "" +define+QMAC_FAULT_DOT_WIDTH; do
    if ! verilator --lint-only -Wall $define -I"$rtl" "$work/$module.v" "$rtl"/*.v \
         --top-module "$module" >"$work/$module.log" 2>&1; then
      echo "lint: dot $unit $define:" >&2
      grep -E "^%" "$work/$module.log" | head -5 >&2
      status=1
    fi
  done
done
# The dot-product array: its default unit at edge sizes and pipeline depths,
# also with its fault define.
for grid in "1 1 0" "2 3 1" "4 1 3"; do
  set -- $grid
  for define in "" +define+QMAC_FAULT_DOT_ARRAY_ROW; do
    if ! verilator --lint-only -Wall $define -I"$rtl" "$rtl"/*.v --top-module qmac_dot_array \
         -GROWS="$1" -GCOLS="$2" -GPIPELINE="$3" >"$work/dot_array.log" 2>&1; then
      echo "lint: dot array $grid $define:" >&2
      grep -E "^%" "$work/dot_array.log" | head -5 >&2
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "verilator --lint-only -Wall: clean"
exit $status
