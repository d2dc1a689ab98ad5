"""Period approval and lock, users and roles, and the audit trail, through
the command line as an operator uses it (NETSAFE_ACTOR names who acts)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from netsafe import access, approvals, services, warehouse
from netsafe.errors import NetsafeError
from netsafe.store import open_store

PERIOD = "2024-Q3"
NETSAFE = [sys.executable, "-m", "netsafe.cli"]


def run(settings, *args, actor="lanh.dao@lamdong.gov.vn", check=True):
    env = {**os.environ, "NETSAFE_DATA_DIR": str(settings.data_dir), "NETSAFE_ACTOR": actor}
    done = subprocess.run([*NETSAFE, *args], env=env, capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def report_hash(settings, tmp_path) -> str:
    done = run(
        settings, "report", "--period", PERIOD, "--out", str(tmp_path), actor="chuyen.vien@lamdong.gov.vn"
    )
    return next(line for line in done.stdout.splitlines() if "SHA-256" in line).split()[-1]


def police_correction(settings) -> bytes:
    prosecuted = int(
        warehouse.scalar(
            settings,
            "select sum(prosecuted_cases) from marts.fct_incident_counts "
            "where agency_code = 'BT_POLICE' and period_code = ?",
            [PERIOD],
        )
    )
    return (
        "agency_code,period_code,area_code,violation_type_code,detected,handled,fined_vnd,removed_items,"
        f"prosecuted_cases\nBT_POLICE,{PERIOD},PHAN_THIET,FRAUD,40,30,,,{prosecuted}\n"
    ).encode()


@pytest.mark.slow
def test_an_approved_period_keeps_its_figures_until_reopened(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    approved = run(settings, "approve", "--period", PERIOD)
    approved_hash = approved.stdout.split()[-1]
    assert len(approved_hash) == 64
    correction = tmp_path / "cong_an_bo_sung.csv"
    correction.write_bytes(police_correction(settings))
    landed = run(settings, "ingest", str(correction), "--channel", "api", actor="chuyen.vien@lamdong.gov.vn")
    assert "hợp lệ" in landed.stdout or "accepted" in landed.stdout
    # received, archived and listed, but the approved figures stand
    assert report_hash(settings, tmp_path / "a") == approved_hash
    listing = run(settings, "submissions", "--period", PERIOD, "--agency", "BT_POLICE").stdout
    assert "nhận sau khi phê duyệt" in listing
    status = warehouse.query(
        settings, "select * from marts.rpt_period_status where period_code = ?", [PERIOD]
    ).iloc[0]
    assert status.approval_state == "approved" and status.received_after_approval_count == 1
    assert status.approved_by == "lanh.dao@lamdong.gov.vn"
    run(settings, "reopen", "--period", PERIOD, "--reason", "Công an bổ sung số liệu lừa đảo")
    reopened_hash = report_hash(settings, tmp_path / "b")
    assert reopened_hash != approved_hash
    detected = warehouse.scalar(
        settings,
        "select sum(detected) from marts.fct_incident_counts "
        "where agency_code = 'BT_POLICE' and period_code = ?",
        [PERIOD],
    )
    assert detected == 40  # the correction is in
    trail = run(settings, "audit", "--period", PERIOD).stdout
    for action in ("approve", "ingest", "report", "reopen"):
        assert f"/ {action}" in trail, action
    assert "lanh.dao@lamdong.gov.vn" in trail and "chuyen.vien@lamdong.gov.vn" in trail
    by_leader = run(settings, "audit", "--actor", "lanh.dao@lamdong.gov.vn").stdout
    assert "chuyen.vien" not in by_leader


def test_rollups_wait_for_their_quarters_and_approvals_are_not_doubled(demo_warehouse_copy):
    settings = demo_warehouse_copy
    with pytest.raises(NetsafeError) as refused:
        services.approve_period(settings, "2024-H1")
    assert "2024-Q1" in refused.value.vi and "2024-Q2" in refused.value.vi
    services.approve_period(settings, "2024-Q1")
    services.approve_period(settings, "2024-Q2")
    with pytest.raises(NetsafeError):
        services.approve_period(settings, "2024-Q2")
    assert services.approve_period(settings, "2024-H1").period_code == "2024-H1"
    with pytest.raises(NetsafeError) as blocked:
        services.reopen_period(settings, "2024-Q1", "sửa số liệu quý 1")
    assert "2024-H1" in blocked.value.vi
    with pytest.raises(NetsafeError):
        services.reopen_period(settings, "2024-H1", "")  # a reason is required
    states = approvals.states(settings)
    assert set(states.period_code) == {"2024-Q1", "2024-Q2", "2024-H1"}


def test_users_are_data_and_every_change_is_audited(wh):
    run(
        wh,
        "users",
        "add",
        "Can.Bo@BinhThuan.gov.vn",
        "--role",
        "reporter",
        "--agency",
        "BT_DOH",
        actor="admin",
    )
    run(wh, "users", "add", "lanh.dao@lamdong.gov.vn", "--role", "leader", actor="admin")
    listed = run(wh, "users", "list").stdout
    assert "can.bo@binhthuan.gov.vn" in listed and "BT_DOH" in listed and "leader" in listed
    user = access.find_user(wh, "CAN.BO@binhthuan.gov.vn")
    assert user.role == "reporter" and user.agency_code == "BT_DOH"
    assert user.can("ingest_own") and not user.can("view_all") and not user.can("approve")
    bad = run(wh, "users", "add", "x@y.vn", "--role", "reporter", actor="admin", check=False)
    assert bad.returncode != 0 and "đơn vị" in bad.stderr
    run(wh, "users", "remove", "can.bo@binhthuan.gov.vn", actor="admin")
    assert access.find_user(wh, "can.bo@binhthuan.gov.vn") is None
    trail = open_store(wh).read_raw(
        "select action, object, outcome, actor from raw.audit_log order by acted_at"
    )
    assert trail.action.tolist() == ["user_add", "user_add", "user_add", "user_remove"]
    assert trail.outcome.tolist() == ["ok", "ok", "refused", "ok"] and set(trail.actor) == {"admin"}


def test_a_reporter_sends_only_their_own_agency_report(wh, ref):
    from tests.intake_helpers import fill_template, template_bytes

    reporter = access.add_user(wh, "can.bo@soyte.vn", "reporter", "BT_DOH", actor="admin")
    by = services.Acting("can.bo@soyte.vn", reporter, "10.0.0.7")
    own = fill_template(template_bytes(ref, "BT_DOH"), {"PROPAGANDA_SESSIONS": 2}, {})
    other = fill_template(template_bytes(ref, "BT_DOET"), {"PROPAGANDA_SESSIONS": 2}, {})
    with pytest.raises(NetsafeError) as refused:
        services.ingest_files(wh, [("so_gd.xlsx", other)], by=by, rebuild=False)
    assert "đơn vị khác" in refused.value.vi
    assert open_store(wh).submission_count() == 0
    # a chosen date and channel are an analyst's: the reporter's file is received now, by upload
    run_ = services.ingest_files(wh, [("so_yte.xlsx", own)], by=by, rebuild=False, channel="paper")
    [outcome] = run_.outcomes
    assert outcome.status == "accepted"
    landed = open_store(wh).read_raw("select channel from raw.submissions")
    assert landed.channel.tolist() == ["upload"]
    trail = open_store(wh).read_raw(
        "select outcome, client_address from raw.audit_log where action = 'ingest'"
    )
    assert trail.outcome.tolist() == ["refused", "accepted"] and set(trail.client_address) == {"10.0.0.7"}
    with pytest.raises(NetsafeError):
        services.approve_period(wh, PERIOD, by=by)
