"""The benchmark's summary (bench/results/summary.md): each target with the
value measured and whether it holds, and where a build's time goes."""

from bench.run import markdown, nodes_by_kind


def scale_result(scale: int, **overrides) -> dict:
    result = {
        "scale": scale,
        "rows": {"agencies": 37 * scale, "areas": 12 * scale, "submissions": 458, "incident_rows": 5148},
        "full_build_s": 12.0,
        "full_build_peak_rss_mib": 1400.0,
        "engine_only_s": 5.0,
        "dbt_noop_startup_s": 3.0,
        "orchestration_ratio": 1.5,
        "full_build_no_checks_s": 10.0,
        "orchestration_ratio_no_checks": 1.25,
        "full_build_nodes": {"model": 58, "seed": 16, "test": 72},
        "add_one_period_nodes": {"model": 24, "test": 46},
        "ingest_rows_per_s": 4000,
        "add_one_period_s": 13.0,
        "add_one_period_vs_full_build": 0.59,
        "file_to_served_s": 6.0,
        "file_to_served_worker_s": 2.5,
        "file_to_served_nodes": 68,
        "dashboard_p95_max_ms": 40.0,
        "report_s": 1.4,
        "readers_during_build": {"p95_ms": 30.0},
        "samples": {"full_build_s": [12.0, 12.5, 11.8]},
    }
    result.update(overrides)
    return result


def test_nodes_by_kind_counts_each_kind_once_per_node():
    results = [
        {"unique_id": "model.netsafe.fct_submissions"},
        {"unique_id": "test.netsafe.column_rules_fct_submissions.abc"},
        {"unique_id": "test.netsafe.assert_rollups_equal_their_quarters"},
        {"unique_id": "unit_test.netsafe.int_periods_generated.quarters"},
    ]
    assert nodes_by_kind(results) == {"model": 1, "test": 2, "unit_test": 1}


def test_summary_says_which_targets_hold_and_where_the_time_goes():
    summary = markdown([scale_result(1, full_build_peak_rss_mib=300.0), scale_result(100, report_s=2.5)])
    lines = summary.splitlines()
    assert "| full build ÷ (engine-only + dbt no-op) | 100 | 1.5 × | ≤ 1.3 × | no |" in lines
    assert "| file → served figures, tests included (worker) | 1 | 2.5 s | ≤ 3.0 s | yes |" in lines
    assert "| report | 100 | 2.5 s | ≤ 2.0 s | no |" in lines
    assert "| peak memory of a full build | 1 | 300.0 MiB | ≤ 2048 MiB | yes |" in lines
    floor = [line for line in lines if line.startswith("| 100 | 12.0 | 10.0 |")]
    assert floor == ["| 100 | 12.0 | 10.0 | 1.25 | 58 models, 16 seeds, 72 tests | 24 models, 46 tests |"]
    assert "- scale 100: full build 12.0 / 12.5 / 11.8" in lines


def test_summary_leaves_out_the_floor_when_it_was_not_measured():
    older = scale_result(100)
    del older["full_build_no_checks_s"]
    assert "without checks" not in markdown([older])
