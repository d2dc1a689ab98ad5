"""One writer, many readers, under load: reader processes query the marts in
a loop while a stream of ingests (good, bad, re-submissions) and builds runs.
No error on either side, every accepted submission present afterwards, and
every reader answer internally consistent (never a half-built warehouse)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from netsafe import build, warehouse
from netsafe.intake import ingest
from netsafe.intake import reference as reference_module
from netsafe.store import open_store

DURATION = float(os.environ.get("NETSAFE_LOAD_SECONDS", "60"))

READER = textwrap.dedent(
    """
    import json, os, sys, time
    from netsafe import warehouse
    from netsafe.settings import get_settings
    settings = get_settings()
    stop, latencies, errors, inconsistent, answers = sys.argv[1], [], [], 0, 0
    while not os.path.exists(stop):
        started = time.perf_counter()
        try:
            frame = warehouse.query(settings, '''
                select (select count(*) from marts.fct_submissions where is_accepted) as accepted,
                       (select sum(accepted_count) from marts.rpt_agency_compliance) as compliance_accepted
            ''')
            answers += 1
            if int(frame.accepted.iat[0]) != int(frame.compliance_accepted.iat[0]):
                inconsistent += 1
        except Exception as exc:
            errors.append(repr(exc))
        latencies.append(time.perf_counter() - started)
        time.sleep(0.02)
    print(json.dumps({"answers": answers, "errors": errors[:5], "error_count": len(errors),
                      "inconsistent": inconsistent, "p95": sorted(latencies)[int(len(latencies) * 0.95)]}))
    """
)

CSV = "agency_code,period_code,indicator_code,value\nBT_DIC,{period},INSPECTIONS_CONDUCTED,{value}\n"
BAD = "agency_code,period_code,indicator_code,value\nBT_DIC,{period},INSPECTIONS_CONDUCTED,-{value}\n"


@pytest.mark.slow
def test_readers_and_a_stream_of_ingests_and_builds(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    stop = tmp_path / "stop"
    env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir))
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(stop)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    reference = reference_module.load(settings)
    periods = ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2"]
    accepted_ids, builds, round_number = set(), 0, 0
    started = time.monotonic()
    try:
        while time.monotonic() - started < DURATION or builds < 2:
            round_number += 1
            period = periods[round_number % len(periods)]
            files = [
                (f"good_{round_number}.csv", CSV.format(period=period, value=round_number).encode()),
                (f"bad_{round_number}.csv", BAD.format(period=period, value=round_number).encode()),
            ]
            for outcome in ingest.ingest(settings, files, reference, channel="api"):
                if outcome.status == "accepted":
                    accepted_ids.add(outcome.submission_id)
                else:
                    assert outcome.status == "rejected"
            build.build(settings, quiet=True)
            builds += 1
    finally:
        stop.write_text("stop")
    reports = []
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
        reports.append(json.loads(out))
    for report in reports:
        assert report["error_count"] == 0, report["errors"]
        assert report["inconsistent"] == 0
        assert report["answers"] > 10
    served = set(
        warehouse.query(
            settings, "select submission_id from marts.fct_submissions where is_accepted"
        ).submission_id
    )
    assert accepted_ids <= served
    raw = open_store(settings).read_raw(
        "select count(*) as n from raw.submissions where source_file_name like 'bad_%'"
    )
    assert raw.n.iat[0] == round_number  # every rejection recorded
    print(
        f"load: {builds} builds, {round_number * 2} files, reader p95 "
        f"{max(r['p95'] for r in reports) * 1000:.0f} ms"
    )
