"""The validation rules of seeds/validation_rules.csv, evaluated at intake on
the report as it would stand once the file lands: the file's own parts with
the agency's other parts already in use for the period.

A rule's side is a number or a measure of the report: `indicator:CODE` (the
value sent for that indicator) or `rows:STAGE` (that stage summed over the
incident rows). int_quality_measures computes the same measures over landed
data, so rpt_validation_violations and intake agree. Rules on the other
named measures (handled over detected, negative values…) are enforced cell
by cell while reading, or are warnings for stewards, and are not repeated
here. Only error rules reject a file; warnings are left to `netsafe check`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from netsafe.contract import INCIDENT_STAGES, STAGES, IncidentCount, IndicatorValue, LandedParts, stage_sums
from netsafe.intake.read import Line
from netsafe.intake.reference import Reference, Rule

OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
OPERATOR_WORDS = {
    "==": "bằng",
    "!=": "khác",
    "<": "nhỏ hơn",
    "<=": "không lớn hơn",
    ">": "lớn hơn",
    ">=": "không nhỏ hơn",
}


@dataclass(frozen=True)
class Failure:
    rule: Rule
    left: Decimal
    right: Decimal
    # the indicator line of this file the failure points at, if any
    line: Line | None
    text_vi: str
    text_en: str


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def measures(
    parts: tuple[str, ...],
    indicator_values: list[IndicatorValue],
    incident_counts: list[IncidentCount],
    landed: LandedParts,
) -> dict[str, Decimal]:
    """The report's measures once this file replaces the parts it carries."""
    result: dict[str, Decimal] = {}
    if "indicators" in parts:
        indicators = {value.indicator_code: Decimal(str(value.value)) for value in indicator_values}
    else:
        indicators = landed.indicators or {}
    result.update({f"indicator:{code}": value for code, value in indicators.items()})
    sums = stage_sums(incident_counts) if "incidents" in parts else landed.incident_sums
    if sums is not None:
        result.update({f"rows:{stage}": Decimal(sums.get(stage) or 0) for stage in INCIDENT_STAGES})
    return result


def _side(name: str | None, values: dict[str, Decimal]) -> Decimal | None:
    if not name:
        return None
    return values[name] if name in values else _number(name)


def _is_intake_side(name: str | None) -> bool:
    return not name or name.startswith(("indicator:", "rows:")) or _number(name) is not None


def describe_side(name: str, reference: Reference, lang: str) -> str:
    """A side in words: 'Số lượt người tham dự', 'tổng cột Khởi tố (vụ)'."""
    if name.startswith("indicator:"):
        named = reference.indicators.get(name.split(":", 1)[1])
        if named is None:
            return name
        return f'"{named.name_vi}"' if lang == "vi" else f'"{named.name_en}"'
    if name.startswith("rows:"):
        stage = next((s for s in STAGES if s.field == name.split(":", 1)[1]), None)
        if stage is None:
            return name
        if lang == "vi":
            return f'tổng cột "{stage.label_vi}" của các dòng vụ việc'
        return f'the incident rows\' total of "{stage.label_en}"'
    return name


def evaluate(
    reference: Reference,
    parts: tuple[str, ...],
    indicator_values: list[IndicatorValue],
    incident_counts: list[IncidentCount],
    landed: LandedParts,
    indicator_lines: dict[str, Line],
) -> list[Failure]:
    """Error rules the report would break once this file lands."""
    values = measures(parts, indicator_values, incident_counts, landed)
    failures = []
    for rule in reference.rules:
        if rule.severity != "error":
            continue
        if not all(_is_intake_side(side) for side in (rule.left_side, rule.right_side, rule.when_side)):
            continue
        left, right = _side(rule.left_side, values), _side(rule.right_side, values)
        if left is None or right is None:
            continue
        if rule.when_side:
            gate = _side(rule.when_side, values)
            if gate is None or not gate > 0:
                continue
        if OPERATORS[rule.operator](left, right):
            continue
        failures.append(_failure(rule, left, right, values, reference, indicator_lines))
    return failures


def _failure(rule, left, right, values, reference, indicator_lines) -> Failure:
    def amount(value: Decimal) -> str:
        return f"{value.normalize():f}"

    sides_vi = [f"{describe_side(rule.left_side, reference, 'vi')} là {amount(left)}"]
    sides_en = [f"{describe_side(rule.left_side, reference, 'en')} is {amount(left)}"]
    if rule.when_side:
        gate = values[rule.when_side]
        sides_vi.insert(0, f"{describe_side(rule.when_side, reference, 'vi')} là {amount(gate)}")
        sides_en.insert(0, f"{describe_side(rule.when_side, reference, 'en')} is {amount(gate)}")
    if rule.right_side in values:
        sides_vi.append(f"{describe_side(rule.right_side, reference, 'vi')} là {amount(right)}")
        sides_en.append(f"{describe_side(rule.right_side, reference, 'en')} is {amount(right)}")
    code = rule.left_side.split(":", 1)[1] if rule.left_side.startswith("indicator:") else None
    line = indicator_lines.get(code) if code else None
    return Failure(
        rule,
        left,
        right,
        line,
        f"{rule.name_vi}: " + ", ".join(sides_vi) + f" (yêu cầu {OPERATOR_WORDS[rule.operator]} "
        f"{amount(right)}). {rule.description_vi}.",
        f"{rule.name_en}: " + ", ".join(sides_en) + f" (must be {rule.operator} {amount(right)}).",
    )
