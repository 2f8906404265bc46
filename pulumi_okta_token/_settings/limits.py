"""The numbers: retries, the request timeout, rate-limit headroom and wait, and the largest answer read;
defaults and bounds (pulumi-okta's ``maxApiCapacity`` and its other rate-limit keys are read in ``parity``).

Each is a plain decimal (no sign, exponent, ``nan`` or ``inf``) within its bounds, or refused naming
the setting and the bounds, never the value.
"""

from __future__ import annotations

import re

from .refusals import fail, refuse_shape
from .sources import (
    MAX_RESPONSE_BYTES,
    MAX_RETRIES,
    RATE_LIMIT_HEADROOM,
    RATE_LIMIT_WAIT,
    REQUEST_TIMEOUT,
    Setting,
    Sources,
)

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT_HEADROOM",
    "DEFAULT_RATE_LIMIT_WAIT",
    "DEFAULT_REQUEST_TIMEOUT",
    "LEAST_MAX_RESPONSE_BYTES",
    "MAX_RATE_LIMIT_HEADROOM",
    "MAX_RATE_LIMIT_WAIT",
    "MAX_REQUEST_TIMEOUT",
    "MAX_RESPONSE_BYTES_LIMIT",
    "MAX_RETRIES_ACCEPTED",
    "MAX_RETRIES_LIMIT",
    "NO_REQUEST_TIMEOUT",
    "read_max_response_bytes",
    "read_max_retries",
    "read_rate_limit_headroom",
    "read_rate_limit_wait",
    "read_request_timeout",
]

