"""Raw landing: append-only, archived by hash, all or nothing."""

from datetime import datetime

import pyarrow as pa
import pytest

from netsafe.contract import IncidentCount, IndicatorValue, SubmissionVersion
from netsafe.store import open_store


def version(content=b"file-1", **overrides):
    values = dict(
        content=content,
        source_file_name="bao_cao.xlsx",
        agency_code="BT_POLICE",
        period_code="2024-Q3",
        received_at=datetime(2024, 9, 16, 8, 30),
        channel="email",
        indicator_values=(IndicatorValue("CASES_PROSECUTED", 2),),
        incident_counts=(IncidentCount("PHAN_THIET", "FRAUD", 5, 3, 0, 0, 1),),
    )
    values.update(overrides)
    return SubmissionVersion(**values)


def raw_counts(settings):
    frame = open_store(settings).read_raw(
        """
        select (select count(*) from raw.submissions) as submissions,
               (select count(*) from raw.indicator_values) as indicator_values,
               (select count(*) from raw.incident_counts) as incident_counts
        """,
    )
    return tuple(int(x) for x in frame.iloc[0])


def test_lands_archives_and_recognises_the_same_file(fresh_settings):
    first = open_store(fresh_settings).land([version()])[0]
    assert not first.is_duplicate
    assert (fresh_settings.archive_dir / first.file_sha256).read_bytes() == b"file-1"
    assert raw_counts(fresh_settings) == (1, 1, 1)

    again = open_store(fresh_settings).land([version()])[0]
    assert again.is_duplicate
    assert again.submission_id == first.submission_id
    assert raw_counts(fresh_settings) == (1, 1, 1)


def test_rejected_file_is_recorded_without_values(fresh_settings):
    rejected = version(
        content=b"bad",
        status="rejected",
        note="Dòng 3: số âm / row 3: negative",
        indicator_values=(),
        incident_counts=(),
    )
    result = open_store(fresh_settings).land([rejected])[0]
    assert result.status == "rejected"
    assert (fresh_settings.archive_dir / result.file_sha256).exists()
    assert raw_counts(fresh_settings) == (1, 0, 0)
    with pytest.raises(ValueError):
        version(status="rejected")  # a rejected version may not carry values


def test_a_failure_mid_submission_leaves_nothing_partial(fresh_settings):
    open_store(fresh_settings).land([version()])
    # The header and indicator rows go in first; the incident rows then fail to
    # convert. The whole submission must roll back.
    broken = version(
        content=b"file-2",
        incident_counts=(IncidentCount("PHAN_THIET", "FRAUD", detected="not a number"),),
    )
    with pytest.raises((TypeError, ValueError, pa.ArrowException)):
        open_store(fresh_settings).land([broken])
    assert raw_counts(fresh_settings) == (1, 1, 1)
    # but its bytes are archived: nothing a user sent is lost
    assert len(list(fresh_settings.archive_dir.iterdir())) == 2
