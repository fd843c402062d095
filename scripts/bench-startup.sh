#!/usr/bin/env bash
# Measures, over N runs (default 9), the time from process start to
# /ready = 200 and the resident memory once idle, on SQLite and (when
# reachable) PostgreSQL, and prints the medians.
#   scripts/bench-startup.sh [N]
# Needs a release build (cargo build --release) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-9}"
BIN=target/release/secondments
PG_ADMIN_URL="${TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # $1 = label, $2 = database url
    local label=$1 url=$2 port=18087
    : > "$WORK/ms" ; : > "$WORK/rss"
    # Migrate and create a user first, so every measured start is a restart.
    SECONDMENTS__DATABASE__URL="$url" "$BIN" create-admin --email bench@example.vn \
        --password bench-password-long >/dev/null 2>&1
    for _ in $(seq 1 "$RUNS"); do
        local start end pid
        start=$(date +%s%N)
        SECONDMENTS__DATABASE__URL="$url" SECONDMENTS__SERVER__PORT=$port \
        RUST_LOG=warn "$BIN" serve >/dev/null 2>&1 &
        pid=$!
        until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.005; done
        end=$(date +%s%N)
        echo $(( (end - start) / 1000000 )) >> "$WORK/ms"
        sleep 1
        awk '/VmRSS/ {print $2}' "/proc/$pid/status" >> "$WORK/rss"
        kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    done
    printf '%-11s start to /ready: median %s ms (runs: %s)   idle RSS: median %s KiB\n' \
        "$label" "$(median < "$WORK/ms")" "$(tr '\n' ' ' < "$WORK/ms")" "$(median < "$WORK/rss")"
}

measure sqlite "sqlite://$WORK/bench.db"
if psql "$PG_ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    DB=secondments_bench_startup
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
    measure postgresql "${PG_ADMIN_URL%/*}/$DB"
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
fi
