"""Token and network-condition models, and the one place that translates between the three forms.

* **Okta JSON**: camelCase, as the API sends and takes it (``userId``, ``network.include``). Okta's
  shapes (``TokenMetadata``, ``NetworkCondition``, ``TokenUpdate``) name their fields in snake_case;
  pydantic's alias generator writes camelCase: ``TokenMetadata.from_okta_json`` / ``to_okta_json``,
  and ``update_body`` for a PUT.
* **Pulumi properties**: snake_case dicts. Declared inputs parse into a ``TokenSpec`` (``from_props`` /
  ``to_props``); outputs are ``TokenMetadata``'s fields (``outputs_from_token`` / ``token_from_outputs``).
* **Models**: ``TokenSpec`` (what the user declared) and ``TokenMetadata`` (what Okta has).

``canonical_network`` is the one place that rewrites the other accepted spellings of a network
condition, for these models and for ``ApiToken`` in the program. Nothing else in the package builds or
parses these shapes; what ``check`` and ``diff`` make of them are rules, in ``_rules``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidatorFunctionWrapHandler, field_validator, model_validator
from pydantic.alias_generators import to_camel

from ._okta_time import parse_okta_time

__all__ = [
    "ALL_IP_ZONES",
    "CONNECTIONS",
    "OUTPUT_FIELDS",
    "NetworkCondition",
    "TokenMetadata",
    "TokenSpec",
    "TokenUpdate",
    "canonical_network",
    "declared_props",
    "is_token_id",
    "outputs_from_token",
    "shown",
    "spelling_conflicts",
    "token_from_outputs",
    "update_body",
]

# Always matched with ``fullmatch``: ``$`` alone would let a trailing newline through.
TOKEN_ID_RE = re.compile(r"00T[0-9A-Za-z]{17}")
USER_ID_RE = re.compile(r"00u[0-9A-Za-z]{17}")
ZONE_ID_RE = re.compile(r"nzo[0-9A-Za-z]{17}")

ALL_IP_ZONES = "ALL_IP_ZONES"
"""The keyword for "any network zone defined in Okta", alone in ``include`` or ``exclude``."""

Connection = Literal["ANYWHERE", "ZONE"]
CONNECTIONS: tuple[str, ...] = ("ANYWHERE", "ZONE")

ZONE_LISTS: tuple[str, ...] = ("include", "exclude")
_OTHER_NAMES = {"includes": "include", "excludes": "exclude"}
"""pulumi-okta's names for the zone lists, and ours."""

SHOWN_LENGTH = 60
"""How many characters of a value an error message echoes."""


def is_token_id(value: Any) -> bool:
    """Whether ``value`` is, as a whole, an Okta API token id (``00T`` and 17 letters or digits)."""
    return isinstance(value, str) and TOKEN_ID_RE.fullmatch(value) is not None


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """``repr(value)`` for an error message, cut after ``limit`` characters of a long value.

    A cut string reads ``'abc…' (1000000 characters)``: a huge value never comes back as a huge reason.
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    text = repr(value)
    if len(text) > limit:
        return f"{text[:limit]}… ({len(text)} characters)"
    return text


# --------------------------------------------------------------------------------------------
# The spellings of a network condition


def canonical_network(value: Any) -> Any:
    """A network condition in canonical spelling: the one normalizer of the spellings we accept.

    * pulumi-okta's ``includes``/``excludes`` become ``include``/``exclude``;
    * null zone lists are dropped;
    * Terraform's ``{"ip": "nzo..."}`` blocks become the zone id;
    * ``connection`` and ``ALL_IP_ZONES`` written in another case are written in upper case.

    Values may still be unresolved (a program's ``Output``): only lists, tuples and strings are looked
    into. Anything it cannot rewrite unambiguously (a list under both names, see
    ``spelling_conflicts``; an unknown key) is left as it is, for validation to report.
    """
    if not isinstance(value, Mapping):
        return value
    network = dict(value)
    for other, name in _OTHER_NAMES.items():
        if other in network and network.get(name) is None:
            network.pop(name, None)
            network[name] = network.pop(other)
    for name in ZONE_LISTS:
        if name in network and network[name] is None:
            del network[name]
        elif isinstance(network.get(name), (list, tuple)):
            network[name] = [_canonical_zone(item) for item in network[name]]
    connection = network.get("connection")
    if isinstance(connection, str) and connection.upper() in CONNECTIONS:
        network["connection"] = connection.upper()
    return network


def spelling_conflicts(value: Mapping[str, Any]) -> list[str]:
    """Why a network condition is ambiguous: a zone list given under both its names (none: ``[]``)."""
    return [
        f"give {name} or {other}, not both (they are the same field)"
        for other, name in _OTHER_NAMES.items()
        if value.get(other) is not None and value.get(name) is not None
    ]


def _canonical_zone(item: Any) -> Any:
    if isinstance(item, Mapping) and set(item) == {"ip"}:
        item = item["ip"]
    if isinstance(item, str) and item.upper() == ALL_IP_ZONES:
        return ALL_IP_ZONES
    return item


def _zone_id(value: Any, where: str) -> str:
    """One canonical include/exclude item, checked: a zone id or ``ALL_IP_ZONES``."""
    if isinstance(value, Mapping):
        raise ValueError(
            f"{where} must be a network zone id string or an {{'ip': 'nzo...'}} block, "
            f"got keys {shown(sorted(value, key=str))}"
        )
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a network zone id string (nzo...), got {shown(value)}")
    if ZONE_ID_RE.fullmatch(value) or value == ALL_IP_ZONES:
        return value
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(
            f"{where} is {shown(value)}, not a network zone id: Okta zone ids are 'nzo' followed by "
            "17 letters or digits (Security > Networks in the Admin Console shows them), or "
            f"'{ALL_IP_ZONES}' alone for any zone defined in Okta"
        ) from None
    raise ValueError(
        f"{where} is the address {shown(value)}, but API tokens take network zone ids (nzo...), "
        "not addresses: create an IP network zone holding it and use that zone's id"
    )


# --------------------------------------------------------------------------------------------
# What Okta sends and takes


class _OktaShape(BaseModel):
    """A shape of Okta's API: snake_case fields in Python, camelCase on the wire (by alias)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    def to_okta_json(self) -> dict[str, Any]:
        """Okta's JSON: camelCase, fields at their default (unset, an empty zone list) left out.

        No serializer warnings: a reported network (``reported_network``) may hold ill-typed values.
        """
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True, warnings=False)


