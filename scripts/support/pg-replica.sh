#!/usr/bin/env bash
# Starts a local PostgreSQL streaming replica of the cluster on
# 127.0.0.1:5432 (pg_basebackup into a second data directory, hot standby
# on port 5433), for the test of `database.read_url`. Idempotent: a replica
# already answering is left as it is. Prints nothing on success; exits
# non-zero when it cannot (the caller decides whether that fails the run).
set -euo pipefail

PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
DATA="${REPLICA_DATA:-/tmp/secondments-pg-replica}"

in_recovery() {
    [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAtc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]
}
in_recovery && exit 0

bin=""
for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_basebackup" ] && bin="$dir"
done
[ -n "$bin" ] || { echo "pg_basebackup not found" >&2; exit 1; }
as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi
}

# The primary must accept replication connections from loopback.
hba="$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc 'SHOW hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc 'SELECT pg_reload_conf()' >/dev/null
fi

if [ -f "$DATA/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl -D $DATA -m fast stop" >/dev/null 2>&1 || true
fi
rm -rf "$DATA"
mkdir -p "$DATA"
chmod 700 "$DATA"
[ "$(id -u)" = 0 ] && chown postgres "$DATA"
as_postgres "$bin/pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D $DATA -R -X stream"
cat >"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 100
shared_buffers = 64MB
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
[ "$(id -u)" = 0 ] && chown postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf"
as_postgres "$bin/pg_ctl -D $DATA -l $DATA/server.log -w start" >/dev/null
for _ in $(seq 1 30); do in_recovery && exit 0; sleep 1; done
echo "the replica did not come up; see $DATA/server.log" >&2
exit 1
