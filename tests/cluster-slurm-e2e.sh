#!/usr/bin/env bash
# End-to-end test of `mlca cluster` on a real Slurm: Debian's slurm-wlm (slurmctld, slurmd),
# slurmdbd with MariaDB on loopback and munge, all started here in a temporary folder as one
# machine; a few jobs are run (a batch job with a step and a GPU, an array, a cancelled job, a
# failed job, a job still running and one pending), `sacct --parsable2` is dumped and mlca reads
# the fresh dump with the fixture's inventory.
#
#   tests/cluster-slurm-e2e.sh                 run the test (prints SKIPPED where it cannot)
#   tests/cluster-slurm-e2e.sh --dump FILE     only write the sacct dump to FILE (how the
#                                              committed fixture was made)
#
# Needs root and apt-get (to install the packages) or the packages already installed. The
# daemons listen on loopback only, on ports 16817-16819 and 13306, and are stopped on exit;
# their files are in a temporary folder, removed on exit. Two users without home or shell,
# mlca-alice and mlca-bob, are created if absent (jobs run as them) and left in place.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dump_only=""
if [ "${1:-}" = "--dump" ]; then
  dump_only="${2:?--dump needs a file}"
fi

skip() {
  echo "cluster-slurm-e2e: SKIPPED: $*"
  exit 0
}

[ "$(uname -s)" = Linux ] || skip "Slurm runs on Linux only"
need="slurmctld slurmd slurmdbd sacct mariadbd munged"
missing=""
for b in $need; do command -v "$b" >/dev/null 2>&1 || missing="$missing $b"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then skip "not root, and$missing not installed"; fi
  command -v apt-get >/dev/null 2>&1 || skip "no apt-get, and$missing not installed"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends slurm-wlm slurmdbd mariadb-server munge) >/dev/null 2>&1 \
    || skip "apt-get could not install slurm-wlm slurmdbd mariadb-server munge"
fi
[ "$(id -u)" = 0 ] || skip "the daemons are started as root (SlurmUser=root) and need it"

