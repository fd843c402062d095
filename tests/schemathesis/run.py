#!/usr/bin/env python3
"""Runs schemathesis against a real `secondments serve` with demo-like data.

Starts the built binary on a free port with a fresh SQLite database (the
scheduler on, as in production), loads a small Thai Nguyen story through
the API, signs in one user of each role, and runs `schemathesis run` with
every check (schemathesis.toml at the repository root), positive and
negative modes and the stateful phase, with a fixed seed and a time budget
per role. Exits non-zero on any failure.

    tests/schemathesis/run.py [--binary target/debug/secondments] [--seconds 60]
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from service import BINARY, PASSWORD, ROOT, Api, running_service  # noqa: E402


def seed(api, admin):
    """A ministry seconding a cadre to a province, approved and running."""
    unit = lambda code, name, kind, parent=None: api.call(  # noqa: E731
        "POST",
        "/api/v1/org-units",
        {"code": code, "name": name, "kind": kind, "parent_id": parent, "valid_from": "2000-01-01"},
        admin,
    )["id"]
    ministry = unit("BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    dept = unit("BKHCN-CDS", "Cục Chuyển đổi số quốc gia", "ministry_department", ministry)
    province = unit("P19", "Tỉnh Thái Nguyên", "province")
    host = unit("P19-SKHCN", "Sở Khoa học và Công nghệ Thái Nguyên", "provincial_department", province)
    official = api.call(
        "POST",
        "/api/v1/officials",
        {"staff_code": "MIC-0001", "full_name": "Phạm Quang Hiếu",
         "email": "hieu.pq@mic.gov.vn", "home_unit_id": dept},
        admin,
    )["id"]

    def user(role, unit_id=None, official_id=None, name=None):
        email = f"{role}@demo.gov.vn"
        api.call(
            "POST",
            "/api/v1/users",
            {"email": email, "password": PASSWORD, "role": role, "full_name": name,
             "org_unit_id": unit_id, "official_id": official_id},
            admin,
        )
        return api.login(email, PASSWORD)

    tokens = {
        "hr_officer": user("hr_officer", ministry, name="Trần Thị Nhân Sự"),
        "director": user("director", dept, name="Lê Văn Cục Trưởng"),
        "cadre": user("cadre", dept, official, name="Phạm Quang Hiếu"),
    }
    api.call(
        "POST",
        "/api/v1/users",
        {"email": "host.director@demo.gov.vn", "password": PASSWORD, "role": "director",
         "org_unit_id": host, "full_name": "Nguyễn Văn Giám Đốc"},
        admin,
    )
    host_director = api.login("host.director@demo.gov.vn", PASSWORD)
    s = api.call(
        "POST",
        "/api/v1/secondments",
        {"official_id": official, "host_unit_id": host, "ground": "fixed_term_task",
         "position_title": "Phó Giám đốc Sở (biệt phái)",
         "mandate": "Đầu mối triển khai Nghị quyết 01 về chuyển đổi số",
         "start_date": "2021-04-01", "end_date": "2024-03-31",
         "agreement_ref": "TT-01/2021", "consultation": {"held_on": "2021-03-15"}},
        tokens["hr_officer"],
    )["id"]
    api.call("POST", f"/api/v1/secondments/{s}/submit", {}, tokens["hr_officer"])
    api.call("POST", f"/api/v1/secondments/{s}/approve", {}, tokens["director"])
    api.call("POST", f"/api/v1/secondments/{s}/approve", {"decision_ref": "QĐ-1/2021"}, host_director)
    api.call("POST", "/api/v1/admin/tick", {"date": "2021-04-01"}, admin)
    api.call(
        "POST",
        f"/api/v1/secondments/{s}/outcomes",
        {"title": "Cổng dịch vụ công tỉnh", "pillar": "digital_government",
         "occurred_on": "2021-09-01",
         "metrics": [{"name": "dịch vụ công toàn trình", "value": 85, "unit": "%"}]},
        tokens["cadre"],
    )
    api.call(
        "POST",
        f"/api/v1/secondments/{s}/extensions",
        {"requested_end_date": "2024-03-31", "reason": "Hoàn thành Đề án 06"},
        tokens["cadre"],
        expect=(201, 422),
    )
    # A second draft for the write operations to work on.
    other = api.call(
        "POST",
        "/api/v1/officials",
        {"staff_code": "MIC-0002", "full_name": "Đặng Thu Hà",
         "email": "ha.dt@mic.gov.vn", "home_unit_id": dept},
        admin,
    )["id"]
    api.call(
        "POST",
        "/api/v1/secondments",
        {"official_id": other, "host_unit_id": host, "ground": "urgent_task",
         "position_title": "Chuyên viên", "start_date": "2027-01-01", "end_date": "2027-12-31"},
        tokens["hr_officer"],
    )
    return tokens


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=BINARY)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SCHEMATHESIS_SECONDS", 40)))
    args = parser.parse_args()
    st = shutil.which("schemathesis")
    if st is None:
        raise SystemExit("schemathesis is not installed (scripts/test.sh installs it)")
    with running_service(args.binary) as base:
        api = Api(base)
        admin = api.first_admin()
        tokens = seed(api, admin)
        tokens["admin"] = admin
        failed = []
        # The administrator last: its fuzzing changes accounts the others use.
        for role in ["cadre", "director", "hr_officer", "admin"]:
            seconds = args.seconds * (3 if role == "admin" else 1)
            print(f"\n== schemathesis as {role} ({seconds} s)", flush=True)
            cmd = [
                st, "run", f"{base}/openapi.json",
                "--checks", "all",
                "--exclude-checks", "positive_data_acceptance",
                "--mode", "all",
                "--phases", "examples,coverage,fuzzing,stateful",
                "--max-time", str(seconds),
                "--no-color",
                "-H", f"Authorization: Bearer {tokens[role]}",
            ]
            if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                failed.append(role)
    if failed:
        print(f"\nschemathesis found failures as: {', '.join(failed)}")
        return 1
    print("\nschemathesis: 0 failures for every role")
    return 0


if __name__ == "__main__":
    sys.exit(main())
