"""A list entry completed from the state: the fields Okta never changes for a token id (``STABLE_FIELDS``).

A real org's list answer carries ``tokenWindow: null`` (FACTS.md §1, the one recorded list answer), so
no entry of it is as good as a GET. A refresh, though, reads tokens the state already holds, and a field
Okta never changes for a token id is the same in the state as in a GET. ``completed`` answers a read
from the list entry plus those state fields, or says the token must be GOT.

Which fields never change for a token id (the rule)
---------------------------------------------------
* ``token_window``: no update body carries it (``ApiTokenUpdate`` has name, userId, network, and
  clientName and created read-only), so the API never changes it for a token id (FACTS.md §1: inferred,
  not documented).
* ``client_name``: the client that created the token; read-only in ``ApiTokenUpdate``.
* ``created``: when the token was created; read-only in ``ApiTokenUpdate``.

Not stable, always taken from the list entry (a read needing them from the state GETs instead):

* ``name``, ``network``: what a PUT changes (ours, another tool's, the Admin Console's).
* ``user_id``: ``ApiTokenUpdate`` carries ``userId``; what Okta does with a changed one is not documented,
  so it may change.
* ``expires_at``: the last use plus the window; every use of the token moves it.
* ``last_updated``: every PUT moves it.

When an entry is completed
--------------------------
* The entry lacks (holds null) only stable fields, and the state holds each of them (not null), for the
  same token id.
* Every stable field both the entry and the state give is equal (a complete entry too): a disagreement
  means the state or the list is wrong about a field that cannot change, and a GET settles it (it is
  never served).
* Anything else (the state lacks a field the entry lacks, an unstable field is missing, another id):
  ``None``, and the caller GETs the token.
"""

from __future__ import annotations

from .._models import TokenMetadata

__all__ = ["STABLE_FIELDS", "completed", "lacks_only_stable_fields", "missing_fields"]

STABLE_FIELDS: frozenset[str] = frozenset({"token_window", "client_name", "created"})
"""``TokenMetadata`` fields Okta never changes for a token id (the module docstring says why)."""


def missing_fields(token: TokenMetadata) -> frozenset[str]:
    """The fields a GET gives that ``token`` holds as null."""
    return frozenset(name for name in TokenMetadata.model_fields if getattr(token, name) is None)


def lacks_only_stable_fields(entry: TokenMetadata) -> bool:
    """Whether every field ``entry`` lacks is one the state may fill (a complete entry lacks none)."""
    return missing_fields(entry) <= STABLE_FIELDS


def completed(entry: TokenMetadata, stored: TokenMetadata | None) -> TokenMetadata | None:
    """``entry`` with the stable fields it lacks taken from ``stored`` (the state's token), or ``None``
    when the rule of the module does not allow it (the token is then GOT). A complete entry is served as
    it is, unless the state disagrees with it on a stable field."""
    if stored is not None and stored.id != entry.id:
        return None
    if stored is not None and _disagree(entry, stored):
        return None
    missing = missing_fields(entry)
    if not missing:
        return entry
    if stored is None or not missing <= STABLE_FIELDS:
        return None
    filled = {name: getattr(stored, name) for name in missing}
    if any(value is None for value in filled.values()):
        return None
    return entry.model_copy(update=filled)


def _disagree(entry: TokenMetadata, stored: TokenMetadata) -> bool:
    """Whether the entry and the state both give a stable field, with different values."""
    return any(
        getattr(entry, name) is not None
        and getattr(stored, name) is not None
        and getattr(entry, name) != getattr(stored, name)
        for name in STABLE_FIELDS
    )
