"""Demo data and the command line."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from netsafe import demo
from netsafe.errors import NetsafeError
from tests.conftest import DEMO_UNTIL


def test_demo_is_deterministic_and_believable(demo_warehouse):
    first = demo.build_versions(demo_warehouse, DEMO_UNTIL)
    second = demo.build_versions(demo_warehouse, DEMO_UNTIL)
    assert [v.sha256 for v in first] == [v.sha256 for v in second]
    periods = sorted({v.period_code for v in first})
    assert periods[0] == "2021-Q3" and periods[-1] == "2026-Q3"
    prosecutions = [
        c.prosecuted_cases for v in first for c in v.incident_counts if c.prosecuted_cases is not None
    ]
    assert all(
        v.agency_code.endswith("POLICE") for v in first for c in v.incident_counts if c.prosecuted_cases
    )
    # zero-inflated and small: most cells are zero, prosecutions stay in single digits per cell
    detected = [c.detected for v in first for c in v.incident_counts]
    assert sum(1 for d in detected if d == 0) / len(detected) > 0.4
    assert max(prosecutions) < 10


def test_demo_refuses_a_non_empty_landing(demo_warehouse):
    with pytest.raises(NetsafeError) as error:
        demo.generate(demo_warehouse, DEMO_UNTIL)
    assert "chỉ nạp vào kho trống" in error.value.vi


def run_cli(settings, *args):
    env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir))
    return subprocess.run(
        [sys.executable, "-m", "netsafe.cli", *args], capture_output=True, text=True, env=env, check=False
    )


def test_status_prints_the_summary(demo_warehouse):
    result = run_cli(demo_warehouse, "status")
    assert result.returncode == 0, result.stderr
    assert "2021-Q3 → 2026-Q3" in result.stdout
    assert "bị từ chối / rejected" in result.stdout
    assert "đạt / passed" in result.stdout


def test_status_without_a_warehouse_says_what_to_do(fresh_settings):
    result = run_cli(fresh_settings, "status")
    assert result.returncode == 2
    assert "netsafe build" in result.stderr
    assert "Lỗi:" in result.stderr and "Error:" in result.stderr


def test_demo_until_is_a_date():
    assert date.fromisoformat("2026-10-01") == DEMO_UNTIL


def test_scaled_demo_multiplies_the_province_and_leaves_seeds_alone(fresh_settings):
    import hashlib

    from netsafe import build, warehouse
    from netsafe.scale import SEEDS, write_scaled_seeds

    def digest():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in SEEDS.iterdir()}

    before = digest()
    write_scaled_seeds(fresh_settings, 2)
    built = build.build(fresh_settings, quiet=True)
    # every check a real build runs, the reference data's own tests included
    manifest = json.loads((fresh_settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    seed_tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("attached_node") or "").startswith("seed.")
    ]
    assert seed_tests and built.tests_passed == built.tests_total
    versions = demo.build_versions(fresh_settings, DEMO_UNTIL)
    counts = warehouse.query(
        fresh_settings,
        "select count(*) filter (where agency_code like '%_S002') as copies, count(*) as agencies "
        "from marts.dim_agencies",
    ).iloc[0]
    assert counts.agencies == 2 * counts.copies
    police_copy = [v for v in versions if v.agency_code == "BT_POLICE_S002"]
    assert police_copy and all(c.area_code.endswith("_S002") for v in police_copy for c in v.incident_counts)
    assert digest() == before  # builds never write into the project's seeds
