"""What the driver keeps and what it returns: the stack state's resources and each run's step results.

Plain data, no gRPC: :class:`StackState` is the in-memory stack the sequences read and write (from
several threads, so behind a lock), :class:`RunResult` and :class:`StepResult` what one ``up``,
``preview``, ``refresh`` or ``destroy`` tells the caller.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi.runtime import rpc

if TYPE_CHECKING:
    from collections.abc import Mapping

    import grpc

__all__ = [
    "PROVIDER_KEY",
    "CheckFailure",
    "ResourceState",
    "RunResult",
    "StackState",
    "StepResult",
    "secret_value",
    "urn",
]

PROVIDER_KEY = "__provider"
"""The property that carries the pickled provider in every message and in the state."""

# The marker of a secret in a stack export, as Pulumi writes it (rpc._special_sig_key / _special_secret_sig).
_SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


@dataclass(frozen=True)
class CheckFailure:
    """One failure ``Check`` returned."""

    property: str
    """The property it names (empty for the whole resource)."""
    reason: str
    """Why the value was refused."""


@dataclass
class ResourceState:
    """One resource of the stack state, as the engine keeps it."""

    name: str
    type: str
    urn: str
    id: str
    inputs: dict[str, Any]
    """The checked inputs, ``__provider`` included."""
    outputs: dict[str, Any]
    """The outputs the plugin last returned, ``__provider`` included."""
    import_id: str = ""
    """The id of the ``import_`` option the resource came in with (empty otherwise, and after
    ``pulumi import``)."""
    protect: bool = False
    """The ``protect`` option: deleting it fails, ``state_delete`` needs ``force``."""
    retain_on_delete: bool = False
    """The ``retain_on_delete`` option: leaving the program forgets it without a ``Delete``."""


@dataclass
class StepResult:
    """What happened to one resource in one run."""

    name: str
    op: str
    """``create``, ``update``, ``same``, ``replace``, ``delete``, ``read``, ``gone`` (refreshed away) or
    ``import`` (imported as it is). In a preview, the step that ``up`` would take. On failure, the step
    that was attempted (``update`` when ``Check`` or ``Diff`` of a resource already in the state
    failed)."""
    id: str | None = None
    """The resource id after the step (the new id of a replace)."""
    old_id: str | None = None
    """The id before a replace."""
    outputs: dict[str, Any] | None = None
    """The outputs after the step (``None`` for a delete, a gone resource or a failure)."""
    failures: list[CheckFailure] = field(default_factory=list)
    """The failures ``Check`` returned."""
    error: str | None = None
    """The text the user would see: formatted check failures, or the details of the gRPC error."""
    grpc_code: grpc.StatusCode | None = None
    """The gRPC status code of a failed call."""
    calls: list[str] = field(default_factory=list)
    """The RPCs sent for this resource, in order (``Check``, ``Diff``, ``Create``, ...)."""
    imported: bool = False
    """The resource was imported in this step (``pulumi import`` or the ``import_`` option)."""
    warnings: list[str] = field(default_factory=list)
    """What the engine printed as warnings for this resource (check failures of an import, a replace
    that the ``import_`` option blocks in a preview)."""

    @property
    def ok(self) -> bool:
        """True when the step succeeded."""
        return self.error is None


@dataclass
class RunResult:
    """The outcome of one ``up``, ``preview``, ``refresh`` or ``destroy``."""

    steps: dict[str, StepResult]

    def __getitem__(self, name: str) -> StepResult:
        return self.steps[name]

    @property
    def ok(self) -> bool:
        """True when every step succeeded."""
        return all(step.ok for step in self.steps.values())

    @property
    def errors(self) -> dict[str, str]:
        """The error text per failed resource."""
        return {name: step.error for name, step in self.steps.items() if step.error is not None}

    def ops(self) -> dict[str, str]:
        """The step per resource (``{"a": "create", "b": "same"}``)."""
        return {name: step.op for name, step in self.steps.items()}


class StackState:
    """The resources of the stack by name; safe to read and change from the sequences' threads."""

    def __init__(self) -> None:
        self._resources: dict[str, ResourceState] = {}
        self._lock = threading.Lock()

    def snapshot(self) -> dict[str, ResourceState]:
        """The resources by name (a copy: later steps do not change it)."""
        with self._lock:
            return dict(self._resources)

    def get(self, name: str) -> ResourceState | None:
        with self._lock:
            return self._resources.get(name)

    def put(self, resource: ResourceState) -> None:
        with self._lock:
            self._resources[resource.name] = resource

    def drop(self, name: str) -> None:
        with self._lock:
            self._resources.pop(name, None)

    def export(self) -> dict[str, Any]:
        """A stack export (checkpoint version 3); ``__provider`` and the values the plugin answered
        secret are secrets, as in Pulumi."""
        resources = [
            {
                "urn": resource.urn,
                "custom": True,
                "id": resource.id,
                "type": resource.type,
                "inputs": _exported(resource.inputs),
                "outputs": _exported(resource.outputs),
                **({"protect": True} if resource.protect else {}),
            }
            for resource in self.snapshot().values()
        ]
        return {"version": 3, "deployment": {"resources": resources}}


def urn(stack: str, project: str, type_token: str, name: str) -> str:
    """The URN of resource ``name`` of type ``type_token`` in ``stack`` of ``project``."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"


def secret_value(value: Any) -> dict[str, Any]:
    """``value`` as a plaintext secret object of a stack export (how ``__provider`` is kept)."""
    return {**_SECRET_SIG, "plaintext": json.dumps(value)}


def _exported(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _exported_value(key, value) for key, value in props.items()}


def _exported_value(key: str, value: Any) -> Any:
    if key == PROVIDER_KEY:
        return secret_value(value)
    if rpc.is_rpc_secret(value):
        return secret_value(rpc.unwrap_rpc_secret(value))
    return value
