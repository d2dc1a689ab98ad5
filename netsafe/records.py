"""Records of what netsafe produced (reports, reminder letters, quality runs)
and of what happened to submissions (withdrawals): ids from the one recipe
(contract.new_record_id), appended to raw landing, never changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from netsafe.contract import new_record_id
from netsafe.settings import Settings
from netsafe.store import open_store


def record_document(
    settings: Settings,
    *,
    record_id: str,
    kind: str,
    period_code: str,
    generated_at: datetime,
    as_of: datetime,
    figures_sha256: str,
    files: dict[str, bytes],
    submission_ids: Iterable[str] = (),
    number: str | None = None,
    signer: str | None = None,
    override_note: str | None = None,
) -> None:
    """Append one generated document's record (append-only, like all of raw):
    what it was made from (data cut, figures hash, submissions) and the hash
    of every file written."""
    open_store(settings).append_record(
        "generated_reports",
        {
            "report_id": record_id,
            "document_kind": kind,
            "period_code": period_code,
            "generated_at": generated_at,
            "as_of": as_of,
            "figures_sha256": figures_sha256,
            "files_json": json.dumps(
                {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}, sort_keys=True
            ),
            "submission_ids_json": json.dumps(sorted(submission_ids)),
            "document_number": number,
            "signer": signer,
            "override_note": override_note,
        },
    )


__all__ = ["new_record_id", "record_document"]
