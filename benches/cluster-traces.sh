#!/usr/bin/env bash
# Speed and memory of `mlca cluster report` on power traces at cluster scale: 100 nodes
# (n001-n100), 30 days (2026-01-01 to 2026-01-31) at 1 Hz, 259.2 million rows in all, 120 jobs
# per node (12,000 jobs, each node's energy measured, attributed at every job boundary).
#
# Disk: one node's trace (2,592,000 rows of `unix_s,power_w`, 39 MB) is written once and named
# by every node of the inventory, so the run reads 100 files of 2.59 million rows (the trace
# reader reads each inventory entry on its own: 259.2 million rows parsed and integrated)
# without 3.9 GB of files. Everything goes to a temporary directory under /dev/shm (or
# $MLCA_BENCH_DIR), deleted at the end.
#
#   bash benches/cluster-traces.sh [path/to/mlca]      # default: target/release/mlca
set -euo pipefail
mlca=${1:-${CARGO_TARGET_DIR:-target}/release/mlca}
base=${MLCA_BENCH_DIR:-/dev/shm}
dir=$(mktemp -d "$base/mlca-cluster-traces.XXXXXX")
trap 'rm -rf "$dir"' EXIT
start=1767225600 # 2026-01-01T00:00:00
days=${MLCA_TRACE_DAYS:-30}
end=$((start + days * 86400))
nodes=${MLCA_TRACE_NODES:-100}
jobs_per_node=$((4 * days))
# one node's power at 1 Hz: 300 W to 396 W, varying by the second
{ echo "time,power_w"; seq "$start" $((end - 1)) | mawk '{print $1","(300+($1%97))}'; } > "$dir/node.csv"
rows_per_node=$((end - start))
{
  echo "name: traced 100-node cluster"
  echo "electricity: {country: FRA, pue: 1.2}"
  echo "period: {start: \"2026-01-01T00:00:00\", end: \"$(date -u -d @$((end - 1)) +%Y-%m-%dT%H:%M:%S)\"}"
  echo "infrastructure:"
  echo "  - name: cpu"
  echo "    hosts: n[001-$(printf %03d $nodes)]"
  echo "    embodied: {gwp_kgco2eq: 1500, adp_kgsbeq: 0.1, pe_mj: 20000, source: synthetic}"
  echo "    cores: 64"
  echo "    memory_gb: 256"
  echo "    purchase_date: \"2025-01-01\""
  echo "    lifetime_years: 5"
  echo "    static_power_w: 250"
  echo "traces:"
  for n in $(seq 1 $nodes); do
    printf '  - {host: n%03d, file: node.csv, generic: {time_column: time, time_format: unix_s, value_column: power_w, unit: W, value_kind: power, component: node}}\n' "$n"
  done
} > "$dir/inventory.yaml"
# jobs back to back on each node, each 6 h long minus a gap of 10 to 69 minutes
slot=$((days * 86400 / jobs_per_node))
gawk -v start="$start" -v slot="$slot" -v nodes="$nodes" -v per="$jobs_per_node" 'BEGIN {
  print "JobID|User|Account|Partition|Start|End|Elapsed|NodeList|AllocTRES|TRESUsageInTot|ConsumedEnergyRaw|State"
  id = 1
  for (n = 1; n <= nodes; n++) for (s = 0; s < per; s++) {
    a = start + s * slot; len = slot - 600 - ((n * 7 + s * 13) % 60) * 60
    printf "%d|u%02d|acct%d|cpu|%s|%s|%02d:%02d:%02d|n%03d|cpu=64,mem=200G,node=1|cpu=%02d:00:00,energy=0,mem=64G|0|COMPLETED\n", id++, n % 40, n % 7, strftime("%Y-%m-%dT%H:%M:%S", a, 1), strftime("%Y-%m-%dT%H:%M:%S", a + len, 1), len / 3600, len / 60 % 60, len % 60, n, 32 * len / 3600
  }
}' > "$dir/sacct.txt"
rows=$((rows_per_node * nodes))
/usr/bin/time -v "$mlca" cluster report --inventory "$dir/inventory.yaml" --sacct "$dir/sacct.txt" \
  --by user --format csv -o "$dir/users.csv" 2> "$dir/time.txt" || { cat "$dir/time.txt"; exit 1; }
wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
rss=$(grep 'Maximum resident set size' "$dir/time.txt" | awk '{print $NF}')
cpu=$(grep -E 'User time|System time' "$dir/time.txt" | awk '{s += $NF} END {print s}')
echo "cluster traces: $nodes nodes x $days days at 1 Hz = $rows rows ($((rows_per_node)) per node), $((nodes * jobs_per_node)) jobs"
echo "  wall ${secs} s, CPU ${cpu} s, peak memory $((rss / 1024)) MB, $(awk -v r="$rows" -v s="$secs" 'BEGIN {printf "%.1f", r / s / 1e6}') M rows/s (wall), $(awk -v r="$rows" -v s="$cpu" 'BEGIN {printf "%.1f", r / s / 1e6}') M rows/s (CPU)"
echo "  per-user CSV: $(($(grep -c . "$dir/users.csv") - 1)) users"
