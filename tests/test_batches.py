"""A quarter's files in one command: folders and .zip files of reports, each
file with its own verdict, one build; hostile archives refused by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from netsafe import services
from netsafe.errors import NetsafeError
from netsafe.intake import bundle, ingest
from netsafe.store.duckdb_store import DuckDbStore
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_folder_and_a_zip_land_each_file_and_build_once(wh, ref, tmp_path):
    folder = tmp_path / "quy_3"
    folder.mkdir()
    (folder / "so_y_te.xlsx").write_bytes(
        fill_template(template_bytes(ref, "BT_DOH"), {"PROPAGANDA_SESSIONS": 2}, {})
    )
    (folder / "ghi_chu.txt").write_text("not a report")
    broken = fill_template(template_bytes(ref, "BT_DOT"), {"PROPAGANDA_SESSIONS": -1}, {})
    archive = tmp_path / "thu_dien_tu.zip"
    archive.write_bytes(
        zipped(
            {
                "so_gd.xlsx": fill_template(template_bytes(ref, "BT_DOET"), {"PROPAGANDA_SESSIONS": 1}, {}),
                "so_gtvt.xlsx": broken,
                "__MACOSX/._so_gd.xlsx": b"resource fork",
            }
        )
    )
    files = services.files_from([folder, archive])
    assert [name for name, _ in files] == [
        "so_y_te.xlsx",
        "thu_dien_tu.zip/so_gd.xlsx",
        "thu_dien_tu.zip/so_gtvt.xlsx",
    ]
    run = services.ingest_files(wh, files, channel="email")
    assert [o.status for o in run.outcomes] == ["accepted", "accepted", "rejected"]
    assert run.build is not None  # one build for the three files


def _indicators(agency: str, **values: int) -> bytes:
    lines = ["agency_code,period_code,indicator_code,value"]
    lines += [f"{agency},{PERIOD},{code},{value}" for code, value in values.items()]
    return ("\n".join(lines) + "\n").encode()


def test_a_batch_is_checked_against_raw_landing_read_once_not_per_file(wh, ref, monkeypatch):
    first = [
        ("dic.csv", _indicators("BT_DIC", INSPECTIONS_CONDUCTED=3, FINES_VND=1000)),
        ("doh.csv", _indicators("BT_DOH", PROPAGANDA_SESSIONS=4)),
    ]
    assert [o.status for o in ingest.ingest(wh, first, ref)] == ["accepted", "accepted"]
    reads, steps = [], []
    real_read = DuckDbStore.read_raw

    def counted(self, sql, params=None):
        reads.append(sql)
        return real_read(self, sql, params)

    monkeypatch.setattr(DuckDbStore, "read_raw", counted)
    batch = [
        ("dic_sua.csv", _indicators("BT_DIC", INSPECTIONS_CONDUCTED=5)),  # drops FINES_VND
        ("doh_sua.csv", _indicators("BT_DOH", PROPAGANDA_SESSIONS=6)),
        ("dot.csv", _indicators("BT_DOT", PROPAGANDA_SESSIONS=1)),  # nothing in use yet
        ("la.csv", _indicators("BT_KHONG_CO", PROPAGANDA_SESSIONS=1)),  # no such agency
        *(
            (f"dic_{n}.csv", _indicators("BT_DIC", INSPECTIONS_CONDUCTED=n, FINES_VND=1000))
            for n in range(7, 27)
        ),
    ]
    prepared = ingest.check_files(
        wh, batch, ref, ingest.received_moment(None), "upload", lambda name, step: steps.append((name, step))
    )
    # four queries for 24 files; each correction is judged against its own report in use
    assert len(reads) == 4
    assert [dropped for *_, dropped in prepared[:3]] == [["FINES_VND"], [], []]
    assert [version.status for _, _, version, _, _ in prepared[:4]] == [
        "accepted",
        "accepted",
        "accepted",
        "rejected",
    ]
    # progress: every file read, then each verdict in order
    assert steps == [(name, "read") for name, _ in batch] + [
        (name, version.status) for name, _, version, _, _ in prepared
    ]


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"bao_cao.xlsx": b"x", "chay_toi.exe": b"MZ"}, "chay_toi.exe"),
        ({f"f{i}.csv": b"a" for i in range(bundle.MAX_MEMBERS + 1)}, "quá"),
        ({}, "rỗng"),
    ],
)
def test_hostile_or_careless_zips_are_refused_before_anything_lands(members, words):
    with pytest.raises(NetsafeError) as refused:
        bundle.unzip("goi.zip", zipped(members))
    assert words in refused.value.vi and "goi.zip" in refused.value.vi


def test_a_zip_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setenv("NETSAFE_MAX_UNPACKED_MB", "1")
    monkeypatch.setenv("NETSAFE_MAX_UPLOAD_MB", "1")
    members = {f"so_{i}.csv": b"0" * 600_000 for i in range(2)}  # each under one upload, together over
    with pytest.raises(NetsafeError) as refused:
        bundle.unzip("lon.zip", zipped(members))
    assert "giải nén" in refused.value.vi
    with pytest.raises(NetsafeError):
        bundle.unzip("hong.zip", b"PK\x03\x04 not really")
