"""A quarter's files in one command: folders and .zip files of reports, each
file with its own verdict, one build; hostile archives refused by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from netsafe import services
from netsafe.errors import NetsafeError
from netsafe.intake import bundle
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
