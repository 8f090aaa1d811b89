#!/usr/bin/env bash
# The policy service's benchmark (issue 11): run uploads per second and their latency under
# concurrent load from `wrk`, against a release build of `guardrail serve` on SQLite and on
# PostgreSQL, one after the other in one run.
#
#   bench/server.sh                      15 s per scenario
#   BENCH_SECONDS=30 bench/server.sh
#   BEFORE_BIN=/path/to/old/guardrail bench/server.sh
#                                        the same scenarios with an older build too, each one
#                                        right before the current build's (side by side)
#   BENCH_BIN=/path/to/guardrail bench/server.sh
#                                        measures that binary instead of building this tree
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
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  cargo build --release -p guardrail
  bin=$PWD/target/release/guardrail
fi
builds=(after)
if [ -n "${BEFORE_BIN:-}" ]; then
  [ -x "$BEFORE_BIN" ] || { echo "BEFORE_BIN: \`$BEFORE_BIN\` is not an executable" >&2; exit 2; }
  builds=(before after)
fi

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
# its connection processes. `cpu_snapshot PID…` prints `PID TICKS` lines; `cpu_since FILE PID…`
# the CPU time those processes used since that snapshot (one that started since counts whole;
# one that ended, such as a connection of the service stopped before, is left out).
cpu_snapshot() {
  local pid
  for pid in "$@"; do
    echo "$pid $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
  done
}
cpu_since() {
  local file=$1
  shift
  cpu_snapshot "$@" | awk -v hz="$(getconf CLK_TCK)" '
    NR == FNR { before[$1] = $2; next }
    { total += $2 - before[$1] }
    END { printf "%d", total * 1000 / hz }' "$file" -
}
db_pids() {
  local main
  main=$(head -n 1 "$GUARDRAIL_POSTGRES_DIR/data/postmaster.pid")
  echo "$main $(pgrep -P "$main" | tr '\n' ' ')"
}

# Starts `guardrail serve` of the build `$1` (`before` or `after`) with the other options; sets
# `url` and `token`.
serve() {
  local log=$work/serve-$RANDOM.log exe=$bin
  [ "$1" = before ] && exe=$BEFORE_BIN
  shift
  "$exe" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
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
  echo "| build | database | run | connections | uploads/s | p50 | p99 | errors | CPU ms per upload: service | database | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$out"

# One scenario: wrk against the runs route; appends a line to the table.
load() {
  local build=$1 db=$2 findings=$3 connections=$4 threads=$(( $4 < 2 ? 1 : 2 ))
  local report service=${pids[-1]} db_ms=0
  cpu_snapshot "$service" >"$work/cpu-service"
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && cpu_snapshot $(db_pids) >"$work/cpu-db"
  report=$(BODY="$work/run-$findings.json" TOKEN="$token" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency --timeout 10s \
    -s bench/server.lua "$url/api/v1/stacks/default/app/prod/runs")
  local service_ms
  service_ms=$(cpu_since "$work/cpu-service" "$service")
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && db_ms=$(cpu_since "$work/cpu-db" $(db_pids))
  echo "$report" >"$work/wrk-$build-$db-$findings.txt"
  local rps p50 p99 errors
  rps=$(echo "$report" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(echo "$report" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$report" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$report" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}')
  local requests db_cost=-
  requests=$(echo "$report" | awk '/requests in/ {print $1}')
  [ "$db" = postgres ] && db_cost=$(awk -v ms="$db_ms" -v n="$requests" 'BEGIN {printf "%.2f", ms / n}')
  printf '| %s | %s | %s findings | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' \
    "$build" "$db" "$findings" "$connections" "$rps" "$p50" "$p99" "$errors" \
    "$(awk -v ms="$service_ms" -v n="$requests" 'BEGIN {printf "%.2f", ms / n}')" "$db_cost" \
    "$(cut -d ' ' -f 1 /proc/loadavg)" | tee -a "$out"
}

# Each build on a database of its own (a fresh SQLite file, a fresh PostgreSQL schema), one
# right after the other on each database, so that they meet the same load.
for db in sqlite postgres; do
  for build in "${builds[@]}"; do
    if [ "$db" = sqlite ]; then
      serve "$build" --data-dir "$work/sqlite-$build"
    else
      serve "$build" --database "$pg_url?schema=bench_$build"
    fi
    load "$build" "$db" 100 16
    load "$build" "$db" 10000 1
    kill "${pids[-1]}"
    wait "${pids[-1]}" 2>/dev/null || true
  done
done
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)" | tee -a "$out"
echo
echo "results: $out"
