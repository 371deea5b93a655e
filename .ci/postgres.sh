#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests: Debian's package, run as the `postgres` user, listening on loopback
# only, with its data in a temporary folder. Prints the Npgsql connection string the tests read from
# CHATOPSMFA_TEST_POSTGRES. Usage: .ci/postgres.sh [port, default 55432]
set -euo pipefail
port="${1:-55432}"

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  # Only the connection string goes to standard output (.ci/run captures it); the rest goes to standard error.
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

run_as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

data="${CHATOPSMFA_PG_DATA:-/tmp/chatopsmfa-pg-$port}"
if run_as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=chatopsmfa-ci"
  exit 0
fi
rm -rf "$data"
mkdir -p "$data"
chown postgres:postgres "$data" 2>/dev/null || true
pwfile=$(mktemp)
echo "chatopsmfa-ci" > "$pwfile"
chmod 644 "$pwfile"
run_as_postgres "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
rm -f "$pwfile"
# Loopback only; a socket directory of its own so no system folder is needed. Tests start several bot processes,
# each with a connection pool, so allow plenty of connections.
run_as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >&2
echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=chatopsmfa-ci"
