"""What dbt spends on each node for nothing, cut where it runs here.

Every node that reads an ephemeral model (the intermediate models are
ephemeral) has the ephemeral's SQL put in front of its own as CTEs. dbt
finds where they go by parsing the node's whole SQL with sqlparse, in
Python, holding the interpreter lock: 60-250 ms for each large model of this
project, 0.55-0.97 s of a full build at province scale, all of it to find
the first `with`. The models here all start with comments and `with`, and the
checks with `select` and no `with` anywhere, where the answer is plain from
the text. Those two cases are spliced here, character for character what
dbt would produce (tests/test_dbt_speedups.py compares both on every node of
the project); anything else (`with recursive`, several statements, a block
comment first, a `with` elsewhere) goes to dbt's own function.

`install()` puts it in place in this process: the build worker calls it,
and one-shot builds run dbt through `python -m netsafe.dbt_cli`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

# whitespace and `--` comments, as sqlparse reads them before the first word
_LEADING = re.compile(r"(?:\s|--[^\r\n]*(?:\r\n|\r|\n|$))*")
# the node's own `with` and the whitespace after it: dbt puts the CTEs there
_WITH = re.compile(r"with\s+", re.IGNORECASE)
_RECURSIVE = re.compile(r"recursive\b", re.IGNORECASE)

_original: Callable[[str, Sequence[Any]], str] | None = None


def inject_ctes_into_sql(sql: str, ctes: Sequence[Any]) -> str:
    """dbt.compilation.inject_ctes_into_sql, without parsing the SQL when
    where the CTEs go is plain from the text."""
    if _original is None:
        raise RuntimeError("netsafe.dbt_speedups.install() was not called")
    if not ctes:
        return sql
    if ";" not in sql:
        joined = ", ".join(cte.sql for cte in ctes)
        opening = _WITH.match(sql, _LEADING.match(sql).end())
        if opening and not _RECURSIVE.match(sql, opening.end()):
            # the node's own `with` takes the CTEs first: with <ctes>, <its own>
            return f"{sql[: opening.end()]}{joined}, {sql[opening.end() :]}"
        if "with" not in sql.lower():
            # no `with` at all: one goes before the first word
            body = sql.lstrip()
            return f"{sql[: len(sql) - len(body)]}with{joined} {body}"
    return _original(sql, ctes)


def install() -> None:
    """Use inject_ctes_into_sql in this process's dbt (once; idempotent)."""
    global _original
    import dbt.compilation

    if dbt.compilation.inject_ctes_into_sql is inject_ctes_into_sql:
        return
    _original = dbt.compilation.inject_ctes_into_sql
    dbt.compilation.inject_ctes_into_sql = inject_ctes_into_sql
