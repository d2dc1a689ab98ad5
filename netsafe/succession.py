"""Who took over from whom: the successor chain of the served registry
(marts.dim_agencies), walked here only. Reminders are addressed to the
agency in force, the report names the DIC and each successor since, and an
agency reporter may send its predecessors' and successors' reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from netsafe import warehouse
from netsafe.settings import Settings


@dataclass(frozen=True)
class Succession:
    """Agencies indexed by code: name_vi, valid_from, valid_to (timestamps)
    and successor_agency_code."""

    agencies: pd.DataFrame

    @classmethod
    def served(cls, settings: Settings, *, role: str | None = None) -> Succession:
        """The served registry; with role, only agencies of that role (a
        chain then ends where the role passes to an agency of another)."""
        agencies = warehouse.query(
            settings,
            "select agency_code, name_vi, valid_from, valid_to, successor_agency_code "
            "from marts.dim_agencies where cast(? as varchar) is null or agency_role = ?",
            [role, role],
        )
        for column in ("valid_from", "valid_to"):
            agencies[column] = pd.to_datetime(agencies[column])
        return cls(agencies.set_index("agency_code"))

    def chain(self, code: str | None) -> list[str]:
        """The agency and each successor after it, to the last one (or an
        agency not held here, or a code met before)."""
        chain: list[str] = []
        while code in self.agencies.index and code not in chain:
            chain.append(code)
            successor = self.agencies.at[code, "successor_agency_code"]
            code = successor if isinstance(successor, str) else None
        return chain

    def in_force(self, code: str, on: date) -> bool:
        entry, day = self.agencies.loc[code], pd.Timestamp(on)
        return entry.valid_from <= day and (pd.isna(entry.valid_to) or entry.valid_to > day)

    def in_force_on(self, on: date) -> list[str]:
        return [code for code in self.agencies.index if self.in_force(code, on)]

    def addressee(self, code: str, on: date) -> str | None:
        """Who answers for the agency's reports on a day: itself or the first
        successor in force then (the obligation passed with the functions)."""
        return next((each for each in self.chain(code) if self.in_force(each, on)), None)

    def related(self, code: str) -> frozenset[str]:
        """The agency with its predecessors and successors, however far."""
        links = [
            (old, new) for old, new in self.agencies.successor_agency_code.items() if isinstance(new, str)
        ]
        related, changed = {code}, True
        while changed:
            changed = False
            for old, new in links:
                if (old in related) != (new in related):
                    related |= {old, new}
                    changed = True
        return frozenset(related)
