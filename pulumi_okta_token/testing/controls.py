"""What tests control besides the org: the journal, injected faults, rate-limit buckets, list paging.

``Controls`` holds them (thread-safe); the HTTP layer (``server.py``) records each request in the
journal, counts it against its endpoint family's bucket and takes the fault that answers it, if one
matches. The faults themselves, and how ``inject_fault`` builds them, are in ``faults.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .faults import Fault

__all__ = ["DEFAULT_RATE_LIMIT", "Controls", "JournalEntry", "path_matches"]

DEFAULT_RATE_LIMIT = 300
"""Requests per endpoint family per minute (what real recordings show for ``/api/v1/api-tokens*``)."""


# --------------------------------------------------------------------------------------------
# Journal


@dataclass(frozen=True)
class JournalEntry:
    """One request the fake answered (or dropped: ``status`` 0). Never holds a secret."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    auth_scheme: str | None
    """``"SSWS"``, ``"Bearer"``, ``None`` (no header) or ``"invalid"`` (any other header)."""
    status: int


def path_matches(pattern: str, path: str) -> bool:
    """``pattern`` equals ``path``, or ends with ``*`` and is a prefix of it."""
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return pattern == path


# --------------------------------------------------------------------------------------------
# Controls


class Controls:
    """What tests set and read besides the org: journal, faults, rate limit, page size. Thread-safe."""

    def __init__(self, rate_limit: int | None = DEFAULT_RATE_LIMIT, page_size: int | None = None) -> None:
        self._lock = threading.Lock()
        self._journal: list[JournalEntry] = []
        self._faults: list[Fault] = []
        self._windows: dict[str, tuple[int, int]] = {}
        self.rate_limit = rate_limit
        self.page_size = page_size
        self.null_token_window_in_lists = False
        """Send ``tokenWindow: null`` in list answers, as real orgs do (FACTS.md §1)."""

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._journal.append(entry)

    def journal(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._journal)

    def clear_journal(self) -> None:
        with self._lock:
            self._journal.clear()

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first fault matching the request, counted down (and dropped when used up)."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
            return None

    def count(self, family: str, now: float) -> tuple[int, int, int] | None:
        """Count a request against its family's bucket: ``(limit, remaining, reset)`` or ``None`` if off.

        ``remaining`` is negative once the limit is passed. Buckets are fixed one-minute windows.
        """
        with self._lock:
            limit = self.rate_limit
            if limit is None:
                return None
            window = int(now // 60) * 60
            start, used = self._windows.get(family, (window, 0))
            if start != window:
                used = 0
            used += 1
            self._windows[family] = (window, used)
            return limit, limit - used, window + 60

    def reset(self) -> None:
        with self._lock:
            self._journal.clear()
            self._faults.clear()
            self._windows.clear()