class NetworkCondition(_OktaShape):
    """Where a token may be used from: ``ANYWHERE``, or ``ZONE`` with included or excluded zones.

    The Admin Console's five choices, as declared and as Okta's API spells them:

    * any IP: ``{"connection": "ANYWHERE"}``;
    * in any network zone defined in Okta: ``{"connection": "ZONE", "include": ["ALL_IP_ZONES"]}``;
    * in any of these zones: ``{"connection": "ZONE", "include": ["nzo...", ...]}``;
    * not in any network zone defined in Okta: ``{"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}``;
    * not in any of these zones: ``{"connection": "ZONE", "exclude": ["nzo...", ...]}``.

    Input accepts every spelling ``canonical_network`` rewrites; the model holds plain lists of zone
    ids (each once) in canonical case. ``ALL_IP_ZONES`` is only valid alone in its list.
    """

    model_config = ConfigDict(extra="forbid")

    connection: Connection
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _accept_other_spellings(cls, data: Any) -> Any:
        conflicts = spelling_conflicts(data) if isinstance(data, Mapping) else []
        if conflicts:
            raise ValueError("network: " + "; ".join(conflicts))
        return canonical_network(data)

    @field_validator("connection", mode="before")
    @classmethod
    def _check_connection(cls, value: Any) -> Any:
        if value not in CONNECTIONS:
            raise ValueError(f"network.connection must be 'ANYWHERE' or 'ZONE', got {shown(value)}")
        return value

    @field_validator("include", "exclude", mode="before")
    @classmethod
    def _check_zone_ids(cls, value: Any, info: Any) -> tuple[str, ...]:
        where = f"network.{info.field_name}"
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise ValueError(f"{where} must be a list of network zone ids")
        zones = tuple(dict.fromkeys(_zone_id(item, f"{where}[{i}]") for i, item in enumerate(value)))
        if ALL_IP_ZONES in zones and len(zones) > 1:
            raise ValueError(
                f"{where} mixes '{ALL_IP_ZONES}' with zone ids: '{ALL_IP_ZONES}' means any zone defined "
                "in Okta and stands alone; keep either it or the list of zone ids"
            )
        return zones

    @model_validator(mode="after")
    def _check_combination(self) -> NetworkCondition:
        if self.connection == "ANYWHERE" and (self.include or self.exclude):
            raise ValueError(
                "network: connection 'ANYWHERE' takes no include or exclude zones; "
                "use connection 'ZONE' to restrict the token, or drop the zone lists"
            )
        if self.connection == "ZONE" and bool(self.include) == bool(self.exclude):
            raise ValueError(
                "network: connection 'ZONE' needs exactly one of include or exclude, non-empty "
                "(Okta allows either an allow-list or a deny-list of zones, not both or neither)"
            )
        return self

    def same_as(self, other: NetworkCondition | None) -> bool:
        """Equality with include/exclude compared as sets (Okta does not promise an order)."""
        return (
            other is not None
            and self.connection == other.connection
            and set(self.include) == set(other.include)
            and set(self.exclude) == set(other.exclude)
        )

    def to_props(self) -> dict[str, Any]:
        """The Pulumi property: ``connection``, and both zone lists, empty or not."""
        return self.model_dump(mode="json", warnings=False)


