#!/usr/bin/env bash
# A sweep sharded over a real Slurm: a single-node cluster started here (its
# own slurm.conf, state and spool directories, free ports and a munge key,
# all under a temporary directory; munged, slurmctld and slurmd as root),
# a job array of shards, their merge, and the merged results compared byte
# for byte with a single-process run of the same sweep. Everything started
# is stopped at the end.
#
# usage: slurm_sweep.sh QMAC
# Exit 0: passed; 1: failed; 77: skipped (no Slurm or munge, not root, or the
# daemons would not start), with the reason on a line starting QMAC_SKIP:.
set -euo pipefail
qmac=$(readlink -f "$1")
shards=3

skip() {
  echo "QMAC_SKIP: $*"
  exit 77
}
for tool in munged munge slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" >/dev/null ||
    skip "$tool is not installed (scripts/bootstrap.sh installs slurm-wlm and munge)"
done
[ "$(id -u)" -eq 0 ] || skip "the test starts munged, slurmctld and slurmd as root (CI runs as root)"

work=$(mktemp -d /tmp/qmac_slurm.XXXXXX)
export SLURM_CONF=$work/slurm.conf QMAC_CACHE_DIR=$work/cache
started=""
show_logs() {
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "--- $log"; tail -n 20 "$log"; }
  done
}
stop() {
  if [[ $started == *slurm* ]]; then
    scontrol shutdown >/dev/null 2>&1 || true
    for pid in slurmctld slurmd; do
      [ -f "$work/$pid.pid" ] && kill "$(cat "$work/$pid.pid")" 2>/dev/null || true
    done
  fi
  [[ $started == *munge* ]] && munged --socket="$work/munge.sock" --stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

# munge: a key of our own, a socket of our own.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
munged --force --socket="$work/munge.sock" --key-file="$work/munge.key" \
  --log-file="$work/munged.log" --pid-file="$work/munged.pid" \
  --seed-file="$work/munged.seed" || { show_logs; skip "munged would not start"; }
started=munge

# Slurm: one node (this machine), two free ports.
port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
cat >"$SLURM_CONF" <<CONF
ClusterName=qmac
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(port)
SlurmdPort=$(port)
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
PlugStackConfig=/dev/null
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=qmac Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i || { show_logs; skip "slurmctld would not start"; }
started="$started slurm"
slurmd || { show_logs; skip "slurmd would not start"; }
for _ in $(seq 60); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo -h -o %t 2>/dev/null)" = idle ] || { show_logs; skip "the node did not come up idle"; }

# A small dot-unit sweep (6 points), once in one process, once as a job
# array of shards, then merged.
cat >"$work/units.yaml" <<'YAML'
name: slurm-units
units:
  - {formats: [e4m3fn, e5m2], acc: fp32, unit: [h100, b200, arm-fdot4]}
accuracy: {distributions: [gaussian], unit_lengths: [256, 1024], unit_dots: 8}
synthesis: false
YAML
"$qmac" sweep "$work/units.yaml" -o "$work/single" >/dev/null
if ! sbatch --wait --array=1-$shards --output="$work/shard-%a.out" --job-name=qmac-sweep \
  --wrap "\"$qmac\" sweep \"$work/units.yaml\" -o \"$work/shards/\$SLURM_ARRAY_TASK_ID\" --shard \$SLURM_ARRAY_TASK_ID/$shards" \
  >"$work/sbatch.out"; then
  cat "$work"/shard-*.out "$work/sbatch.out" 2>/dev/null || true
  show_logs
  echo "FAILED: the job array of shards failed"
  exit 1
fi
"$qmac" sweep --merge $(seq -f "$work/shards/%g" 1 $shards) -o "$work/merged" >/dev/null
status=0
for f in results.csv results.json; do
  if ! cmp "$work/single/$f" "$work/merged/$f"; then
    echo "FAILED: the merged $f differs from the single-process run"
    status=1
  fi
done
rows=$(($(wc -l <"$work/merged/results.csv") - 1))
[ "$rows" -eq 6 ] || { echo "FAILED: $rows rows merged, not 6"; status=1; }
for i in $(seq $shards); do
  grep -q "" "$work/shards/$i/results.csv" || { echo "FAILED: shard $i wrote nothing"; status=1; }
done
[ $status -eq 0 ] && echo "passed: $shards Slurm array tasks, merged = single-process run ($rows points)"
exit $status
