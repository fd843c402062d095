#!/usr/bin/env python3
"""Drives one story through a client generated from /openapi.json by a
third-party generator (openapi-python-client): sign in, create the units,
people and a secondment, submit it, approve it on both sides, list it,
read its history and the audit log. Every response must parse into the
generated models; any error or unexpected status fails the run.

    tests/client/run.py [--binary target/debug/secondments]
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from service import ADMIN_EMAIL, BINARY, PASSWORD, Api, running_service  # noqa: E402


def generate(base, work):
    spec = os.path.join(work, "openapi.json")
    with urllib.request.urlopen(base + "/openapi.json") as res, open(spec, "wb") as out:
        out.write(res.read())
    out_dir = os.path.join(work, "secondments_client")
    subprocess.run(
        ["openapi-python-client", "generate", "--path", spec, "--meta", "none",
         "--output-path", out_dir],
        check=True,
    )
    sys.path.insert(0, work)
    return importlib.import_module("secondments_client")


def ok(response, status=(200, 201)):
    """The parsed body of an expected answer; anything else fails."""
    if response.status_code not in status:
        raise SystemExit(f"unexpected {response.status_code}: {response.content[:400]!r}")
    if response.parsed is None:
        raise SystemExit(f"the generated client could not parse: {response.content[:400]!r}")
    return response.parsed


def story(c, base):
    m = importlib.import_module("secondments_client.models")

    def sign_in(email):
        login = importlib.import_module("secondments_client.api.auth.post_login")
        tokens = ok(login.sync_detailed(
            client=c.Client(base_url=base),
            body=m.LoginRequest(email=email, password=PASSWORD),
        ))
        return c.AuthenticatedClient(base_url=base, token=tokens.access_token)

    admin = sign_in(ADMIN_EMAIL)
    create_unit = importlib.import_module("secondments_client.api.org_units.create_org_unit")

    def unit(code, name, kind, parent=None):
        body = m.CreateOrgUnit(code=code, name=name, kind=m.UnitKind(kind),
                               valid_from=_date("2000-01-01"))
        if parent:
            body.parent_id = parent
        return ok(create_unit.sync_detailed(client=admin, body=body)).id

    ministry = unit("BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    dept = unit("BKHCN-CDS", "Cục Chuyển đổi số quốc gia", "ministry_department", ministry)
    province = unit("P19", "Tỉnh Thái Nguyên", "province")
    host = unit("P19-SKHCN", "Sở Khoa học và Công nghệ", "provincial_department", province)

    create_official = importlib.import_module("secondments_client.api.officials.create_official")
    official = ok(create_official.sync_detailed(client=admin, body=m.CreateOfficial(
        staff_code="MIC-0001", full_name="Phạm Quang Hiếu", email="hieu.pq@mic.gov.vn",
        home_unit_id=dept, in_succession_plan=False,
    )))

    create_user = importlib.import_module("secondments_client.api.users.create_user")

    def user(email, role, unit_id, name):
        ok(create_user.sync_detailed(client=admin, body=m.CreateUser(
            email=email, password=PASSWORD, role=m.Role(role), org_unit_id=unit_id,
            full_name=name, disabled=False,
        )))
        return sign_in(email)

    hr = user("hr@demo.gov.vn", "hr_officer", ministry, "Trần Thị Nhân Sự")
    home_director = user("home.director@demo.gov.vn", "director", dept, "Lê Văn Cục Trưởng")
    host_director = user("host.director@demo.gov.vn", "director", host, "Nguyễn Văn Giám Đốc")

    s = importlib.import_module("secondments_client.api.secondments.create_secondment")
    created = ok(s.sync_detailed(client=hr, body=m.CreateSecondment(
        official_id=official.id, host_unit_id=host, ground=m.Ground("fixed_term_task"),
        position_title="Phó Giám đốc Sở (biệt phái)", start_date=_date("2021-04-01"),
        end_date=_date("2024-03-31"), agreement_ref="TT-01/2021",
        consultation=m.Consultation(held_on=_date("2021-03-15"), note="Đồng ý"),
        mandate="Đầu mối triển khai Nghị quyết 01",
    )))
    assert created.official.full_name == "Phạm Quang Hiếu"
    assert created.host_unit.code == "P19-SKHCN"

    submit = importlib.import_module("secondments_client.api.secondments.submit_secondment")
    ok(submit.sync_detailed(str(created.id), client=hr))

    pending = importlib.import_module("secondments_client.api.approvals.list_pending_approvals")
    waiting = ok(pending.sync_detailed(client=host_director))
    assert waiting.items[0].secondment.official.full_name == "Phạm Quang Hiếu"

    approve = importlib.import_module("secondments_client.api.approvals.approve_secondment")
    ok(approve.sync_detailed(str(created.id), client=home_director,
                             body=m.DecisionRequest(comment="Đồng ý")))
    approved = ok(approve.sync_detailed(str(created.id), client=host_director,
                                        body=m.DecisionRequest(decision_ref="QĐ-1/2021")))
    assert approved.status == "approved", approved.status
    assert approved.approvals[1].decided_by.full_name

    listing = importlib.import_module("secondments_client.api.secondments.list_secondments")
    page = ok(listing.sync_detailed(client=hr, limit=10))
    assert [x.id for x in page.items] == [created.id]

    history = importlib.import_module("secondments_client.api.secondments.secondment_history")
    entries = ok(history.sync_detailed(str(created.id), client=hr, limit=500)).items
    assert any(e.action == "secondment.submit" for e in entries)

    audit = importlib.import_module("secondments_client.api.audit.list_audit")
    trail = ok(audit.sync_detailed(client=admin, limit=500)).items
    assert len(trail) >= len(entries)
    print(json.dumps({"secondment": str(created.id), "history": len(entries),
                      "audit": len(trail)}))


def _date(text):
    import datetime

    return datetime.date.fromisoformat(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=BINARY)
    args = parser.parse_args()
    with running_service(args.binary) as base, tempfile.TemporaryDirectory() as work:
        # The first administrator's start password must be replaced first
        # (decision 0039); the story then signs in with PASSWORD.
        Api(base).first_admin()
        client = generate(base, work)
        story(client, base)
    print("generated client: the story ran without error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
