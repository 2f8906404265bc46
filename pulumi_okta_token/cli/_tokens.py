"""The org's tokens as the commands see them: settings, one listing, derived fields, filters.

Every command reads the org the way the provider does: ``_settings.load_settings`` over the environment
(``--org-url`` taking the place of ``OKTA_ORG_URL``) and ``_transport.OktaApiTokens(settings).list()``.
Nothing here talks HTTP itself.

Derived fields, as the Admin Console shows them (FACTS.md): the window restarts at each use, so
``last used = expiresAt - tokenWindow``. Real orgs send ``tokenWindow: null`` in list answers; then the
last use is unknown unless the org's window is given (``--token-window P30D``).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from .._models import ALL_IP_ZONES, USER_ID_RE, TokenMetadata
from .._okta_time import format_okta_time, parsed_or_none
from .._settings import OktaSettings, load_settings, normalize_org_url, warn_once
from ..errors import ConfigurationError

__all__ = [
    "NETWORK_CHOICES",
    "TokenFilters",
    "TokenView",
    "UsageError",
    "cli_settings",
    "fetch_tokens",
    "network_label",
    "parse_duration",
    "views",
]

NETWORK_CHOICES: tuple[str, ...] = ("anywhere", "zone")

_ORG_SETTINGS = ("OKTA_ORG_URL", "OKTA_ORG_NAME")
_CREDENTIAL_SETTINGS = ("OKTA_API_TOKEN", "OKTA_ACCESS_TOKEN", "OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY")
_DURATION_RE = re.compile(
    r"P(?:(?P<weeks>\d{1,6})W)?(?:(?P<days>\d{1,6})D)?"
    r"(?:T(?:(?P<hours>\d{1,8})H)?(?:(?P<minutes>\d{1,10})M)?(?:(?P<seconds>\d{1,12}(?:\.\d{1,9})?)S)?)?"
)


class UsageError(Exception):
    """A command line the tool cannot act on (exit 2); the message names what to change."""


# --------------------------------------------------------------------------------------------
# Settings


def cli_settings(org_url: str | None, environ: Mapping[str, str]) -> OktaSettings:
    """The provider's settings from ``environ``; ``org_url`` (``--org-url``) replaces the org variables.

    Raises ``ConfigurationError`` (never showing a value) as ``load_settings`` does.
    """
    env = dict(environ)
    if org_url is not None:
        normalize_org_url(org_url, "--org-url")
        for name in (*_ORG_SETTINGS, "OKTA_BASE_URL"):
            env.pop(name, None)
        env["OKTA_ORG_URL"] = org_url
    elif not any((env.get(name) or "").strip() for name in _ORG_SETTINGS):
        raise ConfigurationError(
            "No Okta org is configured: pass --org-url https://<org>.okta.com, or set OKTA_ORG_URL "
            "(or OKTA_ORG_NAME, with OKTA_BASE_URL when it is not okta.com)"
        )
    if not any((env.get(name) or "").strip() for name in _CREDENTIAL_SETTINGS):
        raise ConfigurationError(
            "No Okta credential is configured: set OKTA_API_TOKEN (an API token), OKTA_ACCESS_TOKEN, or "
            "OKTA_API_CLIENT_ID and OKTA_API_PRIVATE_KEY (a service app) in the environment"
        )
    settings = load_settings(None, env)
    warn_once(settings.notices)
    return settings


def fetch_tokens(
    settings: OktaSettings, on_page: Callable[[list[TokenMetadata]], None] | None = None
) -> list[TokenMetadata]:
    """Every active token of the org: one list request, following its pages. ``on_page`` is given each
    page's tokens as soon as it is checked (the whole list may still be refused after)."""
    from .._transport import OktaApiTokens  # the SDK and aiohttp load only once the command line is good

    return OktaApiTokens(settings).list(on_page)


# --------------------------------------------------------------------------------------------
# Derived fields


