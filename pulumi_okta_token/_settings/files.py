"""Reading a file that a setting names, with no error that shows its path or its content."""

from __future__ import annotations

__all__ = ["UnreadableFile", "read_head"]


class UnreadableFile(Exception):
    """No file can be read at the path; ``reason`` is the system's words for why, without the path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_head(path: str, most: int) -> bytes:
    """The file's first ``most + 1`` bytes: more than ``most`` of them means the file is too large.

    ``UnreadableFile`` carries ``strerror`` ("No such file or directory"), never ``str()`` of the
    ``OSError``, which quotes the path: a secret pasted where a path belongs would show there.
    """
    try:
        with open(path, "rb") as handle:
            return handle.read(most + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise UnreadableFile(
            exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        ) from None