DEFAULT_MAX_RETRIES = 5
"""pulumi-okta's default."""
DEFAULT_REQUEST_TIMEOUT = 30.0
NO_REQUEST_TIMEOUT = 0.0
"""``okta:requestTimeout 0``: no limit, as in pulumi-okta."""
MAX_RETRIES_LIMIT = 10
"""The most retries the provider makes. Each retry waits (at least 1 s after a 429, up to 8 s of backoff
after a 5xx), so ten already outlast a rate-limit window or a short outage; beyond that a failing org is
better reported than hammered. A larger ``okta:maxRetries`` (pulumi-okta accepts up to
``MAX_RETRIES_ACCEPTED``) is used as ten, with a warning. The whole exchange stays bounded by
``requestTimeout``."""
MAX_RETRIES_ACCEPTED = 100
"""The most ``okta:maxRetries`` accepted at all (pulumi-okta's bound)."""
MAX_REQUEST_TIMEOUT = 3600.0
"""The most seconds ``okta:requestTimeout`` accepts."""
DEFAULT_RATE_LIMIT_HEADROOM = 10.0
"""Percent of Okta's rate limit left unused for other clients of the same credential."""
MAX_RATE_LIMIT_HEADROOM = 90.0
"""The most headroom ``okta:rateLimitHeadroom`` accepts: the provider keeps some budget of its own."""
DEFAULT_RATE_LIMIT_WAIT = 900.0
"""Seconds one call may wait for rate-limit budget. A call queued behind a whole run of 500 calls at
100 requests a minute (90 usable with the default headroom) waits some 6 minutes; 15 minutes also
leaves room for a budget shared with other clients. Past that, something else holds the budget and an
error that says so is better than a run that seems to hang."""
MAX_RATE_LIMIT_WAIT = 86400.0
"""The most seconds ``okta:rateLimitWait`` accepts (a day)."""
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""The largest answer body read (16 MiB). A list page of 200 tokens is some 200 KB; an answer larger than
this is refused before it is read (by its ``Content-Length``, else as soon as that many bytes came)."""
LEAST_MAX_RESPONSE_BYTES = 64 * 1024
"""The least ``okta:maxResponseBytes`` accepts (64 KiB: one token's answer with room to spare)."""
MAX_RESPONSE_BYTES_LIMIT = 1024 * 1024 * 1024
"""The most ``okta:maxResponseBytes`` accepts (1 GiB)."""


def read_max_retries(sources: Sources) -> tuple[int, list[str]]:
    """The retries, and a notice when ``okta:maxRetries`` asks for more than the provider makes."""
    found = sources.get(MAX_RETRIES)
    if found is None:
        return DEFAULT_MAX_RETRIES, []
    value, where = found
    if not re.fullmatch(r"[0-9]{1,9}", value):
        refuse_shape(where, f"must be a whole number of retries from 0 to {MAX_RETRIES_ACCEPTED}")
    number = int(value)
    if number > MAX_RETRIES_ACCEPTED:
        fail(
            f"{where} is above {MAX_RETRIES_ACCEPTED}, the most retries it allows; the provider makes at "
            f"most {MAX_RETRIES_LIMIT} (raise okta:{REQUEST_TIMEOUT.key} if calls need more time).",
            list_sources=False,
        )
    if number > MAX_RETRIES_LIMIT:
        return MAX_RETRIES_LIMIT, [
            f"{where} is above {MAX_RETRIES_LIMIT}: the provider retries at most {MAX_RETRIES_LIMIT} times "
            "(each retry waits first, and a failing org is better reported than hammered)"
        ]
    return number, []


def read_max_response_bytes(sources: Sources) -> int:
    found = sources.get(MAX_RESPONSE_BYTES)
    if found is None:
        return DEFAULT_MAX_RESPONSE_BYTES
    value, where = found
    expected = (
        f"must be a whole number of bytes from {LEAST_MAX_RESPONSE_BYTES} to {MAX_RESPONSE_BYTES_LIMIT}, "
        f"such as {DEFAULT_MAX_RESPONSE_BYTES} (the default, 16 MiB)"
    )
    if not re.fullmatch(r"[0-9]{1,10}", value):
        refuse_shape(where, expected)
    number = int(value)
    if not LEAST_MAX_RESPONSE_BYTES <= number <= MAX_RESPONSE_BYTES_LIMIT:
        refuse_shape(where, expected)
    return number


def read_request_timeout(sources: Sources) -> float:
    """Seconds, or ``NO_REQUEST_TIMEOUT`` (0) for no limit."""
    expected = (
        f"must be a number of seconds from 0 (no limit) to {MAX_REQUEST_TIMEOUT:.0f}, such as 30 or 12.5"
    )
    return _number(sources, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, expected, most=MAX_REQUEST_TIMEOUT)


def read_rate_limit_headroom(sources: Sources) -> float:
    expected = (
        f"must be a percentage of Okta's rate limit from 0 to {MAX_RATE_LIMIT_HEADROOM:.0f}, such as 10 or "
        "25.5 (no % sign)"
    )
    return _number(
        sources, RATE_LIMIT_HEADROOM, DEFAULT_RATE_LIMIT_HEADROOM, expected, most=MAX_RATE_LIMIT_HEADROOM
    )


def read_rate_limit_wait(sources: Sources) -> float:
    expected = (
        f"must be a number of seconds from 0 (never wait) to {MAX_RATE_LIMIT_WAIT:.0f}, such as 900 or 60.5"
    )
    return _number(sources, RATE_LIMIT_WAIT, DEFAULT_RATE_LIMIT_WAIT, expected, most=MAX_RATE_LIMIT_WAIT)


def _number(
    sources: Sources,
    setting: Setting,
    default: float,
    expected: str,
    *,
    most: float,
) -> float:
    """A plain decimal number (no sign, exponent, nan or inf) from 0 to ``most``."""
    found = sources.get(setting)
    if found is None:
        return default
    value, where = found
    if not re.fullmatch(r"[0-9]{1,9}(?:\.[0-9]{1,9})?", value):
        refuse_shape(where, expected)
    number = float(value)
    if number > most:
        refuse_shape(where, expected)
    return number
