"""Reference data: every assignee of the letter, in correct Vietnamese."""

import csv
import unicodedata
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_seed_text_is_nfc():
    for path in SEEDS.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, f"{path.name} is not NFC"


def test_letter_assignees_are_all_present():
    agencies = read("agencies")
    roles = {row["agency_role"] for row in agencies}
    assert {"dic", "culture", "education", "broadcaster", "police", "district"} <= roles
    districts = [row for row in agencies if row["agency_kind"] == "district"]
    assert len(districts) == 10
    assert {row["area_code"] for row in districts} == {
        row["area_code"] for row in read("areas") if row["area_level"] == "district"
    }
    assert sum(1 for row in agencies if row["agency_role"] == "other_department") >= 10


def test_reorganisation_of_2025_is_data():
    agencies = {row["agency_code"]: row for row in read("agencies")}
    assert agencies["BT_DIC"]["valid_to"] == "2025-03-01"
    assert agencies["BT_DIC"]["successor_agency_code"] == "BT_DST"
    assert agencies["BT_DST"]["name_vi"] == "Sở Khoa học và Công nghệ tỉnh Bình Thuận"
    assert agencies["BT_DST"]["successor_agency_code"] == "LD_DST"
    assert all(
        row["valid_to"] == "2025-07-01" for row in agencies.values() if row["agency_kind"] == "district"
    )
    bodies = {row["body_code"]: row for row in read("governing_bodies")}
    assert bodies["BT_PPC"]["successor_body_code"] == "LD_PPC"
    assert bodies["LD_PPC"]["valid_from"] == "2025-07-01"


def test_nine_violation_types_and_six_tasks():
    assert [row["violation_type_code"] for row in read("violation_types")] == [
        "PERSONAL_DATA",
        "FAKE_NEWS",
        "DEFAMATION",
        "ANTI_STATE",
        "FRAUD",
        "GAMBLING",
        "TRADE_FRAUD",
        "CYBER_ATTACK",
        "MALWARE",
    ]
    assert [row["task_number"] for row in read("tasks")] == ["1", "2", "3", "4", "5", "6"]
    legal = {row["document_number"] for row in read("legal_bases")}
    assert {
        "14/CT-TTg",
        "22/CT-BTTTT",
        "1278/QĐ-BTTTT",
        "42-CT/TW",
        "09/2019/NĐ-CP",
        "30/2020/NĐ-CP",
    } <= legal
