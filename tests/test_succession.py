"""The registry's successor chain, walked in one place (netsafe.succession):
reminders go to the agency in force, the report names the DIC and each
successor, an agency reporter may send its predecessors' reports."""

from __future__ import annotations

from datetime import date

import pandas as pd

from netsafe.succession import Succession


def _registry(*rows: tuple) -> Succession:
    columns = ["agency_code", "name_vi", "valid_from", "valid_to", "successor_agency_code"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return Succession(frame.set_index("agency_code"))


MERGER = _registry(
    ("OLD_A", "Sở A", "2019-01-01", "2025-03-01", "NEW"),
    ("OLD_B", "Sở B", "2019-01-01", "2025-03-01", "NEW"),
    ("NEW", "Sở mới", "2025-03-01", "2025-07-01", "NEWER"),
    ("NEWER", "Sở mới hơn", "2025-07-01", None, None),
    ("LOOP_1", "Vòng 1", "2019-01-01", "2020-01-01", "LOOP_2"),
    ("LOOP_2", "Vòng 2", "2019-01-01", "2020-01-01", "LOOP_1"),
    ("GONE", "Đã giải thể", "2019-01-01", "2024-01-01", None),
)


def test_the_chain_runs_to_the_last_successor_and_stops_at_a_loop():
    assert MERGER.chain("OLD_A") == ["OLD_A", "NEW", "NEWER"]
    assert MERGER.chain("LOOP_1") == ["LOOP_1", "LOOP_2"]
    assert MERGER.chain("NOT_HELD") == [] and MERGER.chain(None) == []


def test_a_report_is_addressed_to_whoever_answers_for_it_that_day():
    assert MERGER.addressee("OLD_A", date(2024, 12, 31)) == "OLD_A"
    assert MERGER.addressee("OLD_A", date(2025, 3, 1)) == "NEW"  # the day of the merger
    assert MERGER.addressee("OLD_B", date(2025, 8, 1)) == "NEWER"
    assert MERGER.addressee("GONE", date(2025, 1, 1)) is None  # no successor: nobody's to send
    assert MERGER.addressee("LOOP_1", date(2021, 1, 1)) is None
    assert MERGER.in_force_on(date(2025, 5, 1)) == ["NEW"]


def test_related_agencies_reach_every_predecessor_and_successor():
    assert MERGER.related("NEWER") == {"OLD_A", "OLD_B", "NEW", "NEWER"}
    assert MERGER.related("OLD_B") == {"OLD_A", "OLD_B", "NEW", "NEWER"}
    assert MERGER.related("GONE") == {"GONE"}


def test_the_served_registry_holds_the_2025_mergers(empty_warehouse):
    dic = Succession.served(empty_warehouse, role="dic")
    # the DIC, merged into Science and Technology, then the provinces merged
    assert dic.chain(dic.in_force_on(date(2024, 12, 31))[0]) == ["BT_DIC", "BT_DST", "LD_DST"]
    assert {"BT_DIC", "BT_DOST", "BT_DST"} <= Succession.served(empty_warehouse).related("BT_DST")
