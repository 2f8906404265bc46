"""Token and network-condition models, and the one place that translates between the three forms.

The three forms of an API token:

* **Okta JSON**: camelCase, as the API sends and takes it (``userId``, ``network.include``, ``_links``).
  ``TokenMetadata.from_okta_json`` / ``TokenMetadata.to_okta_json`` and ``update_body``.
* **Pulumi properties**: snake_case dicts in the engine's messages. Declared inputs are parsed into a
  ``TokenSpec`` (``TokenSpec.from_props`` / ``TokenSpec.to_props``); stored outputs come from and go
  back to ``TokenMetadata`` (``outputs_from_token`` / ``token_from_outputs``).
* **Models**: ``TokenSpec`` (what the user declared) and ``TokenMetadata`` (what Okta has).

Nothing else in the package builds or parses these shapes.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

__all__ = [
    "ALL_IP_ZONES",
    "ASSERTED_FIELDS",
    "CONNECTIONS",
    "OUTPUT_FIELDS",
    "FieldDifference",
    "NetworkCondition",
    "TokenMetadata",
    "TokenSpec",
    "check_props",
    "differences",
    "format_okta_time",
    "is_token_id",
    "normalize_network_props",
    "outputs_from_token",
    "parse_okta_time",
    "refreshed_inputs",
    "same_instant",
    "shown",
    "token_from_outputs",
    "update_body",
    "validation_messages",
]

# Always matched with ``fullmatch``: ``$`` alone would let a trailing newline through.
TOKEN_ID_RE = re.compile(r"00T[0-9A-Za-z]{17}")
USER_ID_RE = re.compile(r"00u[0-9A-Za-z]{17}")
ZONE_ID_RE = re.compile(r"nzo[0-9A-Za-z]{17}")

ALL_IP_ZONES = "ALL_IP_ZONES"
"""The keyword for "any network zone defined in Okta", alone in ``include`` or ``exclude``."""

Connection = Literal["ANYWHERE", "ZONE"]
CONNECTIONS: tuple[str, ...] = ("ANYWHERE", "ZONE")

ASSERTED_FIELDS: tuple[str, ...] = ("user_id", "client_name", "created")
"""Declared fields Okta cannot change: declaring them asserts what the live token has."""

OUTPUT_FIELDS: tuple[str, ...] = (
    "token_id",
    "name",
    "user_id",
    "client_name",
    "created",
    "network",
    "last_updated",
    "expires_at",
    "token_window",
)
"""Every output property of an ``ApiToken`` resource, in the order they are documented."""


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
# Time


def parse_okta_time(value: str) -> datetime:
    """Parse an ISO-8601 timestamp as Okta writes it (``2025-11-02T14:47:13.000Z``)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


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


# --------------------------------------------------------------------------------------------
# Network condition


def _zone_id(value: Any, where: str) -> str:
    """One include/exclude item: a zone id, ``ALL_IP_ZONES``, or Terraform's ``{"ip": "nzo..."}`` block."""
    if isinstance(value, Mapping):
        if set(value) != {"ip"}:
            raise ValueError(
                f"{where} must be a network zone id string or an {{'ip': 'nzo...'}} block, "
                f"got keys {shown(sorted(value, key=str))}"
            )
        value = value["ip"]
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a network zone id string (nzo...), got {shown(value)}")
    if ZONE_ID_RE.fullmatch(value):
        return value
    if value.upper() == ALL_IP_ZONES:
        return ALL_IP_ZONES
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


def normalize_network_props(value: Any) -> Any:
    """Declared network props in canonical spelling: ``include``/``exclude`` lists of zone ids.

    Rewrites pulumi-okta's ``includes``/``excludes`` and unwraps ``{"ip": "nzo..."}`` blocks. Anything
    it cannot rewrite unambiguously is left as it is, for ``check`` to report.
    """
    if not isinstance(value, Mapping):
        return value
    props = dict(value)
    for plural, singular in (("includes", "include"), ("excludes", "exclude")):
        if plural in props and props.get(singular) is None:
            props.pop(singular, None)
            props[singular] = props.pop(plural)
    for key in ("include", "exclude"):
        items = props.get(key)
        if isinstance(items, (list, tuple)):
            props[key] = [
                item["ip"] if isinstance(item, Mapping) and set(item) == {"ip"} else item for item in items
            ]
    return props


