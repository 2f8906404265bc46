"""What every part of the fake org stands on: one lock, the clock, and repeatable ids and secrets.

``FakeOrg`` (``backend``) is made of parts, each a subclass of ``OrgBase`` (``users.UserDirectory``,
``apps.ServiceApps``). They share one re-entrant lock, so a method of one part that calls another
still runs as one step, and one random source, so a seeded org hands out the same ids and secrets
whichever part draws them.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from ..._okta_time import parse_okta_time

__all__ = ["ALNUM", "Clock", "OrgBase", "moment"]

ALNUM = string.ascii_letters + string.digits
"""The characters of Okta's ids after their prefix."""

Clock = Callable[[], datetime]
"""The org's current time (UTC)."""


class OrgBase:
    """The lock, clock and random source the parts of ``FakeOrg`` share.

    :param seed: makes generated ids and secrets repeatable.
    :param clock: the current time (UTC); tests may pass a fixed one.
    """

    def __init__(self, seed: int | None = None, clock: Clock | None = None) -> None:
        self._random = random.Random(seed)
        self._clock = clock or _utc_now
        self._lock = threading.RLock()

    def now(self) -> datetime:
        return self._clock()

    def reset(self) -> None:
        """Forget what the org holds; each part clears its own state and calls on (none here)."""

    def _id(self, prefix: str, taken: Iterable[str]) -> str:
        """``prefix`` + 17 letters or digits, none of ``taken``."""
        existing = set(taken)
        while True:
            candidate = prefix + self._characters(ALNUM, 17)
            if candidate not in existing:
                return candidate

    def _secret(self) -> str:
        """An API token's secret: ``00`` + 40 letters, digits, ``-`` or ``_``."""
        return "00" + self._characters(ALNUM + "-_", 40)

    def _characters(self, alphabet: str, count: int) -> str:
        return "".join(self._random.choice(alphabet) for _ in range(count))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def moment(value: datetime | str | None) -> datetime | None:
    """A moment given as a ``datetime`` or in Okta's time format (``None`` stays ``None``)."""
    if value is None or isinstance(value, datetime):
        return value
    return parse_okta_time(value)
