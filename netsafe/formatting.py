"""Numbers and dates as Vietnamese (and English) readers expect them:
1.234.567 and 12,5% and 28/11/2026 in Vietnamese; 1,234,567, 12.5% and
2026-11-28 in English. Used by the CLI, the dashboard and the reports."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

LANGS = ("vi", "en")


def _missing(value) -> bool:
    """None, NaN, pandas NA/NaT."""
    if value is None or str(value) in ("<NA>", "NaT", "nan", "NaN"):
        return True
    return isinstance(value, float | Decimal) and math.isnan(value)


def _swap(text: str, lang: str) -> str:
    if lang != "vi":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number(value, lang: str = "vi", decimals: int = 0) -> str:
    """Thousands grouped; '–' for a missing value."""
    if _missing(value):
        return "–"
    return _swap(f"{float(value):,.{decimals}f}", lang)


def percent(ratio, lang: str = "vi", decimals: int = 1) -> str:
    """The one rounding of every percentage (DOCX, annex, dashboard): half up,
    from the decimal value, so 14/17 (0,8235…) and a mart's 0,8235 both read
    82,4%; never rounded twice through binary floats."""
    if _missing(ratio):
        return "–"
    value = (Decimal(str(ratio)) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _swap(f"{value:.{decimals}f}", lang) + "%"


def mid_sentence(name: str) -> str:
    """A name from the dims inside a sentence: its first letter lowercased
    ("Huyện Đức Linh" → "huyện Đức Linh", "Thông tin chống phá Đảng, Nhà
    nước" → "thông tin chống phá Đảng, Nhà nước"); the rest as written, so
    proper nouns keep their capitals."""
    return name[:1].lower() + name[1:] if isinstance(name, str) else name


def signed_percent(ratio, lang: str = "vi", decimals: int = 1) -> str:
    if _missing(ratio):
        return "–"
    sign = "+" if float(ratio) > 0 else ""
    return sign + percent(ratio, lang, decimals)


def money(value, lang: str = "vi") -> str:
    return number(value, lang) + (" đồng" if lang == "vi" else " VND")


def day(value, lang: str = "vi") -> str:
    if _missing(value):
        return "–"
    if isinstance(value, datetime):
        value = value.date()
    if hasattr(value, "date") and not isinstance(value, date):
        value = value.date()
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def moment(value, lang: str = "vi") -> str:
    if _missing(value):
        return "–"
    return value.strftime("%d/%m/%Y %H:%M") if lang == "vi" else value.strftime("%Y-%m-%d %H:%M")


# Cell text a spreadsheet would run as a formula when opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_text(value):
    """Text for a cell of a workbook we write: a string that would start a
    formula is prefixed with an apostrophe, control characters (which
    spreadsheets refuse) become spaces. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.lstrip(" ").startswith(FORMULA_STARTS) else value


# C0 controls but the line break, DEL and the C1 controls: each becomes a space
_CONTROL_TO_SPACE = {code: " " for code in [*range(32), *range(127, 160)] if code != ord("\n")}
_HAS_CONTROL = re.compile("[" + "".join(f"\\x{code:02x}" for code in _CONTROL_TO_SPACE) + "]")


def printable(text: str) -> str:
    """Text without control characters (file names, agency-entered text shown
    to people or written into documents). Anything but text passes unchanged."""
    if not isinstance(text, str):
        return text
    # most text has none: a search is cheaper than a translation (~40 000 cells in an annex)
    return text.translate(_CONTROL_TO_SPACE) if _HAS_CONTROL.search(text) else text
