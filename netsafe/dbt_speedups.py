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

dbt also builds every log event it fires (each SQL statement, each node
starting, compiling, finishing: about 2,700 in a full build) into two
protobuf messages, field by field in Python, about 0.5 ms each, whether or
not anything will write it. Builds here log nothing below `info` (the
debug file log is off unless DBT_LOG_LEVEL_FILE asks for it; the worker logs
nothing at all), so those messages were built for no reader. Here an event
is built only when it is read, and an event below `warn` that no logger
would write and no callback would see is not built at all
(tests/test_dbt_speedups.py: a debug file log still gets every event, and
what a build prints is unchanged). A full build at scale 100 took
15.9-18.8 s instead of 18.0-19.9 s, with 2.3 s less CPU (four runs each,
taken in turn); a correction served by the worker at scale 1 took
2.3-2.8 s instead of 3.4-3.7 s.

`install()` puts both in place in this process: the build worker calls it,
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
    """Use inject_ctes_into_sql and events built only for a reader in this
    process's dbt (once; idempotent)."""
    global _original
    import dbt.compilation

    if dbt.compilation.inject_ctes_into_sql is inject_ctes_into_sql:
        return
    _original = dbt.compilation.inject_ctes_into_sql
    dbt.compilation.inject_ctes_into_sql = inject_ctes_into_sql
    _events_built_for_a_reader()


# an event's level, lowest first; a logger writes the events at or above its own
_RANK = {"debug": 0, "test": 0, "info": 1, "warn": 2, "error": 3}


def unheard(manager: Any, level: str) -> bool:
    """No logger of dbt's event manager would write an event of this level and
    no callback would see it. dbt's own callback (its behaviour-change
    tracker) reads warnings only; warnings and errors are always fired, as
    dbt may turn them into errors. A logger promotes a print event to an
    error, so an `info` event counts as heard by any logger."""
    if _RANK[level] >= _RANK["warn"]:
        return False
    from dbt.tracking import track_behavior_change_warn

    if any(callback is not track_behavior_change_warn for callback in manager.callbacks):
        return False
    if _RANK[level] >= _RANK["info"]:
        return not manager.loggers
    return all(_RANK[logger.level] > _RANK[level] for logger in manager.loggers)


def _events_built_for_a_reader() -> None:
    from dbt_common.events import base_types, event_manager
    from dbt_common.events.base_types import EventLevel

    build_event = base_types.BaseEvent.__init__
    fire_event = event_manager.EventManager.fire_event

    def init(self, *args, **kwargs) -> None:
        # what dbt's __init__ would be given, built into pb_msg on first read
        object.__setattr__(self, "_netsafe_arguments", (args, kwargs))

    def message_of(self):
        try:
            return object.__getattribute__(self, "pb_msg")
        except AttributeError:
            args, kwargs = object.__getattribute__(self, "_netsafe_arguments")
            build_event(self, *args, **kwargs)
            return object.__getattribute__(self, "pb_msg")

    def getattr_(self, key):
        message = message_of(self)
        return message if key == "pb_msg" else message.__getattribute__(key)

    def setattr_(self, key, value) -> None:
        if key == "pb_msg":
            object.__setattr__(self, key, value)
        else:
            message_of(self).__setattr__(key, value)

    def fire(self, e, level=None, node=None, force_warn_or_error_handling=False) -> None:
        heard_at = EventLevel(level or e.level_tag()).value
        if not force_warn_or_error_handling and unheard(self, heard_at):
            return
        fire_event(self, e, level=level, node=node, force_warn_or_error_handling=force_warn_or_error_handling)

    base_types.BaseEvent.__init__ = init
    base_types.BaseEvent.__getattr__ = getattr_
    base_types.BaseEvent.__setattr__ = setattr_
    event_manager.EventManager.fire_event = fire
