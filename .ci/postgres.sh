# Source me: start a throwaway PostgreSQL server for the tests and export SUMMARIZER_TEST_DATABASE_URL.
# Debian's package gives initdb and pg_ctl (installed here when missing); the cluster lives in a temporary
# directory, listens on a free port of 127.0.0.1 only, trusts local connections, and is stopped and removed
# when the shell that sourced this exits. initdb refuses to run as root, so as root it runs as the
# package's "postgres" user.
_pg_bin() {
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }; done
  command -v pg_ctl >/dev/null && dirname "$(command -v pg_ctl)"
}
if [ -z "$(_pg_bin)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_BIN="$(_pg_bin)"
PG_DIR="$(mktemp -d /tmp/summarizer-pg.XXXXXX)"
PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
_pg_as_owner "'$PG_BIN/initdb' -D '$PG_DIR/data' -U postgres -A trust -E UTF8 --no-locale" >/dev/null
_pg_as_owner "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/log' -w -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null
_pg_stop() {
  _pg_as_owner "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap _pg_stop EXIT
export SUMMARIZER_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL for the tests: $SUMMARIZER_TEST_DATABASE_URL"
