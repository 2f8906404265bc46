"""The engine's message sequences: ``up``, ``preview``, ``refresh`` and ``destroy``, step by step.

:class:`Sequences` plays them over one plugin connection (a ``send`` function) on a
:class:`~.state.StackState`, the way the Pulumi engine does (see the package docstring for the order
of the messages). What differs from one plugin to another is data the driver sets: the inputs every
resource carries besides the program's (a dynamic provider's ``__provider``), whether the plugin takes
secrets, whether a preview asks it ``Create``/``Update`` with ``preview=true``, and how many resources
run at once. :class:`~.imports.ImportSequences` adds the import steps.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2

from .messages import Identity, from_struct, resource_request
from .state import CheckFailure, ResourceState, RunResult, StackState, StepResult, urn

__all__ = ["Program", "Send", "Sequences", "StepFailed", "failure_text", "shown"]

Send = Callable[[str, Any], Any]
"""Sends one request to the plugin (``send("Check", request)``) and returns its answer; raises
``grpc.RpcError`` when the plugin answers with an error."""

Program = Mapping[str, Mapping[str, Any]]
"""What a program declares: resource name -> inputs."""

_Item = TypeVar("_Item")
_Request = TypeVar("_Request", bound=Message)


class StepFailed(Exception):
    """Ends one resource's sequence; the step result already holds the error."""


def shown(value: Any) -> str:
    """A property value as the engine prints one: ``{value}``, a secret as ``[secret]``."""
    if rpc.is_rpc_secret(value):
        return "[secret]"
    if value is None:
        return "{<nil>}"
    return "{" + (value if isinstance(value, str) else json.dumps(value, default=str)) + "}"


def failure_text(type_token: str, name: str, failure: Any, inputs: Mapping[str, Any]) -> str:
    """A ``Check`` failure in the engine's words (``sdk/go/common/diag/errors.go#L37-41``:
    ``GetResourcePropertyInvalidValueError``, ``GetResourceInvalidError``), without its colours."""
    if failure.property:
        return (
            f"{type_token} resource '{name}': property {failure.property} value "
            f"{shown(inputs.get(failure.property))} has a problem: {failure.reason}"
        )
    return f"{type_token} resource '{name}' has a problem: {failure.reason}"


def _protected(resource: ResourceState) -> str:
    return (
        f'unable to delete resource "{resource.urn}"\nas it is currently marked for protection. '
        "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi "
        f"program and run `pulumi up`, or use the command:\n`pulumi state unprotect '{resource.urn}'`"
    )


