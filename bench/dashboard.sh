#!/usr/bin/env bash
# The dashboard's benchmark (issue 12): page latency for an organization with 100,000 recorded
# runs, on SQLite and on PostgreSQL side by side. The history is written through the store by
# `guardrail-bench gen-history` (200 stacks, 90 days, exemptions approved and pending); then
# `wrk` asks each page with the admin's session cookie.
#
#   bench/dashboard.sh                        100k runs, 10 s per page, debug build
#   BENCH_RUNS=10k BENCH_SECONDS=5 bench/dashboard.sh
#   BENCH_PROFILE=release bench/dashboard.sh  a release build (what users run)
#
# The debug build is the workspace's dev profile, whose dependencies (SQLite, the PostgreSQL
# client, plotters, axum) are optimized (opt-level 2) and guardrail's own crates are not: an
# upper bound of a release build's latency. Results: .bench/results/dashboard.md.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-100k}
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-4}
profile=${BENCH_PROFILE:-debug}
if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
fi
if [ "$profile" = release ]; then
  cargo build --release -p guardrail -p guardrail-bench
else
  cargo build -p guardrail -p guardrail-bench
fi
bin=$PWD/target/$profile

work=$(mktemp -d)
export GUARDRAIL_POSTGRES_DIR="$work/postgres"
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

results=.bench/results
mkdir -p "$results"
out=$results/dashboard.md
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(lscpu | sed -n 's/^Model name: *//p'); $profile build; $runs runs; $seconds s and $connections connections per page"
  echo
  echo "| database | page | requests/s | p50 | p99 | errors | CPU ms per request: service | database |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$out"

# CPU time (ms) used so far by the processes named: the service, and the PostgreSQL server
# with its connection processes.
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

# Starts `guardrail serve` with the given options; sets `url`.
serve() {
  local log=$work/serve-$RANDOM.log
  "$bin/guardrail" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] || { cat "$log" >&2; exit 1; }
}

# One page under wrk; appends a line to the table.
page() {
  local db=$1 path=$2 report service=${pids[-1]} before_service before_db=0 after_db=0
  before_service=$(cpu_ms "$service")
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && before_db=$(cpu_ms $(db_pids))
  report=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency --timeout 10s \
    -H "Cookie: guardrail_session=$token" "$url$path")
  local service_ms=$(( $(cpu_ms "$service") - before_service ))
  # shellcheck disable=SC2046
  [ "$db" = postgres ] && after_db=$(cpu_ms $(db_pids))
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: guardrail_session=$token" "$url$path")
  [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
  local rps p50 p99 errors
  rps=$(echo "$report" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(echo "$report" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$report" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$report" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}')
  local requests db_cost=-
  requests=$(echo "$report" | awk '/requests in/ {print $1}')
  [ "$db" = postgres ] && db_cost=$(awk -v ms=$((after_db - before_db)) -v n="$requests" 'BEGIN {printf "%.1f", ms / n}')
  printf '| %s | `%s` | %.1f | %s | %s | %s | %s | %s |\n' "$db" "$path" "$rps" "$p50" "$p99" "$errors" \
    "$(awk -v ms="$service_ms" -v n="$requests" 'BEGIN {printf "%.1f", ms / n}')" "$db_cost" | tee -a "$out"
}

for db in sqlite postgres; do
  start=$(date +%s)
  if [ "$db" = sqlite ]; then
    token=$("$bin/guardrail-bench" gen-history --runs "$runs" --data-dir "$work/sqlite")
    serve --data-dir "$work/sqlite"
  else
    token=$("$bin/guardrail-bench" gen-history --runs "$runs" --database "$pg_url?schema=bench")
    serve --database "$pg_url?schema=bench"
  fi
  echo "$db: the history of $runs runs written through the store in $(( $(date +%s) - start )) s" >>"$work/generated"
  for path in / '/?days=90' /stacks/project-03/stack-004 /policies/AWS-S3-001 /exemptions; do
    page "$db" "$path"
  done
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
done
{ echo; cat "$work/generated"; echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"; } | tee -a "$out"
echo
echo "results: $out"
