"""The credential: an API token, an OAuth access token, or a service app's client ID and private key.

Exactly one kind is used. The stack config's kind wins over whatever the environment holds; two kinds
in the same place are a conflict. The classes here refuse pickling (the provider object is stored in
the stack state, credentials never are), and their ``repr`` never shows a secret.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import ClassVar, NoReturn

from .private_key import read_private_key
from .refusals import fail, refuse_shape
from .sources import (
    ACCESS_TOKEN,
    API_TOKEN,
    CLIENT_ID,
    DEFAULT_SCOPES,
    PRIVATE_KEY,
    PRIVATE_KEY_ID,
    SCOPES,
    Setting,
    Sources,
)

__all__ = ["AccessTokenAuth", "ApiTokenAuth", "Auth", "PrivateKeyAuth", "read_auth"]


class _Unpicklable:
    """Credentials never travel in a pickle (the provider object is stored in the stack state)."""

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds a credential and is never pickled")


@dataclass(frozen=True)
class _HeaderToken(_Unpicklable):
    """A token sent as it is, after its scheme, in the ``Authorization`` header."""

    scheme: ClassVar[str]
    token: str = field(repr=False)

    @property
    def authorization(self) -> str:
        return f"{self.scheme} {self.token}"


@dataclass(frozen=True)
class ApiTokenAuth(_HeaderToken):
    """An Okta API token, sent as ``Authorization: SSWS <token>``."""

    scheme: ClassVar[str] = "SSWS"


@dataclass(frozen=True)
class AccessTokenAuth(_HeaderToken):
    """An OAuth 2.0 access token with the okta.apiTokens scopes, sent as ``Bearer <token>``."""

    scheme: ClassVar[str] = "Bearer"


@dataclass(frozen=True)
class PrivateKeyAuth(_Unpicklable):
    """An OAuth service app: client credentials with a ``private_key_jwt`` client assertion."""

    client_id: str
    private_key: str = field(repr=False)
    """PEM text of the app's private key (RSA or EC)."""
    key_id: str | None = None
    scopes: tuple[str, ...] = DEFAULT_SCOPES


Auth = ApiTokenAuth | AccessTokenAuth | PrivateKeyAuth

_CREDENTIAL_KINDS: dict[str, tuple[Setting, ...]] = {
    "API token": (API_TOKEN,),
    "access token": (ACCESS_TOKEN,),
    "private key": (CLIENT_ID, PRIVATE_KEY),
}
"""Each way to authenticate, and the settings whose presence selects it."""

_HEADER_TOKEN_RE = re.compile(r"[\x21-\x7e]+")
"""What an ``Authorization`` header value can carry: printable ASCII, no spaces or line breaks."""
_CLIENT_ID_RE = re.compile(r"[A-Za-z0-9._~:@+-]{1,255}")
_KEY_ID_RE = re.compile(r"[\x21-\x7e]{1,255}")
_SCOPE_RE = re.compile(r"okta\.[A-Za-z0-9_-]{1,64}(?:\.[A-Za-z0-9_-]{1,64}){0,4}")
"""The org authorization server grants only ``okta.*`` scopes (``okta.apiTokens.read``)."""


def read_auth(sources: Sources) -> Auth:
    """The one credential configured, checked for the shape its kind takes."""
    kind = _credential_kind(sources)
    if kind == "API token":
        return ApiTokenAuth(_header_token(sources, API_TOKEN, "an Okta API token"))
    if kind == "access token":
        return AccessTokenAuth(_header_token(sources, ACCESS_TOKEN, "an OAuth access token"))
    return _private_key_auth(sources)


def _credential_kind(sources: Sources) -> str:
    for place, read in (("the stack config", sources.from_config), ("the environment", sources.from_env)):
        found = {
            kind: [s for s in settings if read(s) is not None] for kind, settings in _CREDENTIAL_KINDS.items()
        }
        kinds = [kind for kind, present in found.items() if present]
        if len(kinds) > 1:
            names = ", ".join(
                (f"okta:{s.key}" if place == "the stack config" else s.env)
                for kind in kinds
                for s in found[kind]
            )
            fail(f"Conflicting Okta credentials in {place}: {names} set; keep exactly one kind.")
        if kinds:
            return kinds[0]
    fail("No Okta credentials are configured.")


def _required(sources: Sources, setting: Setting) -> tuple[str, str]:
    found = sources.get(setting)
    if found is None:
        fail(f"{setting.describe()} is required.")
    return found


def _header_token(sources: Sources, setting: Setting, what: str) -> str:
    value, where = _required(sources, setting)
    if not _HEADER_TOKEN_RE.fullmatch(value):
        refuse_shape(where, f"must be {what} alone: printable characters, no spaces or line breaks")
    return value


def _private_key_auth(sources: Sources) -> PrivateKeyAuth:
    missing = [s.describe() for s in (CLIENT_ID, PRIVATE_KEY) if sources.value(s) is None]
    if missing:
        fail(f"Private key authentication needs {' and '.join(missing)} as well.")
    return PrivateKeyAuth(
        client_id=_client_id(sources),
        private_key=read_private_key(*_required(sources, PRIVATE_KEY)),
        key_id=_key_id(sources),
        scopes=_scopes(sources.get(SCOPES)),
    )


def _client_id(sources: Sources) -> str:
    value, where = _required(sources, CLIENT_ID)
    if not _CLIENT_ID_RE.fullmatch(value):
        refuse_shape(
            where,
            "must be the service app's client ID, such as 0oa1b2c3d4e5f6g7h8i9 "
            "(letters, digits and . _ ~ : @ + -, at most 255 characters)",
        )
    return value


def _key_id(sources: Sources) -> str | None:
    found = sources.get(PRIVATE_KEY_ID)
    if found is None:
        return None
    value, where = found
    if not _KEY_ID_RE.fullmatch(value):
        refuse_shape(where, "must be the key's id (kid) as the app lists it: printable characters, no spaces")
    return value


def _scopes(found: tuple[str, str] | None) -> tuple[str, ...]:
    """Space- or comma-separated, or a JSON list (a YAML list in the stack config arrives as one)."""
    if found is None:
        return DEFAULT_SCOPES
    text, where = found
    expected = (
        "takes Okta scopes separated by spaces or commas, or a list of them, "
        f"such as '{' '.join(DEFAULT_SCOPES)}' (each 'okta.' followed by letters and dots)"
    )
    if text.startswith("["):
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            refuse_shape(where, expected)
        text = " ".join(items)
    scopes = tuple(scope for scope in re.split(r"[\s,]+", text) if scope)
    if not scopes or not all(_SCOPE_RE.fullmatch(scope) for scope in scopes):
        refuse_shape(where, expected)
    return scopes
