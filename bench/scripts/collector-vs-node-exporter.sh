#!/usr/bin/env bash
# Measures the Vigil collector's CPU and memory next to Debian's prometheus-node-exporter on this machine.
# Both run at once at a 10 s interval: the agent ticks every 10 s and publishes to a local Kafka; the
# node exporter is scraped every 10 s by curl. After a warm-up, each process's own CPU time (utime+stime
# from /proc) over the window gives its share of one core, and its VmRSS is sampled every 10 s.
#   bench/scripts/collector-vs-node-exporter.sh [window-seconds] [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
window="${1:-180}"
runs="${2:-3}"
warmup=60
work="$(mktemp -d /tmp/vigil-bench-XXXX)"

command -v prometheus-node-exporter >/dev/null || { echo "install prometheus-node-exporter first (apt-get install -y prometheus-node-exporter)" >&2; exit 1; }
[ -f "$root/cli/target/vigil.jar" ] || mvn -B -q -f "$root/pom.xml" -DskipTests install

cleanup() {
  [ -n "${agent:-}" ] && kill "$agent" 2>/dev/null || true
  [ -n "${exporter:-}" ] && kill "$exporter" 2>/dev/null || true
  [ -n "${scraper:-}" ] && kill "$scraper" 2>/dev/null || true
  "$root/vigil" stack stop --work-dir "$work/stack" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$root/vigil" stack start --detach --any-ports --work-dir "$work/stack" >/dev/null
"$root/vigil" topics create --work-dir "$work/stack" >/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

printf '%-4s %-22s %10s %12s %12s\n' run process "cpu_%core" "rss_med_MiB" "rss_max_MiB"
for run in $(seq 1 "$runs"); do
  # Through the launcher, so its collect defaults (small heap, serial GC) apply as in production; it execs java.
  VIGIL_LOG_FILE="$work/collect.log" "$root/vigil" collect --work-dir "$work/stack" >"$work/collect-$run.out" 2>&1 &
  agent=$!
  port=$((19100 + run))
  prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >"$work/node-exporter-$run.out" 2>&1 &
  exporter=$!
  ( while sleep 10; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; done ) &
  scraper=$!
  sleep "$warmup"
  a0=$(cpu_ticks "$agent"); e0=$(cpu_ticks "$exporter"); t0=$(date +%s.%N)
  agent_rss=(); exporter_rss=()
  for _ in $(seq 1 $((window / 10))); do
    sleep 10
    agent_rss+=("$(rss_kib "$agent")"); exporter_rss+=("$(rss_kib "$exporter")")
  done
  a1=$(cpu_ticks "$agent"); e1=$(cpu_ticks "$exporter"); t1=$(date +%s.%N)
  for who in agent exporter; do
    if [ "$who" = agent ]; then c0=$a0; c1=$a1; rss=("${agent_rss[@]}"); name="vigil collect"; else c0=$e0; c1=$e1; rss=("${exporter_rss[@]}"); name="node_exporter (scraped)"; fi
    cpu=$(echo "scale=4; ($c1 - $c0) * 100 / ($hz * ($t1 - $t0))" | bc)
    med=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1024}')
    max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1 | awk '{print $1/1024}')
    printf '%-4s %-22s %10s %12.1f %12.1f\n' "$run" "$name" "$cpu" "$med" "$max"
  done
  kill "$agent" "$exporter" "$scraper" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  agent=; exporter=; scraper=
done