class NetworkCondition(BaseModel):
    """Where a token may be used from: ``ANYWHERE``, or ``ZONE`` with included or excluded zones.

    The Admin Console's five choices, as declared and as Okta's API spells them:

    * any IP: ``{"connection": "ANYWHERE"}``;
    * in any network zone defined in Okta: ``{"connection": "ZONE", "include": ["ALL_IP_ZONES"]}``;
    * in any of these zones: ``{"connection": "ZONE", "include": ["nzo...", ...]}``;
    * not in any network zone defined in Okta: ``{"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}``;
    * not in any of these zones: ``{"connection": "ZONE", "exclude": ["nzo...", ...]}``.

    Input accepts zone-id strings or ``{"ip": "nzo..."}`` blocks, pulumi-okta's ``includes``/``excludes``
    spelling, and ``connection``/``ALL_IP_ZONES`` in any case; the model holds plain lists of zone ids
    (each once) in canonical case. ``ALL_IP_ZONES`` is only valid alone in its list.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    connection: Connection
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _accept_other_spellings(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        for plural, singular in (("includes", "include"), ("excludes", "exclude")):
            if data.get(plural) is not None and data.get(singular) is not None:
                raise ValueError(
                    f"network sets both '{singular}' and '{plural}': they are the same field, keep one"
                )
        data = normalize_network_props(data)
        for key in ("include", "exclude"):
            if data.get(key) is None:
                data.pop(key, None)
        connection = data.get("connection")
        if isinstance(connection, str) and connection.upper() in CONNECTIONS:
            data["connection"] = connection.upper()
        return data

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

    def to_okta_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"connection": self.connection}
        if self.include:
            body["include"] = list(self.include)
        if self.exclude:
            body["exclude"] = list(self.exclude)
        return body

    def to_props(self) -> dict[str, Any]:
        return {
            "connection": self.connection,
            "include": list(self.include),
            "exclude": list(self.exclude),
        }


# --------------------------------------------------------------------------------------------
# What Okta has


class TokenMetadata(BaseModel):
    """An API token's metadata as Okta returns it (the secret is never part of it).

    Lenient on purpose: real list responses carry ``tokenWindow: null``, and a token whose name is
    missing is still a token, so a read never fails on a field we do not manage.
    """

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    id: str
    name: str | None = None
    user_id: str | None = Field(default=None, alias="userId")
    client_name: str | None = Field(default=None, alias="clientName")
    created: str | None = None
    last_updated: str | None = Field(default=None, alias="lastUpdated")
    expires_at: str | None = Field(default=None, alias="expiresAt")
    token_window: str | None = Field(default=None, alias="tokenWindow")
    network: NetworkCondition | None = None

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

    def to_okta_json(self, base_url: str | None = None) -> dict[str, Any]:
        """Okta's JSON for this token; with ``base_url``, the ``_links`` Okta adds too."""
        body: dict[str, Any] = {"id": self.id, "name": self.name}
        for key, value in (
            ("userId", self.user_id),
            ("clientName", self.client_name),
            ("tokenWindow", self.token_window),
        ):
            if value is not None:
                body[key] = value
        if self.network is not None:
            body["network"] = self.network.to_okta_json()
        for key, value in (
            ("expiresAt", self.expires_at),
            ("created", self.created),
            ("lastUpdated", self.last_updated),
        ):
            if value is not None:
                body[key] = value
        if base_url is not None:
            base = base_url.rstrip("/")
            links: dict[str, Any] = {
                "self": {
                    "href": f"{base}/api/v1/api-tokens/{self.id}",
                    "hints": {"allow": ["GET", "DELETE"]},
                }
            }
            if self.user_id:
                links["user"] = {
                    "href": f"{base}/api/v1/users/{self.user_id}",
                    "hints": {"allow": ["GET"]},
                }
            body["_links"] = links
        return body


def reported_network(value: Mapping[str, Any]) -> NetworkCondition:
    """A network condition as Okta reported it (or as stored outputs hold it), never refused.

    Only the spelling is made canonical: ``connection`` and ``ALL_IP_ZONES`` in upper case when they
    are those words in another case, missing or null lists as empty. Anything else (an unknown
    connection, zones with ``ANYWHERE``, both lists, duplicates) is kept as reported: the outputs show
    what Okta has, and ``refreshed_inputs`` leaves out what cannot be declared.
    """
    connection = value.get("connection")
    if isinstance(connection, str) and connection.upper() in CONNECTIONS:
        connection = connection.upper()
    return NetworkCondition.model_construct(
        connection=connection,
        include=_reported_zones(value.get("include")),
        exclude=_reported_zones(value.get("exclude")),
    )


