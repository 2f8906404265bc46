"""Reading a file that a setting names, with no error that shows its path or its content.

Only a regular file is read. A pipe, a FIFO or a device (``<(command)`` process substitution gives a
pipe) is refused without waiting for it: opening a FIFO that has no writer would block forever, and a pipe
can be read only once while the settings and the transport each read the file.
"""

from __future__ import annotations

import os
import stat

__all__ = ["UnreadableFile", "read_head"]

NOT_A_REGULAR_FILE = (
    "not a regular file (a pipe, a FIFO or a device, such as a shell's <(...) process substitution): "
    "give the path of a file"
)


class UnreadableFile(Exception):
    """No file can be read at the path; ``reason`` is the system's words for why, without the path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_head(path: str, most: int) -> bytes:
    """The regular file's first ``most + 1`` bytes: more than ``most`` of them means the file is too large.

    The file is opened without blocking and refused unless it is a regular file (``NOT_A_REGULAR_FILE``).
    ``UnreadableFile`` carries ``strerror`` ("No such file or directory"), never ``str()`` of the
    ``OSError``, which quotes the path: a secret pasted where a path belongs would show there.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise UnreadableFile(
            exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        ) from None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableFile(NOT_A_REGULAR_FILE)
            return handle.read(most + 1)
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from None