work="$(mktemp -d /tmp/mlca-slurm.XXXXXX)"
chmod 755 "$work" # the users who submit jobs read slurm.conf
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${MLCA_SLURM_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # wait_for SECONDS CMD...
  local t=$1; shift
  for _ in $(seq 1 $((t * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

# --- munge: Slurm's clients reach it at its default socket; start it there unless it runs
if ! (munge -n | unmunge) >/dev/null 2>&1; then
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chmod 400 /etc/munge/munge.key; }
  munged --force --pid-file "$work/munged.pid" 2>/dev/null || skip "munged did not start"
  pids+=("$(cat "$work/munged.pid")")
  wait_for 10 sh -c 'munge -n | unmunge' || skip "munged does not answer"
fi

# --- MariaDB on loopback, its data in the work folder
mkdir -p "$work/db"
mariadb-install-db --no-defaults --datadir="$work/db/data" --user=root --auth-root-authentication-method=normal >"$work/db/install.log" 2>&1 \
  || skip "mariadb-install-db failed: $(tail -3 "$work/db/install.log")"
mariadbd --no-defaults --datadir="$work/db/data" --user=root --bind-address=127.0.0.1 --port=13306 \
  --socket="$work/db/sock" --pid-file="$work/db/pid" --skip-grant-tables=0 --innodb-buffer-pool-size=64M \
  >"$work/db/mariadbd.log" 2>&1 &
pids+=("$!")
wait_for 60 mariadb --no-defaults -S "$work/db/sock" -uroot -e "select 1" \
  || skip "MariaDB did not start: $(tail -3 "$work/db/mariadbd.log")"
mariadb --no-defaults -S "$work/db/sock" -uroot -e \
  "create user 'slurm'@'127.0.0.1' identified by 'mlca-test'; grant all on slurm_acct_db.* to 'slurm'@'127.0.0.1'; create database slurm_acct_db;"

# --- Slurm configuration: one node cn1 (4 CPUs, 2 GPUs as generic resources without devices)
mkdir -p "$work/etc" "$work/state" "$work/spool" "$work/log"
cat >"$work/etc/slurm.conf" <<EOF
ClusterName=mlcatest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/%n
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=16819
AccountingStorageTRES=gres/gpu
AccountingStorageEnforce=associations
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=cn1 NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=4 Boards=1 SocketsPerBoard=1 CoresPerSocket=4 ThreadsPerCore=1 RealMemory=2048 Gres=gpu:2 State=UNKNOWN
PartitionName=gpu Nodes=cn1 Default=YES MaxTime=INFINITE State=UP
EOF
# Slurm drops GPUs without device files: two empty files stand for them (no job touches them)
mkdir -p "$work/dev" && touch "$work/dev/gpu0" "$work/dev/gpu1"
cat >"$work/etc/gres.conf" <<EOF
AutoDetect=off
NodeName=cn1 Name=gpu File=$work/dev/gpu[0-1]
EOF
cat >"$work/etc/slurmdbd.conf" <<EOF
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=16819
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=13306
StorageUser=slurm
StoragePass=mlca-test
StorageLoc=slurm_acct_db
PidFile=$work/slurmdbd.pid
LogFile=$work/log/slurmdbd.log
EOF
chmod 600 "$work/etc/slurmdbd.conf"
export SLURM_CONF="$work/etc/slurm.conf"

slurmdbd -D >"$work/log/slurmdbd.out" 2>&1 &
pids+=("$!")
wait_for 60 timeout 5 sacctmgr -n list cluster || skip "slurmdbd did not start: $(tail -3 "$work/log/slurmdbd.log" 2>/dev/null)"
sacctmgr -i add cluster mlcatest >/dev/null
for u in mlca-alice mlca-bob; do
  id "$u" >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin "$u"
done
sacctmgr -i add account proj-vision Description=vision Organization=lab >/dev/null
sacctmgr -i add account proj-nlp Description=nlp Organization=lab >/dev/null
sacctmgr -i add user mlca-alice account=proj-vision >/dev/null
sacctmgr -i add user mlca-bob account=proj-nlp >/dev/null
sacctmgr -i add user mlca-bob account=proj-vision >/dev/null

slurmctld -D -i >"$work/log/slurmctld.out" 2>&1 &
pids+=("$!")
wait_for 60 scontrol ping || skip "slurmctld did not start: $(tail -3 "$work/log/slurmctld.log" 2>/dev/null)"
slurmd -D -N cn1 >"$work/log/slurmd.out" 2>&1 &
pids+=("$!")
wait_for 60 sh -c 'sinfo -h -N -o "%T" | grep -qE "idle|mixed|alloc"' \
  || skip "slurmd did not register cn1: $(tail -3 "$work/log/slurmd.log" 2>/dev/null)"

start="$(date -u +%Y-%m-%dT%H:%M:%S)"
as() { local u=$1; shift; runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" "$@"; }
busy='timeout 4 sh -c "while :; do :; done"; true'
# 1. a job cancelled while it runs
j3=$(as mlca-bob sbatch --parsable -A proj-vision -J cancelled -c 1 --mem=128M -D /tmp -o /dev/null --wrap "sleep 300")
wait_for 30 sh -c "squeue -h -j $j3 -t R | grep -q ." || skip "job $j3 did not start"
sleep 2
scancel "$j3"
# 2. a batch job with one step using 2 CPUs and a GPU
j1=$(as mlca-alice sbatch --parsable -A proj-vision -J train -c 2 --mem=512M --gres=gpu:1 -D /tmp \
  -o /dev/null --wrap "srun -c 2 sh -c '$busy'")
# 3. an array of three tasks, one CPU each
j2=$(as mlca-bob sbatch --parsable -A proj-nlp -J sweep --array=1-3 -c 1 --mem=128M -D /tmp -o /dev/null \
  --wrap "sh -c '$busy'")
# 4. a job that fails
j4=$(as mlca-alice sbatch --parsable -A proj-vision -J failing -c 1 --mem=128M -D /tmp -o /dev/null --wrap "sleep 1; exit 3")
wait_for 90 sh -c "! squeue -h -j $j1,$j2,$j4 | grep -q ." || skip "jobs did not finish: $(squeue)"
# 5. a job still running when the accounting is dumped, 6. one pending (it needs the 4 CPUs, one of which job 5 holds)
j5=$(as mlca-alice sbatch --parsable -A proj-vision -J running -c 1 --mem=128M -D /tmp -o /dev/null --wrap "sleep 300")
j6=$(as mlca-bob sbatch --parsable -A proj-nlp -J pending -c 4 --mem=128M -D /tmp -o /dev/null --wrap "true")
wait_for 30 sh -c "squeue -h -j $j5 -t R | grep -q ." || skip "job $j5 did not start"
# the controller sends job records to slurmdbd as they change: wait until both are there
wait_for 60 sh -c "sacct -n -X -j $j5 -o State | grep -q RUNNING && sacct -n -X -j $j6 -o State | grep -q PENDING" \
  || skip "slurmdbd did not record jobs $j5 and $j6"
sleep 2

columns=JobID,User,Account,Partition,Start,End,Elapsed,NodeList,AllocTRES,TRESUsageInTot,ConsumedEnergyRaw,State
out="$work/sacct.txt"
sacct --parsable2 --allusers --starttime="$start" --format="$columns" >"$out"
scancel "$j5" "$j6" || true

if [ -n "$dump_only" ]; then
  cp "$out" "$dump_only"
  echo "cluster-slurm-e2e: wrote $(wc -l <"$dump_only") lines to $dump_only (jobs $j1 $j2 $j3 $j4 $j5 $j6)"
  exit 0
fi

# --- mlca on the fresh dump
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mlca-target}"
(cd "$here" && cargo build --quiet --locked --bin mlca)
mlca="$CARGO_TARGET_DIR/debug/mlca"
inv="$here/tests/fixtures/cluster/slurm/inventory.yaml"
"$mlca" cluster report --inventory "$inv" --sacct "$out" --by job --format csv >"$work/jobs.csv"
"$mlca" cluster report --inventory "$inv" --sacct "$out" --by user --format json >"$work/users.json"
fail() { echo "cluster-slurm-e2e: FAILED: $*"; exit 1; }
grep -q "^$j1," "$work/jobs.csv" || fail "job $j1 missing from the per-job report"
grep -q "^${j2}_1," "$work/jobs.csv" || fail "array task ${j2}_1 missing from the per-job report"
grep -q "mlca-alice" "$work/users.json" || fail "user mlca-alice missing from the per-user report"
grep -q "mlca-bob" "$work/users.json" || fail "user mlca-bob missing from the per-user report"
echo "cluster-slurm-e2e: read jobs $j1, array $j2, cancelled $j3, failed $j4, running $j5, pending $j6"
echo "cluster-slurm-e2e: 1 passed, 0 failed"
