"""The settings pulumi-okta reads that this package reads differently: ``maxApiCapacity``, ``backoff``,
``minWaitSeconds``, ``maxWaitSeconds``, and ``maxRetries`` above this package's bound.

A stack config shared with pulumi-okta must not fail here, and must not be silently ignored either. So
where pulumi-okta's meaning fits this package's transport it is honoured (``maxApiCapacity`` is the
share of the rate limit the provider may use, so the headroom is what is left of it); where the package
deliberately does something else, the value is checked and a notice names the key and says what
happens instead. ``load_settings`` puts the notices on ``OktaSettings.notices``; ``warn_once`` writes
each on stderr once per process (the CLI prints them as its warnings).
"""

from __future__ import annotations

import logging
import re
import threading

from .refusals import refuse_shape
from .sources import (
    BACKOFF,
    MAX_API_CAPACITY,
    MAX_WAIT_SECONDS,
    MIN_WAIT_SECONDS,
    RATE_LIMIT_HEADROOM,
    RATE_LIMIT_WAIT,
    Sources,
)

__all__ = ["MIN_API_CAPACITY", "backoff_notices", "capacity_headroom", "warn_once"]

MIN_API_CAPACITY = 10.0
"""The least share of the rate limit the provider keeps (100 minus the most headroom, 90)."""

_LOG = logging.getLogger("pulumi_okta_token")
_WARNED: set[str] = set()
_LOCK = threading.Lock()


def capacity_headroom(sources: Sources) -> tuple[float | None, list[str]]:
    """The headroom ``okta:maxApiCapacity`` asks for (100 minus the capacity), or None when it is not set
    or ``rateLimitHeadroom`` is; with the notices to give."""
    found = sources.get(MAX_API_CAPACITY)
    if found is None:
        return None, []
    value, where = found
    if not re.fullmatch(r"[0-9]{1,3}", value) or not 1 <= int(value) <= 100:
        refuse_shape(where, "must be a whole percentage of Okta's rate limit from 1 to 100, such as 50")
    if sources.get(RATE_LIMIT_HEADROOM) is not None:
        return None, [
            f"{where} is not used: okta:{RATE_LIMIT_HEADROOM.key} is set as well and says how much of the "
            "rate limit to leave unused"
        ]
    capacity = float(value)
    if capacity < MIN_API_CAPACITY:
        return 100.0 - MIN_API_CAPACITY, [
            f"{where} is below {MIN_API_CAPACITY:.0f}: the provider uses {MIN_API_CAPACITY:.0f}% of the "
            "rate limit, the least it keeps"
        ]
    return 100.0 - capacity, []


def backoff_notices(sources: Sources) -> list[str]:
    """Notices for pulumi-okta's ``backoff``, ``minWaitSeconds`` and ``maxWaitSeconds``: checked, not
    followed, because this provider waits for exactly as long as Okta's rate-limit headers say."""
    notices: list[str] = []
    found = sources.get(BACKOFF)
    if found is not None:
        value, where = found
        if value.lower() not in ("true", "false"):
            refuse_shape(where, "must be true or false")
        if value.lower() == "false":
            notices.append(
                f"{where} false is not followed: after a 500, 502, 503 or 504 the provider always waits a "
                "little longer before each retry (at most 8 s), and after a 429 until Okta's rate-limit reset"
            )
    for setting in (MIN_WAIT_SECONDS, MAX_WAIT_SECONDS):
        found = sources.get(setting)
        if found is None:
            continue
        value, where = found
        if not re.fullmatch(r"[0-9]{1,9}", value):
            refuse_shape(where, "must be a whole number of seconds, such as 30")
        notices.append(
            f"{where} is not used: after a 429 the provider waits until the reset Okta's "
            f"X-Rate-Limit-Reset header gives, and okta:{RATE_LIMIT_WAIT.key} bounds how long one call "
            "may wait in all"
        )
    return notices


def warn_once(notices: tuple[str, ...] | list[str]) -> None:
    """Log each notice as a warning, once per process."""
    for notice in notices:
        with _LOCK:
            if notice in _WARNED:
                continue
            _WARNED.add(notice)
        _LOG.warning("pulumi-okta-token: warning: %s", notice)
