"""What the fake org's API tokens are made of: their defaults, the values handed out, the record kept.

The org's token state and what changes it are ``FakeOrg``'s (``backend``); these are the pieces it
and the seed loader (``seed``) share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..._models import NetworkCondition, TokenMetadata
from ..._okta_time import format_okta_time, parse_okta_time

__all__ = [
    "DEFAULT_CLIENT_NAME",
    "DEFAULT_TOKEN_WINDOW",
    "TOKEN_WINDOW",
    "FakeToken",
    "Principal",
    "TokenRecord",
    "bumped_last_updated",
    "network_condition",
]

DEFAULT_CLIENT_NAME = "Okta API"
DEFAULT_TOKEN_WINDOW = "P30D"
TOKEN_WINDOW = timedelta(days=30)
"""How long a token stays valid after its last use (its ``expiresAt`` moves on with each use)."""


@dataclass(frozen=True)
class FakeToken:
    """A token made by ``add_token``: its id, its secret (for ``SSWS``) and its metadata then."""

    id: str
    secret: str = field(repr=False)
    metadata: TokenMetadata


@dataclass(frozen=True)
class Principal:
    """Who a valid ``SSWS`` secret acts as: a token acts with its user's admin role."""

    user_id: str
    token_id: str
    role: str | None


@dataclass
class TokenRecord:
    """An active token as the org keeps it: its metadata now, its secret and its last use."""

    metadata: TokenMetadata
    secret: str
    last_used: datetime


def network_condition(value: Mapping[str, Any] | NetworkCondition | None) -> NetworkCondition:
    """The network condition of a token made or changed out of band (``ANYWHERE`` when none is given).

    Validated by ``NetworkCondition`` as a declaration is (``ALL_IP_ZONES`` alone in its list included);
    zone ids are not checked against the org here: ``add_token`` adds the unknown ones.
    """
    if value is None:
        return NetworkCondition(connection="ANYWHERE")
    if isinstance(value, NetworkCondition):
        return value
    return NetworkCondition.model_validate(value)


def bumped_last_updated(metadata: TokenMetadata, now: datetime) -> str:
    """A ``lastUpdated`` later than the token's current one, even when the clock has not moved.

    Compared in whole milliseconds, the precision Okta writes: a change within the millisecond of
    the previous one still moves ``lastUpdated`` on.
    """
    moment = now.replace(microsecond=now.microsecond // 1000 * 1000)
    if metadata.last_updated is not None:
        previous = parse_okta_time(metadata.last_updated)
        if moment <= previous:
            moment = previous + timedelta(milliseconds=1)
    return format_okta_time(moment)
