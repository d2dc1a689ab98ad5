"""User-facing errors. Each carries a Vietnamese message with English beside
it; the CLI turns them into exit codes in one place."""

from __future__ import annotations


class NetsafeError(Exception):
    """An error a user can act on. str() gives 'vi / en'."""

    exit_code = 1

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")


class WarehouseBusy(NetsafeError):
    exit_code = 75  # EX_TEMPFAIL: try again later


class WarehouseMissing(NetsafeError):
    exit_code = 2


class BuildFailed(NetsafeError):
    exit_code = 3


class EnvironmentFailure(NetsafeError):
    exit_code = 74  # EX_IOERR


def environment_failure(error: OSError) -> EnvironmentFailure:
    """A disk, permission or file-system failure, said plainly with the path."""
    import errno

    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    if error.errno == errno.ENOSPC:
        return EnvironmentFailure(
            f"Ổ đĩa đã đầy{where}; giải phóng dung lượng rồi thử lại. Không có tệp dở dang nào được giữ lại.",
            f"The disk is full{where}; free some space and try again. No partial file was kept.",
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return EnvironmentFailure(
            f"Không có quyền ghi hoặc đọc{where}; kiểm tra quyền của thư mục dữ liệu (NETSAFE_DATA_DIR).",
            f"Permission denied{where}; check the rights on the data directory (NETSAFE_DATA_DIR).",
        )
    return EnvironmentFailure(
        f"Lỗi hệ thống tệp{where}: {error.strerror or error}.",
        f"File-system error{where}: {error.strerror or error}.",
    )
