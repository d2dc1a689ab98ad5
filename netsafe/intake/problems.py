"""Problems found in a received file, each naming where it is and what to
fix, in Vietnamese with English beside it."""

from __future__ import annotations

from dataclasses import dataclass

from netsafe.formatting import printable


@dataclass(frozen=True)
class Problem:
    file: str
    vi: str
    en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # Cell reference (e.g. "G7") for highlighting in the feedback workbook.
    cell: str | None = None

    def _where(self, words: tuple[str, str, str, str]) -> str:
        """Where the problem is, in one language: (file, sheet, row, column) words."""
        file_word, sheet_word, row_word, column_word = words
        parts = [f"{file_word} {printable(self.file)}"]
        if self.sheet:
            parts.append(f"{sheet_word} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.column:
            parts.append(f"{column_word} '{self.column}'")
        return ", ".join(parts)

    def where_vi(self) -> str:
        return self._where(("tệp", "trang", "dòng", "cột"))

    def where_en(self) -> str:
        return self._where(("file", "sheet", "row", "column"))

    def __str__(self) -> str:
        return f"{self.where_vi()}: {self.vi} / {self.where_en()}: {self.en}"


def join(problems: list[Problem]) -> str:
    return "\n".join(str(problem) for problem in problems)
