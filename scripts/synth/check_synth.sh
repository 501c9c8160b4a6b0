#!/bin/sh
# Synthesizes one RTL unit with Yosys to generic gates and fails on any error
# or latch.  usage: check_synth.sh QMAC_RTLGEN UNIT WORKDIR [pe|step|dot|array RxC ws|os]
# (pe: the clocked qmac_pe top; step: the combinational qmac_mac_datapath top;
# dot: the qmac_dot_pe top of a dot unit UNIT:A:B:OUT[:pN]; array: the RxC
# qmac_array_ws/qmac_array_os top of the unit)
set -eu
rtlgen=$1 unit=$2 work=$3 top=${4:-pe}
here=$(cd "$(dirname "$0")" && pwd)
rtl=$(cd "$here/../../rtl" && pwd)
module=synth_${top}_$(printf '%s' "$unit" | tr -c 'A-Za-z0-9' '_')
mkdir -p "$work"
if [ "$top" = array ]; then
  size=$5 dataflow=$6
  module=${module}_${size}_${dataflow}
  "$rtlgen" array "$unit" "$size" "$dataflow" "$work/$module.v" "$module"
  unit="$unit $size $dataflow"
else
  "$rtlgen" "$top" "$unit" "$work/$module.v" "$module"
fi
log="$work/$module.log"
if ! yosys -q -l "$log" -p "
  read_verilog -I$rtl $rtl/qmac_lzc.v $rtl/qmac_decode.v $rtl/qmac_multiplier.v \
    $rtl/qmac_acc_fixed.v $rtl/qmac_acc_float.v $rtl/qmac_acc_step.v $rtl/qmac_mac_datapath.v \
    $rtl/qmac_pe.v $rtl/qmac_delay.v $rtl/qmac_array_ws_cell.v $rtl/qmac_array_os_cell.v \
    $rtl/qmac_array_ws.v $rtl/qmac_array_os.v $rtl/qmac_dot_term.v $rtl/qmac_dot_csa_tree.v \
    $rtl/qmac_dot_scale.v $rtl/qmac_dot_unit.v \
    $rtl/qmac_dot_pe.v $work/$module.v
  hierarchy -check -top $module
  synth -flatten -top $module
  select -assert-none t:\$dlatch t:\$_DLATCH_* t:\$_DLATCHSR_* t:\$_SR_*
  stat
" >/dev/null 2>&1; then
  echo "yosys failed on $unit:" >&2
  grep -iE "error|assert|latch" "$log" | head -5 >&2
  exit 1
fi
cells=$(grep -E "Number of cells:" "$log" | tail -1 | awk '{print $4}')
echo "$unit ($top): synthesized, $cells cells, no latches"
