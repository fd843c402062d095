#!/usr/bin/env python3
"""The benchmark harness: one command, one machine, every figure side by side.

    scripts/bench                       # PostgreSQL at 10k, 100k, 1M; SQLite at 10k, 100k
    scripts/bench --scales 10000 --backends sqlite --seconds 5   # a quick look

For each backend and scale it: creates a fresh database, seeds it with the
release binary's `seed` command (timed), starts `secondments serve`
(release, scheduler off so nothing but the load runs), and drives it with
`wrk` (Debian) at `--clients` connections: GET /secondments/{id}, the list
as an HR officer of one province with an end-date range, official search,
/reports/summary, and login at 8 connections. It times one daily tick (POST
/admin/tick) and one CSV export of up to 100,000 secondments, and reads the
server's peak resident memory (VmHWM) at the end. The reference in the same
run is `pgbench -S -M prepared` over TCP with the same clients against the
same PostgreSQL (PostgreSQL runs), the service's own /health (SQLite runs).

Writes target/bench/results.md (the tables for docs/performance.md) and
target/bench/results.json. Needs: wrk, pgbench, a PostgreSQL on
--pg-url (trust auth), cargo.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "secondments"
OUT = ROOT / "target" / "bench"
PASSWORD = "bench-password-1234"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, token=None, body=None, accept="application/json"):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", accept)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=600) as res:
        raw = res.read()
    return raw if accept != "application/json" else json.loads(raw or b"{}")


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, token, seconds, clients, lua=None):
    cmd = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if lua:
        cmd += ["-s", lua]
    out = sh(cmd + [url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": to_ms(pct.get("50", "")),
        "p99_ms": to_ms(pct.get("99", "")),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def pgbench(pg_url, seconds, clients):
    base = pg_url.rsplit("/", 1)[0]
    db = "bench_pgbench"
    sh(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db])
    sh(["createdb", "-h", "127.0.0.1", "-U", "postgres", db])
    sh(["pgbench", "-i", "-q", "-s", "10", f"{base}/{db}"])
    out = sh([
        "pgbench", "-S", "-M", "prepared", f"-c{clients}", "-j2", f"-T{seconds}",
        "-r", f"{base}/{db}",
    ]).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", db])
    return {"tps": tps}


class Server:
    def __init__(self, db_url, workdir):
        self.port = free_port()
        env = dict(os.environ)
        env.update({
            "SECONDMENTS_ENV": "development",
            "SECONDMENTS__DATABASE__URL": db_url,
            "SECONDMENTS__SERVER__PORT": str(self.port),
            "SECONDMENTS__SCHEDULER__ENABLED": "false",
            "SECONDMENTS__SCHEDULER__ALLOW_DATE_OVERRIDE": "true",
            "SECONDMENTS__AUTH__AUTH_REQUESTS_PER_IP_PER_MINUTE": "100000000",
            "SECONDMENTS__LOG__LEVEL": "warn",
            "SECONDMENTS__MAIL__TRANSPORT": "memory",
            "SECONDMENTS_CONFIG_DIR": str(ROOT / "config"),
        })
        self.proc = subprocess.Popen(
            [str(BIN), "serve"], cwd=workdir, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(600):
            try:
                http("GET", f"{self.base}/health")
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def peak_rss_mib(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def rss_mib(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def login(base, email, password=PASSWORD):
    return http("POST", f"{base}/api/v1/auth/login",
                body={"email": email, "password": password})["access_token"]


def run_scale(backend, scale, args, tmp):
    row = {"backend": backend, "secondments": scale}
    if backend == "postgres":
        db = f"bench_{scale}"
        sh(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db])
        sh(["createdb", "-h", "127.0.0.1", "-U", "postgres", db])
        url = args.pg_url.rsplit("/", 1)[0] + f"/{db}"
    else:
        url = f"sqlite://{tmp}/bench_{scale}.db"
    officials = max(scale // 10, 100)
    env = dict(os.environ, SECONDMENTS__DATABASE__URL=url,
               SECONDMENTS_CONFIG_DIR=str(ROOT / "config"))
    started = time.monotonic()
    seeded = subprocess.run([str(BIN), "seed", "--officials", str(officials),
                             "--secondments", str(scale), "--seed", "1"],
                            check=True, env=env, cwd=tmp, capture_output=True, text=True)
    row["seed_s"] = round(time.monotonic() - started, 1)
    seed_password = re.search(r"shown only now: (\S+)", seeded.stdout).group(1)
    print(f"{backend} {scale}: seeded in {row['seed_s']} s", flush=True)

    server = Server(url, tmp)
    try:
        base, api = server.base, server.base + "/api/v1"
        admin = login(base, "quantri@seed.gov.vn", seed_password)
        province = http("GET", f"{api}/org-units?kind=province&q=Thai%20Nguyen&limit=1",
                        admin)["items"][0]["id"]
        http("POST", f"{api}/users", admin, {
            "email": "hr.bench@example.gov.vn", "password": PASSWORD,
            "role": "hr_officer", "org_unit_id": province,
        })
        hr = login(base, "hr.bench@example.gov.vn")
        some = http("GET", f"{api}/secondments?limit=1&host_unit_id={province}", admin)
        sid = some["items"][0]["id"]
        lua = Path(tmp) / "login.lua"
        lua.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.body = \'{{"email":"hr.bench@example.gov.vn","password":"{PASSWORD}"}}\'\n'
        )
        t, c = args.seconds, args.clients
        loads = {
            "get_by_id": (f"{api}/secondments/{sid}", admin, c, None),
            "list_scoped": (f"{api}/secondments?host_unit_id={province}"
                            "&ending_after=2026-01-01&ending_before=2027-12-31&limit=50",
                            hr, c, None),
            "search": (f"{api}/officials?q=nguyen%20van&limit=20", admin, c, None),
            "summary": (f"{api}/reports/summary", admin, c, None),
            "login": (f"{api}/auth/login", None, 8, str(lua)),
        }
        loads["summary_1"] = (f"{api}/reports/summary", admin, 1, None)
        loads["list_scoped_1"] = (loads["list_scoped"][0], hr, 1, None)
        if backend == "sqlite":
            loads["health"] = (f"{base}/health", None, c, None)
        wanted = args.endpoints.split(",") if args.endpoints else list(loads)
        for name, (target, token, clients, script) in loads.items():
            if name not in wanted:
                continue
            # Let the requests still queued from the previous load finish
            # (a 32-client summary at 1,000,000 leaves seconds of work).
            time.sleep(5)
            row[name] = wrk(target, token, t, clients, script)
            row[name]["peak_rss_mib"] = round(server.peak_rss_mib(), 1)
            print(f"  {name}: {row[name]}", flush=True)
        row["tick_s"] = row["next_tick_s"] = None
        if not args.no_tick:
            # The first tick catches up: the seeded history has never been
            # reminded of anything. The next working day's tick is the
            # daily one.
            started = time.monotonic()
            http("POST", f"{api}/admin/tick", admin, {})
            row["tick_s"] = round(time.monotonic() - started, 2)
            row["rss_after_catchup_mib"] = round(server.peak_rss_mib(), 1)
            # Then the daily ones: the next five working days (a Monday
            # among them), each timed; the median is the figure.
            day, daily = datetime.date.today(), []
            while len(daily) < 5:
                day += datetime.timedelta(days=1)
                if day.weekday() >= 5:
                    continue
                started = time.monotonic()
                http("POST", f"{api}/admin/tick", admin, {"date": day.isoformat()})
                daily.append(round(time.monotonic() - started, 2))
            row["daily_ticks_s"] = daily
            row["next_tick_s"] = sorted(daily)[len(daily) // 2]
        if scale <= 100_000:
            row["rss_before_csv_mib"] = round(server.rss_mib(), 1)
            started = time.monotonic()
            body = http("GET", f"{api}/secondments", admin, accept="text/csv")
            row["csv_s"] = round(time.monotonic() - started, 2)
            row["csv_rows"] = body.count(b"\r\n") - 1
            row["rss_after_csv_mib"] = round(server.rss_mib(), 1)
        else:
            row["csv_s"], row["csv_rows"] = None, 0
        row["peak_rss_mib"] = round(server.peak_rss_mib(), 1)
        print(f"  tick {row['tick_s']} s, csv {row['csv_rows']} rows in {row['csv_s']} s, "
              f"peak RSS {row['peak_rss_mib']} MiB", flush=True)
    finally:
        server.stop()
        if backend == "postgres" and not args.keep:
            sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", f"bench_{scale}"])
    if backend == "postgres":
        row["pgbench"] = pgbench(args.pg_url, args.seconds, args.clients)
        print(f"  pgbench -S: {row['pgbench']}", flush=True)
    return row


def table(rows):
    lines = []
    for r in rows:
        ref = (r["pgbench"]["tps"], "pgbench -S") if "pgbench" in r else (
            r["health"]["rps"], "/health")
        lines.append(f"\n### {r['backend']}, {r['secondments']:,} secondments\n")
        csv = (f"CSV export of {r['csv_rows']:,} rows {r['csv_s']} s" if r["csv_s"] is not None
               else "CSV export measured at 100,000")
        tick = (f"first (catch-up) tick {r['tick_s']} s (peak RSS after it "
                f"{r.get('rss_after_catchup_mib')} MiB), daily ticks of the next five "
                f"working days {r.get('daily_ticks_s')} s (median {r['next_tick_s']} s)"
                if r["tick_s"] is not None else "tick not timed")
        lines.append(f"seed {r['seed_s']} s; {tick}; {csv}; server peak RSS "
                     f"{r['peak_rss_mib']} MiB; reference {ref[1]} {ref[0]:,.0f}/s\n")
        lines.append("| endpoint | req/s | p50 ms | p99 ms | non-2xx | ratio to reference |")
        lines.append("|---|---|---|---|---|---|")
        for name in ["get_by_id", "list_scoped", "list_scoped_1", "search", "summary",
                     "summary_1", "login", "health"]:
            if name in r:
                m = r[name]
                lines.append(f"| {name} | {m['rps']:,.0f} | {m['p50_ms']:.2f} | "
                             f"{m['p99_ms']:.2f} | {m['errors']} | {m['rps'] / ref[0]:.2f} |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backends", default="postgres,sqlite")
    p.add_argument("--scales", default="10000,100000,1000000")
    p.add_argument("--sqlite-scales", default="10000,100000",
                   help="scales for SQLite (a subset of --scales)")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--endpoints", default="",
                   help="comma-separated subset of get_by_id,list_scoped,list_scoped_1,"
                        "search,summary,summary_1,login,health (default: all)")
    p.add_argument("--no-tick", action="store_true", help="skip timing the daily tick")
    args = p.parse_args()
    for tool in ["wrk", "pgbench"]:
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install wrk postgresql-client")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], check=True, cwd=ROOT)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            scales = args.scales.split(",")
            if backend == "sqlite":
                scales = [s for s in scales if s in args.sqlite_scales.split(",")]
            for scale in scales:
                rows.append(run_scale(backend, int(scale), args, tmp))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(rows, indent=2))
    text = f"Machine: {os.cpu_count()} cores; {args.clients} connections, {args.seconds} s each.\n"
    text += table(rows)
    (OUT / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
