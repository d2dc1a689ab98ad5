"""A quarter's files in one command: the paths an analyst gives `netsafe
ingest` may be files, folders (their .xlsx and .csv files, in name order)
or a .zip of such files. Each file found is then checked and landed on its
own (its own verdict), and the warehouse is rebuilt once.

A zip is opened with bounds, like a workbook: at most MAX_MEMBERS files, each
no larger than one upload, and no more than NETSAFE_MAX_UNPACKED_MB unpacked
in all; anything else in it is refused by name, before anything lands.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from netsafe.errors import NetsafeError
from netsafe.intake.read import max_bytes, max_unpacked_bytes

REPORT_SUFFIXES = (".xlsx", ".csv")
MAX_MEMBERS = 500


def expand(paths: list[Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of every report file the paths hold, in a stable order."""
    files: list[tuple[str, bytes]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
            if not found:
                raise NetsafeError(
                    f"Thư mục {path} không có tệp .xlsx hoặc .csv nào.",
                    f"The folder {path} holds no .xlsx or .csv file.",
                )
            files.extend((str(p.relative_to(path)), p.read_bytes()) for p in found)
        elif path.suffix.lower() == ".zip":
            files.extend(unzip(path.name, path.read_bytes()))
        else:
            files.append((path.name, path.read_bytes()))
    return files


def unzip(name: str, content: bytes) -> list[tuple[str, bytes]]:
    """The report files of a .zip, bounded; refused whole when anything is off."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise NetsafeError(
            f"{name}: không phải tệp .zip đọc được. Chưa nhận tệp nào.",
            f"{name}: not a readable .zip file. No file was received.",
        ) from error
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not PurePosixPath(info.filename).name.startswith(".")
            and "__MACOSX" not in info.filename
        ]
        problem = _problem(name, members)
        if problem:
            raise NetsafeError(*problem)
        return [
            (f"{name}/{info.filename}", archive.read(info))
            for info in sorted(members, key=lambda i: i.filename)
        ]


def _problem(name: str, members: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    if not members:
        return (f"{name}: tệp .zip rỗng.", f"{name}: the .zip file is empty.")
    if len(members) > MAX_MEMBERS:
        return (
            f"{name}: có {len(members)} tệp, quá {MAX_MEMBERS}; hãy chia nhỏ. Chưa nhận tệp nào.",
            f"{name}: holds {len(members)} files, more than {MAX_MEMBERS}; split it. No file was received.",
        )
    for info in members:
        if PurePosixPath(info.filename).suffix.lower() not in REPORT_SUFFIXES:
            return (
                f"{name}: tệp {info.filename!r} không phải .xlsx hoặc .csv. Chưa nhận tệp nào.",
                f"{name}: {info.filename!r} is not an .xlsx or .csv file. No file was received.",
            )
        if info.file_size > max_bytes():
            return (
                f"{name}: tệp {info.filename!r} lớn quá giới hạn một tệp. Chưa nhận tệp nào.",
                f"{name}: {info.filename!r} is larger than one file may be. No file was received.",
            )
    if sum(info.file_size for info in members) > max_unpacked_bytes():
        return (
            f"{name}: giải nén ra quá lớn. Chưa nhận tệp nào.",
            f"{name}: unpacks to too much. No file was received.",
        )
    return None
