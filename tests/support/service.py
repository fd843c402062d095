"""Starts a real `secondments serve` for the Python-driven checks
(schemathesis, the generated client): a free port, a fresh SQLite file,
mail kept in memory, the scheduler on as in production."""

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, "target", "debug", "secondments")
ADMIN_EMAIL = "admin@demo.gov.vn"
PASSWORD = "a sufficiently long password"
# The first administrator starts with this one and must replace it (with
# PASSWORD, in Api.first_admin) before anything else (decision 0039).
FIRST_ADMIN_PASSWORD = "the first administrator's start password"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_service(binary=BINARY):
    """Yields the base URL of a started service; stops it afterwards."""
    work = tempfile.mkdtemp(prefix="secondments-py-")
    port = _free_port()
    env = dict(
        os.environ,
        SECONDMENTS_ENV="development",
        SECONDMENTS__SERVER__PORT=str(port),
        SECONDMENTS__DATABASE__URL=f"sqlite://{work}/service.db",
        SECONDMENTS__MAIL__TRANSPORT="memory",
        SECONDMENTS__SCHEDULER__ALLOW_DATE_OVERRIDE="true",
        SECONDMENTS__AUTH__AUTH_REQUESTS_PER_IP_PER_MINUTE="100000",
        SECONDMENTS_ADMIN_PASSWORD=FIRST_ADMIN_PASSWORD,
        SECONDMENTS_ADMIN_EMAIL=ADMIN_EMAIL,
        RUST_LOG="warn",
    )
    log_path = os.path.join(work, "server.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/ready")
                break
            except Exception:
                if server.poll() is not None:
                    raise SystemExit(f"the service did not start; see {log_path}")
                time.sleep(0.1)
        yield base
        if server.poll() is not None:
            raise SystemExit(f"the service stopped during the run; see {log_path}")
    finally:
        server.terminate()
        server.wait(timeout=10)


class Api:
    """A tiny JSON client for setting up data (not the client under test)."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req) as res:
                status, text = res.status, res.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        if status not in expect:
            raise SystemExit(f"{method} {path} -> {status}: {text[:500]!r}")
        return json.loads(text) if text else None

    def login(self, email, password=PASSWORD):
        body = {"email": email, "password": password}
        return self.call("POST", "/api/v1/auth/login", body)["access_token"]

    def first_admin(self):
        """Signs in as the first administrator, replacing its start password
        with PASSWORD as the first sign-in requires; returns the access token
        (valid everywhere once the change is made)."""
        body = {"email": ADMIN_EMAIL, "password": FIRST_ADMIN_PASSWORD}
        tokens = self.call("POST", "/api/v1/auth/login", body)
        if not tokens.get("password_change_required"):
            raise SystemExit("the first administrator was not asked to change its password")
        change = {"current_password": FIRST_ADMIN_PASSWORD, "new_password": PASSWORD}
        self.call("POST", "/api/v1/me/password", change, tokens["access_token"], expect=(204,))
        return tokens["access_token"]
