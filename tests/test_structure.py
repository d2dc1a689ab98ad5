"""The structure a newcomer relies on, checked rather than remembered: one
store knows the database, pages reach data through the dashboard's queries
module and workflows through netsafe.services, and nothing generated is in git."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from netsafe.settings import PROJECT_DIR

PAGES = sorted((PROJECT_DIR / "dashboards" / "app_pages").glob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_pages_use_the_queries_module_and_the_service_layer_only():
    forbidden = ("duckdb", "psycopg2", "netsafe.landing", "netsafe.intake", "netsafe.store", "netsafe.report")
    assert PAGES, "no dashboard pages found"
    for page in PAGES:
        bad = sorted(name for name in _imports(page) if name.startswith(forbidden))
        assert not bad, f"{page.name} imports {bad}"


def test_only_the_store_knows_which_database_holds_raw_landing():
    pattern = re.compile(r"raw_path|NETSAFE_TARGET|settings\.target|psycopg2|landing\.duckdb")
    allowed = {PROJECT_DIR / "netsafe" / "settings.py"}
    for path in list((PROJECT_DIR / "netsafe").rglob("*.py")) + list(
        (PROJECT_DIR / "dashboards").rglob("*.py")
    ):
        if "store" in path.relative_to(PROJECT_DIR).parts or path in allowed:
            continue
        hits = pattern.findall(path.read_text(encoding="utf-8"))
        assert not hits, f"{path.relative_to(PROJECT_DIR)} mentions {hits}"


def test_the_dashboard_is_a_package_without_path_edits():
    for path in (PROJECT_DIR / "dashboards").rglob("*.py"):
        assert "sys.path" not in path.read_text(encoding="utf-8"), path


def test_no_generated_file_is_tracked():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    generated = re.compile(
        r"\.egg-info/|__pycache__/|\.pyc$|^expectations/.*\.json$|^target/|^logs/|\.duckdb$"
    )
    assert not [name for name in tracked if generated.search(name)]


def test_dbt_and_python_name_the_same_incident_stages():
    import yaml

    from netsafe.contract import INCIDENT_STAGES

    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert tuple(project["vars"]["incident_stages"]) == INCIDENT_STAGES


def test_dbt_and_python_name_the_same_report_parts_and_rule_stages():
    import csv

    import yaml

    from netsafe.contract import INCIDENT_STAGES, PARTS

    models = yaml.safe_load(
        (PROJECT_DIR / "models" / "staging" / "raw" / "_raw__models.yml").read_text(encoding="utf-8")
    )
    parts = next(m for m in models["models"] if m["name"] == "stg_raw__submission_parts")
    rules = next(t["column_rules"] for t in parts["data_tests"] if "column_rules" in t)
    assert tuple(rules["arguments"]["accepted_values"]["report_part"]) == PARTS
    with (PROJECT_DIR / "seeds" / "stage_counting_rules.csv").open(encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    kinds = {row["agency_kind"] for row in rules}
    # every stage has a rule for every kind of reporter: nothing is counted by default
    assert {(row["stage"], row["agency_kind"]) for row in rules} == {
        (s, k) for s in INCIDENT_STAGES for k in kinds
    }
    with (PROJECT_DIR / "seeds" / "indicators.csv").open(encoding="utf-8") as handle:
        derived = [row for row in csv.DictReader(handle) if row["aggregation"] == "derived"]
    with (PROJECT_DIR / "seeds" / "validation_rules.csv").open(encoding="utf-8") as handle:
        sides = {(row["left_side"], row["right_side"]) for row in csv.DictReader(handle)}
    # a derived indicator sent anyway is always checked against the rows it is derived from
    for row in derived:
        assert row["derived_from_stage"] in INCIDENT_STAGES
        assert (f"indicator:{row['indicator_code']}", f"rows:{row['derived_from_stage']}") in sides
