"""Which listed tokens may be the credential the command signs in with, so that ``generate
--revoke-on-destroy`` never arms the revocation of the token a stack signs in with.

Okta's API never says which token a secret belongs to: a token's metadata holds no trace of its secret,
and the only call about "the current token" revokes it (``DELETE /api/v1/api-tokens/current``). What
the answers do show is use: each request made with a token moves its ``expiresAt`` on (last use =
``expiresAt - tokenWindow``, FACTS.md), and the listing this command just made was one. So with an API
token (``OKTA_API_TOKEN``) the candidates are the tokens used while the command ran:

* a token whose ``tokenWindow`` is given: last used at or after the command started, less
  ``CLOCK_SLACK`` for the org's clock against this machine's;
* a token listed without a window (real orgs send ``tokenWindow: null`` in lists): the windows are
  taken to be the org's one window, so the token just used has the latest ``expiresAt``; every token
  within ``CLOCK_SLACK`` of the latest is a candidate;
* a token whose ``expiresAt`` cannot be read: a candidate (nothing says it was not used).

A token another client used in the same minutes is a candidate too: it stays retained, which is the
safe way to be wrong. With an OAuth credential (an access token or a service app) no API token is the
command's credential, and there is no candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .._models import TokenMetadata
from .._okta_time import parsed_or_none
from .._settings import ApiTokenAuth, OktaSettings
from ._tokens import parse_duration

__all__ = ["CLOCK_SLACK", "SignIn", "sign_in_of"]

CLOCK_SLACK = timedelta(minutes=10)
"""How far the org's clock may be from this machine's, and how long before the command started a use
still counts as the command's."""


@dataclass(frozen=True)
class SignIn:
    """How the command signed in, and the listed tokens that may be its credential."""

    api_token: bool
    """An API token (SSWS); else OAuth, which no listed token is."""
    candidates: frozenset[str] = frozenset()
    """Ids of the tokens used while the command ran: any of them may be its credential."""


def sign_in_of(settings: OktaSettings, tokens: Sequence[TokenMetadata], started: datetime) -> SignIn:
    """How the command signed in with ``settings``, and which of the org's ``tokens`` may be the
    credential (used since ``started``, less ``CLOCK_SLACK``)."""
    if not isinstance(settings.auth, ApiTokenAuth):
        return SignIn(api_token=False)
    return SignIn(api_token=True, candidates=frozenset(_used_since(tokens, started - CLOCK_SLACK)))


def _used_since(tokens: Sequence[TokenMetadata], since: datetime) -> list[str]:
    found: list[str] = []
    windowless: dict[str, datetime] = {}
    for token in tokens:
        expires = parsed_or_none(token.expires_at)
        window = parse_duration(token.token_window) if token.token_window else None
        if expires is None:
            found.append(token.id)
        elif window is None:
            windowless[token.id] = expires
        elif expires - window >= since:
            found.append(token.id)
    if windowless:
        latest = max(windowless.values())
        found += [token_id for token_id, expires in windowless.items() if expires >= latest - CLOCK_SLACK]
    return found
