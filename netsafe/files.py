"""Writing files so that a failure (a full disk, a kill) never leaves a
partial one behind: write beside the target, then rename over it."""

from __future__ import annotations

import io
import os
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def save_atomically(document, path: Path) -> Path:
    """A workbook or document (anything with .save(stream)) written atomically."""
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomically(path, buffer.getvalue())