def reported_network(value: Mapping[str, Any]) -> NetworkCondition:
    """A network condition as Okta reported it (or as stored outputs hold it), never refused.

    Only the spelling is made canonical (``canonical_network``; a lone zone where a list belongs
    becomes a list of one, a missing list an empty one). Anything else (an unknown connection, zones
    with ``ANYWHERE``, both lists, duplicates) is kept as reported: the outputs show what Okta has,
    and a refresh leaves out of the inputs what cannot be declared.
    """
    lists = {name: _as_list(value.get(name)) for name in ZONE_LISTS}
    network = canonical_network({**value, **lists})
    return NetworkCondition.model_construct(
        connection=network.get("connection"),
        include=tuple(network.get("include", ())),
        exclude=tuple(network.get("exclude", ())),
    )


def _as_list(value: Any) -> Any:
    return value if value is None or isinstance(value, (list, tuple)) else [value]


class TokenMetadata(_OktaShape):
    """An API token's metadata as Okta returns it (the secret is never part of it), in Okta's order.

    Lenient on purpose: real list responses carry ``tokenWindow: null``, and a token whose name is
    missing is still a token, so a read never fails on a field we do not manage. Every field but
    ``id`` is also an output property of the same name (``OUTPUT_FIELDS``).
    """

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str | None = None
    user_id: str | None = None
    client_name: str | None = None
    token_window: str | None = None
    network: NetworkCondition | None = None
    expires_at: str | None = None
    created: str | None = None
    last_updated: str | None = None

    @field_validator("network", mode="wrap")
    @classmethod
    def _lenient_network(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # What Okta sends is taken as it is, even where we would refuse it as input.
        if isinstance(value, Mapping):
            return reported_network(value)
        if isinstance(value, NetworkCondition):
            return value
        return handler(value)

    @classmethod
    def from_okta_json(cls, data: Mapping[str, Any]) -> TokenMetadata:
        return cls.model_validate(data)


class TokenUpdate(_OktaShape):
    """Okta's ``ApiTokenUpdate``: the fields a PUT may change (name, network) or check (owner)."""

    name: str | None = None
    user_id: str | None = None
    network: NetworkCondition | None = None


def update_body(name: str | None, user_id: str | None, network: NetworkCondition | None) -> dict[str, Any]:
    """The JSON of a PUT (``TokenUpdate``); a ``None`` field is left out."""
    return TokenUpdate(name=name, user_id=user_id, network=network).to_okta_json()


# --------------------------------------------------------------------------------------------
# Pulumi properties

OUTPUT_FIELDS: tuple[str, ...] = ("token_id", *(name for name in TokenMetadata.model_fields if name != "id"))
"""Every output property of an ``ApiToken`` resource: ``token_id``, then the token's other fields."""


def outputs_from_token(token: TokenMetadata) -> dict[str, Any]:
    """The output properties of a resource, from the live token (``id`` as ``token_id``)."""
    fields = token.model_dump(mode="json", warnings=False)
    return {"token_id": fields.pop("id"), **fields}


def token_from_outputs(token_id: str, outputs: Mapping[str, Any]) -> TokenMetadata:
    """The token as the stored outputs last saw it (``token_id`` is the resource id)."""
    return TokenMetadata.model_validate({**outputs, "id": outputs.get("token_id") or token_id})


def declared_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """The declared properties: ``None`` values are unset, ``__``-keys are the engine's (``__provider``)."""
    return {key: value for key, value in props.items() if value is not None and not key.startswith("__")}


class TokenSpec(BaseModel):
    """The declared inputs of an ``ApiToken`` resource. Unset fields are not managed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token_id: str
    name: str | None = None
    user_id: str | None = None
    client_name: str | None = None
    created: str | None = None
    network: NetworkCondition | None = None

    @field_validator("token_id", mode="before")
    @classmethod
    def _check_token_id(cls, value: Any) -> Any:
        if not is_token_id(value):
            raise ValueError(
                f"token_id must be an Okta API token id, '00T' followed by 17 letters or digits "
                f"(Security > API > Tokens in the Admin Console), got {shown(value)}"
            )
        return value

    @field_validator("user_id", mode="before")
    @classmethod
    def _check_user_id(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and USER_ID_RE.fullmatch(value)):
            raise ValueError(
                f"user_id must be an Okta user id, '00u' followed by 17 letters or digits, got {shown(value)}"
            )
        return value

    @field_validator("name", mode="before")
    @classmethod
    def _check_name(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise ValueError("name must be a non-empty string; omit it to keep the token's name")
        return value

    @field_validator("client_name", mode="before")
    @classmethod
    def _check_client_name(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"client_name must be a string, got {shown(value)}")
        return value

    @field_validator("created", mode="before")
    @classmethod
    def _check_created(cls, value: Any) -> Any:
        if value is None:
            return value
        try:
            parse_okta_time(value)
        except (TypeError, ValueError, AttributeError):
            raise ValueError(
                "created must be an ISO-8601 timestamp such as '2025-11-02T14:47:13.000Z', "
                f"got {shown(value)}"
            ) from None
        return value

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> TokenSpec:
        """Parse declared Pulumi properties; ``None`` values count as unset."""
        return cls.model_validate(declared_props(props))

    def to_props(self) -> dict[str, Any]:
        """Canonical input properties: only what was declared, zone lists as plain ids."""
        return self.model_dump(mode="json", exclude_none=True)