def parse_duration(text: str) -> timedelta | None:
    """An ISO-8601 duration in weeks, days, hours, minutes and seconds (``P30D``, ``PT720H``), or ``None``
    when ``text`` is not one (years and months have no fixed length, so they are not read)."""
    text = text.strip().upper()
    match = _DURATION_RE.fullmatch(text)
    if match is None or text.endswith("T"):
        return None
    parts = {key: float(value) for key, value in match.groupdict().items() if value is not None}
    return timedelta(**parts) if parts else None


@dataclass(frozen=True)
class TokenView:
    """A token with the fields the commands derive from it at ``now``."""

    token: TokenMetadata
    expires_at: datetime | None
    """``expiresAt`` read as a moment; ``None`` when missing or unreadable."""
    window: timedelta | None
    """``tokenWindow`` read as a duration, else the window given on the command line, else ``None``."""
    now: datetime

    @property
    def last_used(self) -> datetime | None:
        """``expiresAt - tokenWindow``: the window restarts at each use. ``None`` when either is unknown."""
        if self.expires_at is None or self.window is None:
            return None
        return self.expires_at - self.window

    @property
    def days_left(self) -> int | None:
        """Whole days until ``expiresAt`` (negative once past); ``None`` when it is unknown."""
        if self.expires_at is None:
            return None
        return math.floor((self.expires_at - self.now).total_seconds() / 86400)

    def okta_json(self) -> dict[str, object]:
        """Okta's own fields (every one, ``null`` when absent) plus ``lastUsed`` and ``daysLeft``."""
        token = self.token
        last_used = self.last_used
        return {
            "id": token.id,
            "name": token.name,
            "userId": token.user_id,
            "clientName": token.client_name,
            "created": token.created,
            "lastUpdated": token.last_updated,
            "expiresAt": token.expires_at,
            "tokenWindow": token.token_window,
            "network": token.network.to_okta_json() if token.network is not None else None,
            "lastUsed": format_okta_time(last_used) if last_used is not None else None,
            "daysLeft": self.days_left,
        }


def views(tokens: Iterable[TokenMetadata], now: datetime, window: timedelta | None = None) -> list[TokenView]:
    """A ``TokenView`` per token, sorted by name then id; ``window`` stands in for a missing
    ``tokenWindow`` (real orgs send null in lists)."""
    made = [
        TokenView(
            token=token,
            expires_at=parsed_or_none(token.expires_at),
            window=(parse_duration(token.token_window) if token.token_window else None) or window,
            now=now,
        )
        for token in tokens
    ]
    return sorted(made, key=lambda view: (view.token.name or "", view.token.id))


def network_label(token: TokenMetadata) -> str:
    """The network condition in a few words: ``anywhere``, ``in 2 zones``, ``not in any zone``, ..."""
    network = token.network
    if network is None:
        return "unknown"
    if network.connection == "ANYWHERE" and not (network.include or network.exclude):
        return "anywhere"
    if network.connection == "ZONE" and bool(network.include) != bool(network.exclude):
        zones = network.include or network.exclude
        where = "in" if network.include else "not in"
        if tuple(zones) == (ALL_IP_ZONES,):
            return f"{where} any zone"
        return f"{where} {len(zones)} zone{'s' if len(zones) != 1 else ''}"
    return f"odd: {network.connection}"


# --------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class TokenFilters:
    """``--name GLOB``, ``--owner USER_ID``, ``--network anywhere|zone``; ``None`` matches everything."""

    name: str | None = None
    owner: str | None = None
    network: Literal["anywhere", "zone"] | None = None

    def __post_init__(self) -> None:
        if self.owner is not None and not USER_ID_RE.fullmatch(self.owner):
            raise UsageError(
                "--owner takes an Okta user id: '00u' followed by 17 letters or digits "
                "(the userId column of `pulumi-okta-token list`)"
            )

    def keep(self, token: TokenMetadata) -> bool:
        if self.name is not None and not fnmatch.fnmatchcase(token.name or "", self.name):
            return False
        if self.owner is not None and token.user_id != self.owner:
            return False
        if self.network is not None:
            connection = token.network.connection if token.network is not None else None
            if connection != self.network.upper():
                return False
        return True

    def apply(self, tokens: Sequence[TokenMetadata]) -> list[TokenMetadata]:
        return [token for token in tokens if self.keep(token)]

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.name, self.owner, self.network))
