"""What the quality checks compare, in words (Vietnamese, English): the named
measures of the validation rules (the left_side and right_side columns of
seeds/validation_rules.csv), their operators, and the two ways an outlier is
judged (rpt_outliers.method). The check's messages (`netsafe check`), the
stewards' quality page and the report's section IV and annex read them here,
so a steward and an official read the same words, never a column name."""

from __future__ import annotations

from netsafe.contract import STAGES

# the measures of int_quality_measures that rules compare
MEASURE_WORDS = {
    "handled_over_detected_rows": (
        "số dòng có số đã xử lý lớn hơn số phát hiện",
        "rows with more handled than detected",
    ),
    "fined_without_handling_rows": (
        "số dòng có tiền phạt nhưng không có vụ đã xử lý",
        "rows with fines but no case handled",
    ),
    "prosecuted_from_non_police": (
        "số vụ khởi tố do đơn vị ngoài Công an báo cáo",
        "prosecuted cases reported by an agency other than the police",
    ),
    "district_detected": ("tổng số phát hiện của các địa bàn", "detected, summed over the areas"),
    "province_detected": ("số phát hiện toàn tỉnh", "detected in the whole province"),
    "indicators_reported": ("số chỉ tiêu đã báo cáo", "indicators reported"),
    "indicators_required": ("số chỉ tiêu phải báo cáo", "indicators required"),
    "negative_values": ("số giá trị âm", "negative values"),
}

OPERATOR_WORDS = {
    "==": ("bằng", "equal to"),
    ">=": ("không nhỏ hơn", "at least"),
    "<=": ("không lớn hơn", "at most"),
    ">": ("lớn hơn", "greater than"),
    "<": ("nhỏ hơn", "less than"),
}

OUTLIER_METHODS = {
    "modified_z": ("Lệch xa trung vị các kỳ trước", "Far from the median of earlier periods"),
    "min_max": ("Ngoài khoảng các kỳ trước", "Outside the range of earlier periods"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def is_constant(side: str) -> bool:
    """A side that is a number (`0`), not a measure."""
    return side.replace(".", "", 1).lstrip("-").isdigit()


def side_words(side: str, lang: str = "vi") -> str:
    """One side of a rule in words: a named measure, the total of an
    incident column (`rows:handled`), the indicator value sent
    (`indicator:CODE`, the rule's name says which), else the required level."""
    if side in MEASURE_WORDS:
        return _pick(MEASURE_WORDS[side], lang)
    if side.startswith("rows:"):
        stage = next((s for s in STAGES if s.field == side[5:]), None)
        if stage is not None:
            return f"tổng cột {stage.label_vi}" if lang == "vi" else f"the total of column {stage.label_en}"
        return side
    if side.startswith("indicator:"):
        return _pick(("giá trị chỉ tiêu đã gửi", "the indicator value sent"), lang)
    return _pick(("mức yêu cầu", "the required level"), lang)


def operator_words(operator: str, lang: str = "vi") -> str:
    return _pick(OPERATOR_WORDS[operator], lang) if operator in OPERATOR_WORDS else operator


def outlier_method(method: str, lang: str = "vi") -> str:
    return _pick(OUTLIER_METHODS[method], lang) if method in OUTLIER_METHODS else method
