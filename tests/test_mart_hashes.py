"""Every mart's rows on the demo data equal the recorded fingerprint: a
refactor keeps every figure (see tests/mart_hashes.py to regenerate it when
a change is meant to alter figures)."""

from __future__ import annotations

import json

from tests.mart_hashes import EXPECTED_PATH, mart_hashes


def test_demo_marts_are_unchanged(demo_warehouse):
    expected = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
    actual = mart_hashes(demo_warehouse)
    assert sorted(actual) == sorted(expected), "the set of marts changed"
    changed = {name: (expected[name], actual[name]) for name in expected if expected[name] != actual[name]}
    assert not changed, f"marts whose rows changed: {changed}"
