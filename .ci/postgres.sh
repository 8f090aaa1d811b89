#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (and the benchmark), from Debian's packages.
#
#   .ci/postgres.sh start   starts it (installing `postgresql` when missing) and prints its URL
#   .ci/postgres.sh url     prints the URL of the running one
#   .ci/postgres.sh stop    stops it and deletes its data
#
#   export GUARDRAIL_TEST_POSTGRES=$(.ci/postgres.sh start)
#   cargo test -p guardrail-store
#
# The cluster lives in GUARDRAIL_POSTGRES_DIR (default: /tmp/guardrail-postgres-$UID), listens on
# 127.0.0.1 on a free port and on a socket in that directory, and trusts local connections: it is
# for tests only. GUARDRAIL_POSTGRES_SETTINGS adds server settings (`-c name=value ...`).
set -euo pipefail

dir=${GUARDRAIL_POSTGRES_DIR:-${TMPDIR:-/tmp}/guardrail-postgres-$(id -u)}
cmd=${1:-}

bindir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

# Runs a PostgreSQL program as the owner of the cluster: PostgreSQL refuses to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -f "$dir/url" ] && [ -d "$dir/data" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

case "$cmd" in
start)
  if [ -z "$(bindir)" ]; then
    echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
  fi
  bin=$(bindir) || { echo "postgres.sh: no PostgreSQL after installing it" >&2; exit 1; }
  if running; then cat "$dir/url"; exit 0; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    # The server runs as `postgres`: it needs to reach and own its directory.
    chmod o+x "$(dirname "$dir")"
    chown postgres "$dir"
  fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # shellcheck disable=SC2086
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 ${GUARDRAIL_POSTGRES_SETTINGS:-}" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres" >"$dir/url"
  cat "$dir/url"
  ;;
url)
  if running; then cat "$dir/url"; else echo "postgres.sh: not running (in $dir)" >&2; exit 1; fi
  ;;
stop)
  if [ -d "$dir/data" ] && [ -n "$(bindir)" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: .ci/postgres.sh start|url|stop" >&2
  exit 2
  ;;
esac
