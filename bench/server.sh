#!/usr/bin/env bash
# The policy service's benchmark (issue 11): run uploads per second and their latency under
# concurrent load from `wrk`, against a release build of `guardrail serve` on SQLite and on
# PostgreSQL, one after the other in one run.
#
#   bench/server.sh                      15 s per scenario
#   BENCH_SECONDS=30 bench/server.sh
#
# Scenarios: runs of 100 findings from 16 connections (throughput, p50/p99), and runs of 10,000
# findings from 1 connection (how long one such run takes to store). Installs `wrk` (Debian's
# package) and PostgreSQL (.ci/postgres.sh) when missing. Results: .bench/results/server.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-15}
if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
fi
cargo build --release -p guardrail
bin=$PWD/target/release/guardrail

work=$(mktemp -d)
export GUARDRAIL_POSTGRES_DIR="$work/postgres"
# PostgreSQL without waiting for the disk at each commit, as SQLite's write-ahead log with
# `synchronous=NORMAL`: a commit survives the service being killed, not the machine losing power.
export GUARDRAIL_POSTGRES_SETTINGS="-c synchronous_commit=off -c shared_buffers=256MB"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  .ci/postgres.sh stop
  rm -rf "$work"
}
trap cleanup EXIT
pg_url=$(.ci/postgres.sh start)

# The bodies: runs as `guardrail check --server` uploads them.
python3 - "$work" <<'PY'
import json, sys
for n in (100, 10000):
    findings = [{
        "fingerprint": f"{i:016x}", "policy": f"AWS-S3-{i % 12 + 1:03}", "pack": "builtin",
        "resource": f"aws_s3_bucket.bucket_{i}", "resource_type": "aws_s3_bucket",
        "outcome": "violation", "level": "mandatory", "severity": "high", "blocking": True,
        "message": f"bucket `bucket_{i}` allows public read access through its ACL `public-read`",
    } for i in range(n)]
    body = {"kind": "plan", "outcome": "blocked", "commit": "0123456789abcdef",
            "branch": "main", "findings": findings}
    with open(f"{sys.argv[1]}/run-{n}.json", "w") as f:
        json.dump(body, f)
PY

# CPU time (ms) used so far by the processes named: the service, and the PostgreSQL server with
# its connection processes (those that ended are not counted: none do while the load runs).
cpu_ms() {
  local total=0 pid ticks
  for pid in "$@"; do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}
db_pids() {
  local main
  main=$(head -n 1 "$GUARDRAIL_POSTGRES_DIR/data/postmaster.pid")
  echo "$main $(pgrep -P "$main" | tr '\n' ' ')"
}

# Starts `guardrail serve` with the given options; sets `url` and `token`.
serve() {
  local log=$work/serve-$RANDOM.log
  "$bin" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
  token=$(grep -o 'grd_[0-9a-f]*' "$log" | head -n 1)
  [ -n "$url" ] && [ -n "$token" ] || { cat "$log" >&2; exit 1; }
}

results=.bench/results
mkdir -p "$results"
out=$results/server.md
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(lscpu | sed -n 's/^Model name: *//p'); $seconds s per scenario"
  echo
  echo "| database | run | connections | uploads/s | p50 | p99 | errors | CPU ms per upload: service | database |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$out"

# One scenario: wrk against the runs route; appends a line to the table.
load() {
  local db=$1 findings=$2 connections=$3 threads=$(( $3 < 2 ? 1 : 2 ))
  local report service=${pids[-1]}
  local before_service before_db=0 after_db=0
  before_service=$(cpu_ms "$service")
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && before_db=$(cpu_ms $(db_pids))
  report=$(BODY="$work/run-$findings.json" TOKEN="$token" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency --timeout 10s \
    -s bench/server.lua "$url/api/v1/stacks/default/app/prod/runs")
  local service_ms=$(( $(cpu_ms "$service") - before_service ))
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && after_db=$(cpu_ms $(db_pids))
  echo "$report" >"$work/wrk-$db-$findings.txt"
  local rps p50 p99 errors
  rps=$(echo "$report" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(echo "$report" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$report" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$report" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}')
  local requests db_cost=-
  requests=$(echo "$report" | awk '/requests in/ {print $1}')
  [ "$db" = postgres ] && db_cost=$(awk -v ms=$((after_db - before_db)) -v n="$requests" 'BEGIN {printf "%.2f", ms / n}')
  printf '| %s | %s findings | %s | %.0f | %s | %s | %s | %s | %s |\n' \
    "$db" "$findings" "$connections" "$rps" "$p50" "$p99" "$errors" \
    "$(awk -v ms="$service_ms" -v n="$requests" 'BEGIN {printf "%.2f", ms / n}')" "$db_cost" | tee -a "$out"
}

for db in sqlite postgres; do
  if [ "$db" = sqlite ]; then
    serve --data-dir "$work/sqlite"
  else
    serve --database "$pg_url?schema=bench"
  fi
  load "$db" 100 16
  load "$db" 10000 1
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
done
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)" | tee -a "$out"
echo
echo "results: $out"