def _reported_zones(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else (value,)
    return tuple(
        ALL_IP_ZONES if isinstance(item, str) and item.upper() == ALL_IP_ZONES else item for item in items
    )


def declarable_network(network: NetworkCondition) -> NetworkCondition | None:
    """``network`` as a declaration ``check`` accepts, or ``None`` when it cannot be declared."""
    try:
        return NetworkCondition.model_validate(network.to_props())
    except ValidationError:
        return None


def update_body(name: str | None, user_id: str | None, network: NetworkCondition | None) -> dict[str, Any]:
    """The ``ApiTokenUpdate`` JSON of a PUT: only the fields Okta lets a PUT change or check."""
    body: dict[str, Any] = {}
    if name is not None:
        body["name"] = name
    if user_id is not None:
        body["userId"] = user_id
    if network is not None:
        body["network"] = network.to_okta_json()
    return body


# --------------------------------------------------------------------------------------------
# What the user declared


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
        if value is not None and not _is_user_id(value):
            raise ValueError(
                f"user_id must be an Okta user id, '00u' followed by 17 letters or digits, got {shown(value)}"
            )
        return value

    @field_validator("name", mode="before")
    @classmethod
    def _check_name(cls, value: Any) -> Any:
        if value is not None and not _is_name(value):
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
        return cls.model_validate(_declared(props))

    def to_props(self) -> dict[str, Any]:
        """Canonical input properties: only what was declared, zone lists as plain ids."""
        props: dict[str, Any] = {"token_id": self.token_id}
        for key in ("name", "user_id", "client_name", "created"):
            value = getattr(self, key)
            if value is not None:
                props[key] = value
        if self.network is not None:
            props["network"] = self.network.to_props()
        return props


def _is_user_id(value: Any) -> bool:
    return isinstance(value, str) and USER_ID_RE.fullmatch(value) is not None


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _declared(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if value is not None and not key.startswith("__")}


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


# --------------------------------------------------------------------------------------------
# Stored outputs


def outputs_from_token(token: TokenMetadata) -> dict[str, Any]:
    """The output properties of a resource, from the live token."""
    return {
        "token_id": token.id,
        "name": token.name,
        "user_id": token.user_id,
        "client_name": token.client_name,
        "created": token.created,
        "network": token.network.to_props() if token.network is not None else None,
        "last_updated": token.last_updated,
        "expires_at": token.expires_at,
        "token_window": token.token_window,
    }


def token_from_outputs(token_id: str, outputs: Mapping[str, Any]) -> TokenMetadata:
    """The token as the stored outputs last saw it (``token_id`` is the resource id)."""
    network = outputs.get("network")
    return TokenMetadata(
        id=outputs.get("token_id") or token_id,
        name=outputs.get("name"),
        userId=outputs.get("user_id"),
        clientName=outputs.get("client_name"),
        created=outputs.get("created"),
        lastUpdated=outputs.get("last_updated"),
        expiresAt=outputs.get("expires_at"),
        tokenWindow=outputs.get("token_window"),
        network=network,
    )


def refreshed_inputs(token: TokenMetadata) -> dict[str, Any]:
    """Input properties that declare what the live token has (returned by a refresh).

    Only values ``check`` accepts are declared: a name that is blank, an owner id that is not a user
    id, or a network condition that is none of the five the Admin Console offers (an unknown
    connection, zones with ``ANYWHERE``, ``ZONE`` with both lists or neither, ``ALL_IP_ZONES`` next to
    zone ids, an item that is not a zone id) is left out, as if undeclared. The outputs still show
    exactly what Okta reported; a field left out is not managed, and an update sends Okta's current
    value for it, read just before the PUT.
    """
    props: dict[str, Any] = {"token_id": token.id}
    if _is_name(token.name):
        props["name"] = token.name
    if _is_user_id(token.user_id):
        props["user_id"] = token.user_id
    network = declarable_network(token.network) if token.network is not None else None
    if network is not None:
        props["network"] = network.to_props()
    return props


_PLACEHOLDER_TOKEN_ID = "00T" + "0" * 17


def check_props(
    props: Mapping[str, Any], is_unknown: Callable[[Any], bool]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Validate declared properties for ``check``: canonical inputs, or ``(property, reason)`` failures.

    Values for which ``is_unknown`` is true (not yet known during a preview) are not judged and pass
    through as they are; ``token_id`` must still be present.
    """
    declared = _declared(props)
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


def differences(spec: TokenSpec, token: TokenMetadata) -> list[FieldDifference]:
    """The declared fields (token_id aside) that differ from ``token``; unset fields never do."""
    found: list[FieldDifference] = []
    for field, declared, live in (
        ("name", spec.name, token.name),
        ("user_id", spec.user_id, token.user_id),
        ("client_name", spec.client_name, token.client_name),
    ):
        if declared is not None and declared != live:
            found.append(FieldDifference(field=field, declared=declared, live=live))
    if spec.created is not None and not same_instant(spec.created, token.created):
        found.append(FieldDifference(field="created", declared=spec.created, live=token.created))
    if spec.network is not None and not spec.network.same_as(token.network):
        found.append(
            FieldDifference(
                field="network",
                declared=spec.network.to_props(),
                live=token.network.to_props() if token.network is not None else None,
            )
        )
    return found
