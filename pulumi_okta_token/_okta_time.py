"""Okta's timestamps: read as Okta writes them, written as Okta writes them, compared as instants."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["format_okta_time", "parse_okta_time", "parsed_or_none", "same_instant"]


def parse_okta_time(value: str) -> datetime:
    """Parse an ISO-8601 timestamp as Okta writes it (``2025-11-02T14:47:13.000Z``)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def parsed_or_none(value: str | None) -> datetime | None:
    """``value`` parsed as Okta's time, or ``None`` when it is missing or not a time."""
    if value is None:
        return None
    try:
        return parse_okta_time(value)
    except ValueError:
        return None


def format_okta_time(moment: datetime) -> str:
    """Write a timestamp the way Okta does: UTC, milliseconds, ``Z``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def same_instant(a: str | None, b: str | None) -> bool:
    """Whether two timestamps name the same instant (``...13Z`` equals ``...13.000Z``)."""
    if a is None or b is None:
        return a == b
    try:
        return parse_okta_time(a) == parse_okta_time(b)
    except ValueError:
        return a == b
