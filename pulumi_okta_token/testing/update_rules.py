"""How the fake judges a PUT body (``ApiTokenUpdate``), as Okta documents it, on the raw JSON.

Pure functions: they read the body and the org's users and zones, and return the changes to make or
the causes to refuse with. The backend applies the changes only when there is no cause.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from .._models import ALL_IP_ZONES, NetworkCondition

__all__ = ["ALL_IP_ZONES", "Cause", "judge_network", "judge_update"]

"""The keyword for "any network zone" in ``include``/``exclude`` (OIDC app network conditions spell it so)."""


@dataclass(frozen=True)
class Cause:
    """One reason a request body was refused, naming the field."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def judge_update(
    body: Mapping[str, Any], *, owner: str | None, users: Container[str], zones: Container[str]
) -> tuple[dict[str, Any], list[Cause]]:
    """The token changes a PUT ``body`` asks for, and every cause to refuse it.

    ``clientName`` and ``created`` are read-only and ignored; a field left out keeps its value; the owner
    (``userId``) may be sent but not changed.
    """
    causes: list[Cause] = []
    changes: dict[str, Any] = {}
    if "name" in body:
        name = body["name"]
        if not isinstance(name, str) or not name.strip():
            causes.append(Cause("name", "The field cannot be left blank"))
        else:
            changes["name"] = name
    if "userId" in body:
        causes += _owner_causes(body["userId"], owner, users)
    if "network" in body:
        condition, network_causes = judge_network(body["network"], zones)
        causes += network_causes
        if condition is not None:
            changes["network"] = condition
    return changes, causes


def _owner_causes(user_id: Any, owner: str | None, users: Container[str]) -> list[Cause]:
    if not isinstance(user_id, str) or user_id not in users:
        return [Cause("userId", f"Could not find a user with id {user_id!r}")]
    if user_id != owner:
        return [Cause("userId", "The owner of an API token cannot be changed")]
    return []


def judge_network(network: Any, known_zones: Container[str]) -> tuple[NetworkCondition | None, list[Cause]]:
    """The network condition a JSON ``network`` stands for, or every cause to refuse it.

    ``include``/``exclude`` hold ids of ``known_zones``, or ``ALL_IP_ZONES`` as their only value.
    """
    if not isinstance(network, Mapping):
        return None, [Cause("network", "must be an object with a connection")]
    connection = network.get("connection")
    zones: dict[str, list[str]] = {}
    causes: list[Cause] = []
    for key in ("include", "exclude"):
        value = network.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            causes.append(Cause(f"network.{key}", "must be a list of network zone ids"))
            continue
        if value:
            zones[key] = list(dict.fromkeys(value))
    if connection not in ("ANYWHERE", "ZONE"):
        causes.append(Cause("network.connection", f"must be ANYWHERE or ZONE, got {connection!r}"))
    elif connection == "ANYWHERE" and zones:
        causes += [Cause(f"network.{key}", "is not allowed with connection ANYWHERE") for key in zones]
    elif connection == "ZONE" and len(zones) != 1 and not causes:
        field_name = "network.exclude" if zones else "network.include"
        problem = "both include and exclude are set" if zones else "neither include nor exclude is set"
        needs = "connection ZONE needs exactly one of include or exclude"
        causes.append(Cause(field_name, f"{needs}: {problem}"))
    for key, ids in zones.items():
        causes += _zone_causes(f"network.{key}", ids, known_zones)
    if causes:
        return None, causes
    condition = NetworkCondition.model_construct(
        connection=connection,
        include=tuple(zones.get("include", ())),
        exclude=tuple(zones.get("exclude", ())),
    )
    return condition, []


def _zone_causes(field_name: str, ids: list[str], known_zones: Container[str]) -> list[Cause]:
    """Why an include or exclude list is refused: unknown zones, or the keyword mixed with zones."""
    if ALL_IP_ZONES in ids:
        if len(ids) == 1:
            return []
        return [
            Cause(
                field_name,
                f"{ALL_IP_ZONES} stands for every network zone and must be the only value, "
                "not mixed with zone ids",
            )
        ]
    return [
        Cause(field_name, f"No network zone with id {zone_id!r}")
        for zone_id in ids
        if zone_id not in known_zones
    ]
