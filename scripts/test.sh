#!/usr/bin/env bash
# The whole test suite: unit tests, then the integration tests on SQLite and
# on PostgreSQL. Sets up what it needs on a fresh machine: libpq, the Python
# OpenAPI validator, a running local PostgreSQL cluster, Debian's chromium
# and the npm packages of the browser tests. Under CI=true a missing
# PostgreSQL or browser fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_ADMIN_URL="${TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_HOST=127.0.0.1
PG_PORT=5432

say() { printf '\n== %s\n' "$*"; }

fail_or_skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "error: $*" >&2
        exit 1
    fi
    echo "warning: $* (skipped outside CI)" >&2
}

# libpq is needed to link the PostgreSQL driver.
if ! ldconfig -p 2>/dev/null | grep -q 'libpq\.so'; then
    say "installing libpq-dev"
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq libpq-dev
    else
        echo "error: libpq is missing; install the Debian package libpq-dev" >&2
        exit 1
    fi
fi

say "Python tools (openapi-spec-validator, aiosmtpd, schemathesis, openapi-python-client, openpyxl, icalendar)"
if ! python3 -c 'import openapi_spec_validator, aiosmtpd, openpyxl, icalendar' 2>/dev/null \
    || ! command -v schemathesis >/dev/null || ! command -v openapi-python-client >/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        'openapi-spec-validator>=0.7' 'aiosmtpd>=1.4' 'schemathesis>=4.3,<5' \
        'openapi-python-client>=0.24' 'openpyxl>=3.1' 'icalendar>=5' \
        || fail_or_skip "could not install the Python test tools"
fi

say "PostgreSQL"
pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
if ! pg_ready; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        for version in $(ls /etc/postgresql); do
            pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
        done
        for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
    fi
fi
PG_OK=false
if pg_ready && psql "$PG_ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    PG_OK=true
    # Drop databases left behind by interrupted earlier runs.
    psql "$PG_ADMIN_URL" -qAtc \
        "SELECT datname FROM pg_database WHERE datname LIKE 'secondments_test_%'" |
        while read -r db; do
            psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
        done
else
    fail_or_skip "PostgreSQL is not reachable at $PG_ADMIN_URL"
fi

say "unit tests and integration tests on SQLite"
cargo test --lib --bins --tests

say "third-party clients: schemathesis and a generated Python client"
if command -v schemathesis >/dev/null && command -v openapi-python-client >/dev/null; then
    python3 tests/schemathesis/run.py --binary target/debug/secondments
    python3 tests/client/run.py --binary target/debug/secondments
else
    fail_or_skip "schemathesis or openapi-python-client is missing"
fi

say "the web console in a real browser (Debian chromium, playwright-core, axe-core)"
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
        || echo "warning: could not install chromium" >&2
fi
if command -v chromium >/dev/null && command -v npm >/dev/null; then
    if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
        (cd tests/browser && npm ci --no-audit --no-fund --silent) || fail_or_skip "could not install playwright-core and axe-core from npm"
    fi
    CHROMIUM="$(command -v chromium)" node tests/browser/run.mjs target/debug/secondments
    CHROMIUM="$(command -v chromium)" node tests/browser/newcomer.mjs target/debug/secondments
else
    fail_or_skip "chromium or npm is missing for the browser tests"
fi

if [ "$PG_OK" = true ]; then
    say "a streaming replica for the database.read_url test"
    REPLICA_URL=""
    if scripts/support/pg-replica.sh; then
        REPLICA_URL="postgres://postgres@127.0.0.1:5433/postgres"
    else
        fail_or_skip "could not start a local PostgreSQL replica"
    fi
    say "integration tests on PostgreSQL"
    TEST_DATABASE_URL="$PG_ADMIN_URL" TEST_REPLICA_URL="$REPLICA_URL" cargo test --test api
fi
