"""The provider's rules: what ``check`` accepts, what ``diff`` calls a change, what a refresh declares.

Shared by every front door that judges declarations (the dynamic provider today, a native provider
later). The shapes themselves, and the mapping between them, live in ``_models``; the rules here are
written in terms of those models:

* ``check_props``: declared properties are valid when ``TokenSpec`` accepts them; every bad property
  gets one ``(property, reason)`` pair worded for a person (``validation_messages``); values not yet
  known during a preview are not judged.
* ``differences``: the declared fields (and only those) that differ from a token, each a
  ``FieldDifference``; ``ASSERTED_FIELDS`` are the ones Okta cannot change.
* ``refreshed_inputs``: the inputs a refresh returns declare what the token has, but only values
  ``check`` accepts, so that a refreshed stack always passes its own next ``check``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ._models import (
    NetworkCondition,
    TokenMetadata,
    TokenSpec,
    declared_props,
    outputs_from_token,
    shown,
)
from ._okta_time import same_instant

__all__ = [
    "ASSERTED_FIELDS",
    "FieldDifference",
    "check_props",
    "differences",
    "refreshed_inputs",
    "validation_messages",
]

ASSERTED_FIELDS: tuple[str, ...] = ("user_id", "client_name", "created")
"""Declared fields Okta cannot change: declaring them asserts what the live token has."""

REFRESHED_FIELDS: tuple[str, ...] = ("name", "user_id", "network")
"""The declarable fields a refresh declares from the live token (besides ``token_id``)."""


def validation_messages(error: ValidationError) -> list[tuple[str, str]]:
    """``(property, reason)`` pairs of a model validation error, worded for a person."""
    pairs = []
    for item in error.errors():
        location = [str(part) for part in item["loc"] if not str(part).startswith("function-")]
        prop = location[0] if location else "network"
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        elif item["type"] == "extra_forbidden":
            message = f"{shown('.'.join(location))} is not a property of ApiToken"
        elif item["type"] == "missing":
            message = f"{'.'.join(location)} is required"
        pairs.append((prop, message))
    return pairs


def refreshed_inputs(token: TokenMetadata) -> dict[str, Any]:
    """Input properties that declare what the live token has (returned by a refresh).

    Only values ``check`` accepts are declared: a name that is blank, an owner id that is not a user
    id, or a network condition that is none of the five the Admin Console offers (an unknown
    connection, zones with ``ANYWHERE``, ``ZONE`` with both lists or neither, ``ALL_IP_ZONES`` next to
    zone ids, an item that is not a zone id) is left out, as if undeclared. The outputs still show
    exactly what Okta reported; a field left out is not managed, and an update sends Okta's current
    value for it, read just before the PUT.
    """
    live = outputs_from_token(token)
    props: dict[str, Any] = {"token_id": token.id}
    for field in REFRESHED_FIELDS:
        if live[field] is None:
            continue
        try:
            spec = TokenSpec.model_validate({"token_id": _PLACEHOLDER_TOKEN_ID, field: live[field]})
        except ValidationError:
            continue  # check would refuse it: left out, as if undeclared
        props[field] = spec.to_props()[field]
    return props


_PLACEHOLDER_TOKEN_ID = "00T" + "0" * 17


def check_props(
    props: Mapping[str, Any], is_unknown: Callable[[Any], bool]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Validate declared properties for ``check``: canonical inputs, or ``(property, reason)`` failures.

    Values for which ``is_unknown`` is true (not yet known during a preview) are not judged and pass
    through as they are; ``token_id`` must still be present.
    """
    declared = declared_props(props)
    unknown = {key: value for key, value in declared.items() if is_unknown(value)}
    known = {key: value for key, value in declared.items() if key not in unknown}
    if "token_id" not in declared:
        failures = [
            (
                "token_id",
                "token_id is required: the id (00T...) of an existing API token, as shown in "
                "Security > API > Tokens in the Okta Admin Console",
            )
        ]
        try:
            TokenSpec.model_validate({**known, "token_id": _PLACEHOLDER_TOKEN_ID})
        except ValidationError as error:
            failures += validation_messages(error)
        return dict(props), failures
    if "token_id" in unknown:
        known["token_id"] = _PLACEHOLDER_TOKEN_ID
    try:
        spec = TokenSpec.model_validate(known)
    except ValidationError as error:
        return dict(props), validation_messages(error)
    return spec.to_props() | unknown, []


# --------------------------------------------------------------------------------------------
# Comparing a declaration with a token


class FieldDifference(BaseModel):
    """One declared field whose value differs from the token's."""

    model_config = ConfigDict(frozen=True)

    field: str
    declared: Any
    live: Any

    @property
    def asserted(self) -> bool:
        """True for fields Okta cannot change (user_id, client_name, created)."""
        return self.field in ASSERTED_FIELDS

    def describe(self, live_is: str = "the token has") -> str:
        return f"{self.field}: declared {shown(self.declared, 200)}, {live_is} {shown(self.live, 200)}"


def _same_network(declared: NetworkCondition, live: NetworkCondition | None) -> bool:
    return declared.same_as(live)


def _equal(declared: Any, live: Any) -> bool:
    return bool(declared == live)


_SAME: dict[str, Callable[[Any, Any], bool]] = {"created": same_instant, "network": _same_network}
"""How a declared field is compared with the token's, where ``==`` is not the rule."""


def differences(spec: TokenSpec, token: TokenMetadata) -> list[FieldDifference]:
    """The declared fields (token_id aside) that differ from ``token``; unset fields never do."""
    found: list[FieldDifference] = []
    for field, declared in spec:
        if field == "token_id" or declared is None:
            continue
        live = getattr(token, field)
        if not _SAME.get(field, _equal)(declared, live):
            found.append(FieldDifference(field=field, declared=_as_prop(declared), live=_as_prop(live)))
    return found


def _as_prop(value: Any) -> Any:
    return value.to_props() if isinstance(value, NetworkCondition) else value
