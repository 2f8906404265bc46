"""Loading a seed document (``python -m pulumi_okta_token.testing --seed``) into a fake org.

``FakeOrg.load_seed`` calls ``add_seed``: every part and value of the document may be missing and is
then filled realistically, as ``add_user``, ``add_zone`` and ``add_token`` fill them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import moment
from .tokens import DEFAULT_CLIENT_NAME, DEFAULT_TOKEN_WINDOW, TOKEN_WINDOW, FakeToken
from .users import ACTIVE

if TYPE_CHECKING:
    from .backend import FakeOrg

__all__ = ["add_seed"]


def add_seed(org: FakeOrg, data: Mapping[str, Any]) -> list[FakeToken]:
    """Add what ``data`` describes to ``org`` (see ``FakeOrg.load_seed``); returns the tokens added."""
    if not isinstance(data, Mapping):
        raise ValueError("a seed is a JSON object with 'users', 'zones' and 'tokens' lists")
    for user in _items(data, "users"):
        _add_user(org, user)
    for zone in _items(data, "zones"):
        org.add_zone(name=zone.get("name") or "zone", id=zone.get("id"))
    return [_add_token(org, token) for token in _items(data, "tokens")]


def _add_user(org: FakeOrg, user: Mapping[str, Any]) -> None:
    org.add_user(
        id=user.get("id"),
        login=user.get("login"),
        **_seed_roles(user),
        status=user.get("status") or ACTIVE,
        first_name=user.get("firstName"),
        last_name=user.get("lastName"),
        created=user.get("created"),
        last_login=user.get("lastLogin"),
    )


def _add_token(org: FakeOrg, token: Mapping[str, Any]) -> FakeToken:
    """A token from its ApiToken JSON and ``secret``; its ``expiresAt`` sets its last use."""
    expires = moment(token.get("expiresAt"))
    return org.add_token(
        token.get("name") or "token",
        id=token.get("id"),
        secret=token.get("secret"),
        user_id=token.get("userId"),
        client_name=token.get("clientName") or DEFAULT_CLIENT_NAME,
        created=token.get("created"),
        last_updated=token.get("lastUpdated"),
        last_used=expires - TOKEN_WINDOW if expires else None,
        network=token.get("network"),
        token_window=token.get("tokenWindow", DEFAULT_TOKEN_WINDOW),
    )


def _seed_roles(user: Mapping[str, Any]) -> dict[str, Any]:
    """``add_user``'s role argument from a seed user: ``roles`` (a list), or the older ``role``."""
    if "roles" in user:
        roles = user["roles"]
        if not isinstance(roles, list):
            raise ValueError(f"seed user {user.get('id')!r}: roles must be a list of role types")
        return {"roles": roles}
    if "role" in user:
        return {"role": user["role"]}
    return {}


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise ValueError(f"seed {key!r} must be a list of objects")
    return items
