#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests' PostgreSQL half: its own data directory, a free port on
# 127.0.0.1 and a socket in its directory, run as a user who is not root (PostgreSQL refuses root), with
# durability off (fsync): the tests need its SQL and its locks, not its crash safety. Nothing else on the
# machine is touched: a PostgreSQL already running keeps running, its data untouched.
#
#   eval "$(bash test/setup/postgres.sh start)"   # installs Debian's postgresql when missing; exports
#                                                  # TEST_DATABASE_URL and TEST_POSTGRES_DIR
#   bash test/setup/postgres.sh stop "$TEST_POSTGRES_DIR"
#   bash test/setup/postgres.sh hint                # says which engine npm test ran on, and how to run the other
#   bash test/setup/postgres.sh run COMMAND...      # start, run COMMAND with TEST_DATABASE_URL, stop (whatever
#                                                  # happens); a TEST_DATABASE_URL already set is used instead
#
# Everything but the two exports goes to stderr, so that eval sees only them.
set -euo pipefail

say() { echo "postgres.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

bin_dir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

install_postgres() {
  say "PostgreSQL is not installed: installing Debian's postgresql..."
  # Only the server's programs are needed: Debian's own cluster (main) is not created.
  as_root mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] || echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin
  bin=$(bin_dir) || { install_postgres || { say "cannot install postgresql: run 'sudo apt-get install postgresql'"; exit 1; }; bin=$(bin_dir); }
  local dir port owner
  dir=$(mktemp -d "${TMPDIR:-/tmp}/registry-postgres.XXXXXX")
  port=$(free_port)
  # PostgreSQL will not run as root: as root, the cluster belongs to the postgres user Debian's package made.
  if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    as_owner() { runuser -u "$owner" -- "$@"; }
  else
    owner=$(id -un)
    as_owner() { "$@"; }
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started as $owner on 127.0.0.1:$port, data in $dir"
  echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export TEST_POSTGRES_DIR=$dir"
}

stop() {
  local dir=${1:?the directory start printed (TEST_POSTGRES_DIR)}
  [ -d "$dir/data" ] || { say "no cluster in $dir"; exit 0; }
  local bin
  bin=$(bin_dir)
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$(stat -c %U "$dir")" -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
  say "stopped and removed $dir"
}

run() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    say "using TEST_DATABASE_URL as set (${TEST_DATABASE_URL%%@*}@…)"
    "$@"
    return
  fi
  eval "$(start)"
  trap 'stop "$TEST_POSTGRES_DIR"' EXIT
  trap 'exit 130' INT TERM
  "$@"
}

# After `npm test`: which engine the tests ran on, and how to run the other half.
hint() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "These tests ran on PostgreSQL (TEST_DATABASE_URL)."
  else
    echo "These tests ran on SQLite. Their PostgreSQL half: npm run test:postgres (starts a throwaway PostgreSQL,"
    echo "installing Debian's postgresql when missing), or TEST_DATABASE_URL=postgres://user@host:5432/db npm test."
  fi
}

case "${1:-}" in
  hint) hint ;;
  start) start ;;
  stop) stop "${2:-}" ;;
  run) shift; [ $# -gt 0 ] || { echo "usage: $0 run COMMAND..." >&2; exit 2; }; run "$@" ;;
  *) echo "usage: $0 start | stop DIR | run COMMAND... | hint" >&2; exit 2 ;;
esac
