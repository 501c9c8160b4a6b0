#!/bin/sh
# verilator --lint-only -Wall over rtl/ for a few generated tops (every module,
# every format family and accumulator kind). usage: lint_rtl.sh QMAC_RTLGEN WORKDIR
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
[ $status -eq 0 ] && echo "verilator --lint-only -Wall: clean"
exit $status
