"""What tests control besides the org: the journal, injected faults, rate limits, list paging, connections.

``Controls`` holds them (thread-safe); the HTTP layer (``server.py``) records each request in the
journal, counts it against its rate-limit bucket (and its caller's share of it) and takes the fault
that answers it, if one matches. The faults themselves, and how ``inject_fault`` builds them, are in
``faults.py``.

Rate limits as Okta has them for API tokens (FACTS.md §1): every ``/api/v1/api-tokens*`` request
counts against the org's one ``/api/v1`` bucket (``rate_limit`` requests a minute), and each API token
or OAuth app may use at most ``token_share`` percent of it (Okta's default 50%, settable per token
from 5 to 100 as an admin can). The token endpoint has a bucket of its own, with no share. Windows
are fixed minutes of the org's clock. A request that either limit turns away (429) uses up nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .faults import Fault

__all__ = [
    "API_BUCKET",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_TOKEN_SHARE",
    "MAX_PAGE_SIZE",
    "TOKEN_ENDPOINT_BUCKET",
    "Controls",
    "JournalEntry",
    "RateCount",
    "RateHeaders",
    "path_matches",
]

DEFAULT_RATE_LIMIT = 600
"""Requests per minute of the org's ``/api/v1`` bucket: the One App and Enterprise tiers' last published
size. With the default 50% share one token may make 300 a minute."""

DEFAULT_TOKEN_SHARE = 50
"""Percent of a bucket one API token or OAuth app may use (Okta's default)."""

MIN_TOKEN_SHARE, MAX_TOKEN_SHARE = 5, 100
"""The shares an admin can set in Okta's console."""

MAX_PAGE_SIZE = 200
"""The largest list page (``limit``) Okta serves."""

API_BUCKET = "/api/v1"
"""The org's catch-all bucket, where every API-token endpoint counts."""

TOKEN_ENDPOINT_BUCKET = "/oauth2/v1/token"
"""The OAuth token endpoint's own bucket (no per-client share)."""

RateHeaders = Literal["bucket", "share"]
"""What ``X-Rate-Limit-*`` report: the whole bucket (as Okta documents them) or the caller's share."""


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
# Rate limits


@dataclass(frozen=True)
class RateCount:
    """Where one request leaves its bucket's window, and its caller's share of it."""

    limit: int
    """The bucket's size (requests per minute)."""
    used: int
    """Requests the bucket admitted in this window, this one included if admitted."""
    reset: int
    """When the window ends (epoch seconds)."""
    share_limit: int | None
    """The most this caller may make in the window; ``None``: an unidentified caller, no share."""
    share_used: int
    """Requests of this caller admitted in this window, this one included if admitted."""
    admitted: bool
    """False: the bucket or the caller's share is used up; the answer is 429."""

    @property
    def remaining(self) -> int:
        """What is left in the bucket (0 at least)."""
        return max(self.limit - self.used, 0)

    @property
    def share_remaining(self) -> int:
        """What is left to this caller: its share's rest, never more than the bucket's."""
        if self.share_limit is None:
            return self.remaining
        return max(min(self.share_limit - self.share_used, self.remaining), 0)

    def headers(self, show: RateHeaders = "bucket") -> dict[str, str]:
        """``X-Rate-Limit-Limit/Remaining/Reset`` for the bucket, or for the caller's share."""
        limit, remaining = self.limit, self.remaining
        if show == "share" and self.share_limit is not None:
            limit, remaining = self.share_limit, self.share_remaining
        return {
            "X-Rate-Limit-Limit": str(limit),
            "X-Rate-Limit-Remaining": str(remaining),
            "X-Rate-Limit-Reset": str(self.reset),
        }


def share_of(limit: int, percent: int) -> int:
    """A share of a bucket in requests per minute: ``percent`` of ``limit``, rounded down, 1 at least."""
    return max(limit * percent // 100, 1)


def check_share(percent: int) -> int:
    if (
        not isinstance(percent, int)
        or isinstance(percent, bool)
        or not (MIN_TOKEN_SHARE <= percent <= MAX_TOKEN_SHARE)
    ):
        raise ValueError(
            f"token share must be a whole percent from {MIN_TOKEN_SHARE} to {MAX_TOKEN_SHARE} "
            f"(what Okta's console allows), got {percent!r}"
        )
    return percent


# --------------------------------------------------------------------------------------------
# Controls


class Controls:
    """What tests set and read besides the org: journal, faults, rate limits, page size, connections.

    Thread-safe.
    """

    def __init__(
        self,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        page_size: int | None = None,
        token_share: int = DEFAULT_TOKEN_SHARE,
    ) -> None:
        self._lock = threading.Lock()
        self._journal: list[JournalEntry] = []
        self._faults: list[Fault] = []
        self._windows: dict[tuple[str, str | None], tuple[int, int]] = {}
        self._shares: dict[str, int] = {}
        self._connections = 0
        self._tls_handshakes = 0
        self.rate_limit = check_rate_limit(rate_limit)
        self.token_share = check_share(token_share)
        """The share of every token or OAuth app without one of its own (``set_share``)."""
        self.rate_headers: RateHeaders = "bucket"
        self.page_size = check_page_size(page_size)
        self.page_cap: int | None = None
        """The most one list page holds whatever ``limit`` asks (``None``: as asked)."""
        self.null_token_window_in_lists = True
        """Send ``tokenWindow: null`` in list answers, as the one recorded real list answer does (FACTS.md
        §1); ``False``: list entries as full as a GET's answer."""

    # -- journal and faults --------------------------------------------------------------------

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

    # -- rate limits ---------------------------------------------------------------------------

    def set_share(self, percent: int, principal: str | None = None) -> None:
        """The share of one token or OAuth app (``principal``), or of every other one (``None``)."""
        check_share(percent)
        with self._lock:
            if principal is None:
                self.token_share = percent
            else:
                self._shares[principal] = percent

    def count(self, bucket: str, principal: str | None, now: float) -> RateCount | None:
        """Count a request against ``bucket`` and its caller's share; ``None`` if limits are off.

        ``principal`` is the caller (a token id, an OAuth client), ``None`` when it is not known:
        then only the bucket applies. Only an admitted request uses up the bucket and the share.
        """
        with self._lock:
            limit = self.rate_limit
            if limit is None:
                return None
            window = int(now // 60) * 60
            used = self._used((bucket, None), window)
            share_limit, share_used = None, 0
            if principal is not None:
                share_limit = share_of(limit, self._shares.get(principal, self.token_share))
                share_used = self._used((bucket, principal), window)
            admitted = used < limit and (share_limit is None or share_used < share_limit)
            if admitted:
                used += 1
                self._windows[(bucket, None)] = (window, used)
                if principal is not None:
                    share_used += 1
                    self._windows[(bucket, principal)] = (window, share_used)
            return RateCount(limit, used, window + 60, share_limit, share_used, admitted)

    def _used(self, key: tuple[str, str | None], window: int) -> int:
        start, used = self._windows.get(key, (window, 0))
        return used if start == window else 0

    # -- connections ---------------------------------------------------------------------------

    def count_connection(self) -> None:
        with self._lock:
            self._connections += 1

    def count_tls_handshake(self) -> None:
        with self._lock:
            self._tls_handshakes += 1

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    @property
    def tls_handshakes(self) -> int:
        with self._lock:
            return self._tls_handshakes

    def reset(self) -> None:
        """Empty journal and faults, fresh buckets, connections counted from 0, no per-token share."""
        with self._lock:
            self._journal.clear()
            self._faults.clear()
            self._windows.clear()
            self._shares.clear()
            self._connections = 0
            self._tls_handshakes = 0


def check_rate_limit(limit: int | None) -> int | None:
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(
            f"rate limit must be a whole number of requests per minute (1 or more) or None, got {limit!r}"
        )
    return limit


def check_page_size(size: int | None) -> int | None:
    if size is not None and (
        not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PAGE_SIZE
    ):
        raise ValueError(
            f"page size must be a whole number from 1 to {MAX_PAGE_SIZE} (Okta's largest page), "
            f"or None for one page, got {size!r}"
        )
    return size