@dataclass
class Sequences:
    """The engine's side of each operation, for one stack of one resource type."""

    send: Send
    state: StackState
    type_token: str
    stack: str
    project: str
    carried_inputs: Mapping[str, Any] = field(default_factory=dict)
    """Inputs every resource carries besides the program's (``__provider`` of a dynamic provider)."""
    send_secrets: bool = True
    """Whether secrets go to the plugin wrapped (it accepts them) or as their plain values."""
    preview_calls: bool = False
    """Whether a preview asks ``Create``/``Update`` with ``preview=true`` (the plugin supports it)."""
    threads: int = 16
    """How many resources run at once (the engine runs independent resources in parallel)."""
    protect: frozenset[str] = frozenset()
    """The resources with the ``protect`` option."""
    retain_on_delete: frozenset[str] = frozenset()
    """The resources with the ``retain_on_delete`` option."""

    def urn(self, name: str, type_token: str | None = None) -> str:
        """The URN of resource ``name`` in this stack."""
        return urn(self.stack, self.project, type_token or self.type_token, name)

    # ------------------------------------------------------------------------------------- operations

    def deploy(self, program: Program, preview: bool) -> RunResult:
        """``up`` (or, with ``preview``, what it would do): each declared resource's sequence, then the
        old side of replaces, then the resources the program no longer declares."""
        items = [(name, dict(inputs)) for name, inputs in program.items()]
        replaced: list[tuple[StepResult, ResourceState]] = []
        steps = self._each(lambda item: self._step_one(item[0], item[1], preview, replaced), items)
        # Create-before-delete: the engine deletes the old side of replaces after every other step.
        for step, old in replaced:
            with contextlib.suppress(StepFailed):
                self._delete_call(step, old)
        for resource in self.state.snapshot().values():
            if resource.name not in program:
                steps[resource.name] = self._delete_one(resource, preview)
        return RunResult(steps)

    def refresh(self) -> RunResult:
        """``Read`` every resource; keep what the plugin returns, drop what it reports gone."""
        return RunResult(self._each(self._refresh_one, list(self.state.snapshot().values())))

    def destroy(self) -> RunResult:
        """``Delete`` every resource (a protected one fails; a retained one is only forgotten)."""
        resources = list(self.state.snapshot().values())
        return RunResult(self._each(lambda resource: self._delete_one(resource, False), resources))

    # ----------------------------------------------------------------------------------------- calls

    def _each(self, work: Callable[[_Item], StepResult], items: list[_Item]) -> dict[str, StepResult]:
        if not items:
            return {}
        if self.threads <= 1:
            results = [work(item) for item in items]
        else:
            with ThreadPoolExecutor(max_workers=min(len(items), self.threads)) as pool:
                results = list(pool.map(work, items))
        return {result.name: result for result in results}

    def _request(
        self,
        message: type[_Request],
        resource: Identity,
        *,
        preview: bool = False,
        **props: Mapping[str, Any],
    ) -> _Request:
        return resource_request(message, resource, secrets=self.send_secrets, preview=preview, **props)

    def _call(self, step: StepResult, method: str, request: Any) -> Any:
        step.calls.append(method)
        try:
            return self.send(method, request)
        except grpc.RpcError as exc:
            step.grpc_code = exc.code()
            raise self._fail(step, exc.details() or str(exc)) from exc

    @staticmethod
    def _fail(step: StepResult, message: str) -> StepFailed:
        step.error = message
        return StepFailed()

    # ------------------------------------------------------------------------------------------ steps

    def _goal(self, name: str) -> ResourceState:
        """What the program declares for ``name`` before any call: its identity and options."""
        return ResourceState(
            name,
            self.type_token,
            self.urn(name),
            "",
            {},
            {},
            protect=name in self.protect,
            retain_on_delete=name in self.retain_on_delete,
        )

    def _step_one(
        self,
        name: str,
        inputs: dict[str, Any],
        preview: bool,
        replaced: list[tuple[StepResult, ResourceState]],
    ) -> StepResult:
        clash = sorted(self.carried_inputs.keys() & inputs.keys())
        if clash:
            raise ValueError(f"resource {name!r}: inputs must not set {', '.join(clash)}")
        goal = self._goal(name)
        old = self.state.get(name)
        step = StepResult(name, "create" if old is None else "update", id=old.id if old else None)
        try:
            old = self._starting_point(step, goal, old)
            checked = self._check(step, goal, inputs, old)
            if old is None:
                if not preview or self.preview_calls:
                    self._create(step, goal, checked, preview)
            elif self._diff_and_apply(step, goal, old, inputs, checked, preview):
                replaced.append((step, old))
        except StepFailed:
            step.outputs = None
        return step

    def _starting_point(
        self, step: StepResult, goal: ResourceState, old: ResourceState | None
    ) -> ResourceState | None:
        """The resource the step starts from: the one in the state (``ImportSequences`` reads it for
        the ``import_`` option)."""
        return old

    def _check(
        self, step: StepResult, goal: ResourceState, inputs: dict[str, Any], old: ResourceState | None
    ) -> dict[str, Any]:
        news = {**inputs, **self.carried_inputs}
        olds, old_outputs = (old.inputs, old.outputs) if old else ({}, {})
        request = self._request(
            provider_pb2.CheckRequest, goal, olds=olds, news=news, old_outputs=old_outputs
        )
        response = self._call(step, "Check", request)
        if response.failures:
            step.failures = [CheckFailure(f.property, f.reason) for f in response.failures]
            texts = [failure_text(goal.type, goal.name, failure, news) for failure in step.failures]
            raise self._fail(step, "\n".join(texts))
        return from_struct(response.inputs)

    def _create(self, step: StepResult, goal: ResourceState, checked: dict[str, Any], preview: bool) -> None:
        request = self._request(provider_pb2.CreateRequest, goal, preview=preview, properties=checked)
        response = self._call(step, "Create", request)
        step.outputs = from_struct(response.properties)
        if preview:
            return
        if not response.id:  # provider_plugin.go#L1491-1494
            raise self._fail(step, f"plugin returned empty resource.ID from create '{goal.urn}'")
        step.id = response.id
        self.state.put(replace(goal, id=response.id, inputs=checked, outputs=step.outputs))

    def _diff_and_apply(
        self,
        step: StepResult,
        goal: ResourceState,
        old: ResourceState,
        inputs: dict[str, Any],
        checked: dict[str, Any],
        preview: bool,
    ) -> bool:
        """Diff, then nothing, an update or a replace; True when the old resource awaits deletion."""
        request = self._request(
            provider_pb2.DiffRequest, old, olds=old.outputs, news=checked, old_inputs=old.inputs
        )
        diff = self._call(step, "Diff", request)
        if diff.changes == provider_pb2.DiffResponse.DIFF_UNKNOWN:
            # The engine diffs old and new inputs itself (``__provider`` included).
            changed = old.inputs != checked
        else:
            changed = diff.changes == provider_pb2.DiffResponse.DIFF_SOME
        kept = replace(old, inputs=checked, protect=goal.protect, retain_on_delete=goal.retain_on_delete)
        if not changed:
            step.op, step.outputs = ("import" if step.imported else "same"), old.outputs
            if step.imported:
                # An import the declaration does not change keeps the inputs it read (the CLI 3.276.0
                # records the import step's state); the program's inputs replace them on the next up.
                kept = replace(kept, inputs=old.inputs)
            if not preview:
                self.state.put(kept)
            return False
        if not diff.replaces:
            step.op = "update"
            if not preview or self.preview_calls:
                self._update(step, old, kept, preview)
            return False
        step.op = "replace"
        self._before_replace(step, old, checked, list(diff.replaces), preview)
        # The engine checks the inputs again with no olds: the new resource gets fresh defaults.
        checked = self._check(step, goal, inputs, None)
        if preview:
            return False
        return self._replace(step, goal, old, checked, delete_first=diff.deleteBeforeReplace)

    def _before_replace(
        self,
        step: StepResult,
        old: ResourceState,
        checked: dict[str, Any],
        replaces: list[str],
        preview: bool,
    ) -> None:
        """Called when the diff asks for a replace, before anything is sent for it (the ``import_``
        option refuses it: ``ImportSequences``)."""

    def _update(self, step: StepResult, old: ResourceState, kept: ResourceState, preview: bool) -> None:
        request = self._request(
            provider_pb2.UpdateRequest,
            old,
            preview=preview,
            olds=old.outputs,
            news=kept.inputs,
            old_inputs=old.inputs,
        )
        response = self._call(step, "Update", request)
        step.outputs = from_struct(response.properties)
        if not preview:
            self.state.put(replace(kept, outputs=step.outputs))

    def _replace(
        self,
        step: StepResult,
        goal: ResourceState,
        old: ResourceState,
        checked: dict[str, Any],
        delete_first: bool,
    ) -> bool:
        step.old_id = old.id
        if delete_first:
            self._delete_call(step, old)
            self.state.drop(old.name)
        self._create(step, goal, checked, preview=False)
        return not delete_first

    def _delete_call(self, step: StepResult, resource: ResourceState) -> None:
        request = self._request(
            provider_pb2.DeleteRequest, resource, properties=resource.outputs, old_inputs=resource.inputs
        )
        self._call(step, "Delete", request)

    def _delete_one(self, resource: ResourceState, preview: bool) -> StepResult:
        step = StepResult(resource.name, "delete", id=resource.id)
        try:
            if resource.protect:
                raise self._fail(step, _protected(resource))
            if preview:
                return step
            if not resource.retain_on_delete:
                self._delete_call(step, resource)
        except StepFailed:
            return step
        self.state.drop(resource.name)
        return step

    def _refresh_one(self, resource: ResourceState) -> StepResult:
        step = StepResult(resource.name, "read", id=resource.id)
        request = self._request(
            provider_pb2.ReadRequest, resource, properties=resource.outputs, inputs=resource.inputs
        )
        try:
            response = self._call(step, "Read", request)
        except StepFailed:
            return step
        if not response.id:
            step.op, step.id = "gone", None
            self.state.drop(resource.name)
            return step
        outputs = from_struct(response.properties)
        inputs = from_struct(response.inputs) if response.HasField("inputs") else resource.inputs
        refreshed = replace(resource, id=response.id, inputs=inputs, outputs=outputs)
        # The CLI (v3.276.0, pkg/resource/deploy/step.go#L1835-1861) then asks the diff a no-change
        # ``up`` would show: the refreshed outputs and inputs as olds, the stored inputs as news.
        diff = self._request(
            provider_pb2.DiffRequest, refreshed, olds=outputs, news=resource.inputs, old_inputs=inputs
        )
        try:
            self._call(step, "Diff", diff)
        except StepFailed:
            return step
        step.id, step.outputs = response.id, outputs
        self.state.put(refreshed)
        return step
