"""The engine's message sequences: ``up``, ``preview``, ``refresh`` and ``destroy``, step by step.

:class:`Sequences` plays them over one plugin connection (a ``send`` function) on a
:class:`~.state.StackState`, the way the Pulumi engine does (see the package docstring for the order
of the messages). Each resource runs in its own thread, as the engine runs independent resources.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import grpc
from pulumi.runtime.proto import provider_pb2

from .messages import from_struct, resource_request
from .state import PROVIDER_KEY, CheckFailure, ResourceState, RunResult, StackState, StepResult

__all__ = ["Send", "Sequences"]

Send = Callable[[str, Any], Any]
"""Sends one request to the plugin (``send("Check", request)``) and returns its answer; raises
``grpc.RpcError`` when the plugin answers with an error."""

Program = Mapping[str, Mapping[str, Any]]

_Item = TypeVar("_Item")

_MAX_THREADS = 16


class _StepFailed(Exception):
    """Ends one resource's sequence; the step result already holds the error."""


@dataclass
class Sequences:
    """The engine's side of each operation, for one stack of one resource type."""

    send: Send
    state: StackState
    provider_string: str
    """The serialized provider every resource carries in ``__provider``."""
    type_token: str
    stack: str
    project: str

    def urn(self, name: str) -> str:
        """The URN of resource ``name`` in this stack."""
        return f"urn:pulumi:{self.stack}::{self.project}::{self.type_token}::{name}"

    # ------------------------------------------------------------------------------------- operations

    def deploy(self, program: Program, preview: bool) -> RunResult:
        """``up`` (or, with ``preview``, what it would do): each declared resource's sequence, then the
        old side of replaces, then the resources the program no longer declares."""
        items = [(name, dict(inputs)) for name, inputs in program.items()]
        replaced: list[tuple[StepResult, ResourceState]] = []
        steps = self._parallel(lambda item: self._step_one(item[0], item[1], preview, replaced), items)
        # Create-before-delete: the engine deletes the old side of replaces after every other step.
        for step, old in replaced:
            with contextlib.suppress(_StepFailed):
                self._delete_call(step, old)
        for resource in self.state.snapshot().values():
            if resource.name not in program:
                if preview:
                    steps[resource.name] = StepResult(resource.name, "delete", id=resource.id)
                else:
                    steps[resource.name] = self._delete_one(resource)
        return RunResult(steps)

    def refresh(self) -> RunResult:
        """``Read`` every resource; keep what the plugin returns, drop what it reports gone."""
        return RunResult(self._parallel(self._refresh_one, list(self.state.snapshot().values())))

    def destroy(self) -> RunResult:
        """``Delete`` every resource."""
        return RunResult(self._parallel(self._delete_one, list(self.state.snapshot().values())))

    # ------------------------------------------------------------------------------------------ steps

    def _parallel(self, work: Callable[[_Item], StepResult], items: list[_Item]) -> dict[str, StepResult]:
        if not items:
            return {}
        with ThreadPoolExecutor(max_workers=min(len(items), _MAX_THREADS)) as pool:
            results = list(pool.map(work, items))
        return {result.name: result for result in results}

    def _call(self, step: StepResult, method: str, request: Any) -> Any:
        step.calls.append(method)
        try:
            return self.send(method, request)
        except grpc.RpcError as exc:
            step.grpc_code = exc.code()
            step.error = exc.details() or str(exc)
            raise _StepFailed from exc

    def _new(self, name: str) -> ResourceState:
        """A resource not created yet: its identity, no id, no properties."""
        return ResourceState(name, self.type_token, self.urn(name), "", {}, {})

    def _step_one(
        self,
        name: str,
        inputs: dict[str, Any],
        preview: bool,
        replaced: list[tuple[StepResult, ResourceState]],
    ) -> StepResult:
        if PROVIDER_KEY in inputs:
            raise ValueError(f"resource {name!r}: inputs must not set {PROVIDER_KEY}")
        old = self.state.get(name)
        step = StepResult(name, "create" if old is None else "update", id=old.id if old else None)
        try:
            checked = self._check(step, name, inputs, old, preview)
            if old is None:
                if not preview:
                    self._create(step, name, checked)
                return step
            if self._diff_and_apply(step, old, inputs, checked, preview) and not preview:
                replaced.append((step, old))
        except _StepFailed:
            step.outputs = None
        return step

    def _check(
        self, step: StepResult, name: str, inputs: dict[str, Any], old: ResourceState | None, preview: bool
    ) -> dict[str, Any]:
        news = {**inputs, PROVIDER_KEY: self.provider_string}
        olds = old or self._new(name)
        request = resource_request(
            provider_pb2.CheckRequest, self._new(name), olds=olds.inputs, news=news, old_outputs=olds.outputs
        )
        response = self._call(step, "Check", request)
        if response.failures:
            step.failures = [CheckFailure(f.property, f.reason) for f in response.failures]
            step.error = "\n".join(self._failure_text(name, news, f) for f in step.failures)
            raise _StepFailed
        return from_struct(response.inputs, keep_unknowns=preview)

    def _failure_text(self, name: str, news: Mapping[str, Any], failure: CheckFailure) -> str:
        # The engine's wording: diag.GetResourcePropertyInvalidValueError / GetResourceInvalidError.
        if failure.property:
            value = news.get(failure.property)
            shown = value if isinstance(value, str) else json.dumps(value, default=str)
            return (
                f"{self.type_token} resource '{name}'s property '{failure.property}' value {{{shown}}} "
                f"has a problem: {failure.reason}"
            )
        return f"{self.type_token} resource '{name}' has a problem: {failure.reason}"

    def _create(self, step: StepResult, name: str, checked: dict[str, Any]) -> None:
        new = self._new(name)
        response = self._call(
            step, "Create", resource_request(provider_pb2.CreateRequest, new, properties=checked)
        )
        outputs = from_struct(response.properties)
        step.id, step.outputs = response.id, outputs
        self.state.put(replace(new, id=response.id, inputs=checked, outputs=outputs))

    def _diff_and_apply(
        self,
        step: StepResult,
        old: ResourceState,
        inputs: dict[str, Any],
        checked: dict[str, Any],
        preview: bool,
    ) -> bool:
        """Diff, then update or replace (not in a preview); True when the old resource awaits deletion."""
        request = resource_request(
            provider_pb2.DiffRequest, old, olds=old.outputs, news=checked, old_inputs=old.inputs
        )
        diff = self._call(step, "Diff", request)
        if diff.changes == provider_pb2.DiffResponse.DIFF_UNKNOWN:
            # The engine diffs old and new inputs itself (``__provider`` included).
            changed = old.inputs != checked
        else:
            changed = diff.changes == provider_pb2.DiffResponse.DIFF_SOME
        if not changed:
            step.op, step.outputs = "same", old.outputs
        elif diff.replaces:
            step.op = "replace"
            # The engine checks the inputs again with no olds: the new resource gets fresh defaults.
            checked = self._check(step, old.name, inputs, None, preview)
        else:
            step.op = "update"
        if preview:
            step.outputs = None if step.op != "same" else old.outputs
            return False
        if step.op == "same":
            self.state.put(replace(old, inputs=checked))
        elif step.op == "update":
            self._update(step, old, checked)
        else:
            return self._replace(step, old, checked, delete_first=diff.deleteBeforeReplace)
        return False

    def _update(self, step: StepResult, old: ResourceState, checked: dict[str, Any]) -> None:
        request = resource_request(
            provider_pb2.UpdateRequest, old, olds=old.outputs, news=checked, old_inputs=old.inputs
        )
        response = self._call(step, "Update", request)
        step.outputs = from_struct(response.properties)
        self.state.put(replace(old, inputs=checked, outputs=step.outputs))

    def _replace(
        self, step: StepResult, old: ResourceState, checked: dict[str, Any], delete_first: bool
    ) -> bool:
        step.old_id = old.id
        if delete_first:
            self._delete_call(step, old)
            self.state.drop(old.name)
        self._create(step, old.name, checked)
        return not delete_first

    def _delete_call(self, step: StepResult, resource: ResourceState) -> None:
        request = resource_request(
            provider_pb2.DeleteRequest, resource, properties=resource.outputs, old_inputs=resource.inputs
        )
        self._call(step, "Delete", request)

    def _delete_one(self, resource: ResourceState) -> StepResult:
        step = StepResult(resource.name, "delete", id=resource.id)
        try:
            self._delete_call(step, resource)
        except _StepFailed:
            return step
        self.state.drop(resource.name)
        return step

    def _refresh_one(self, resource: ResourceState) -> StepResult:
        step = StepResult(resource.name, "read", id=resource.id)
        request = resource_request(
            provider_pb2.ReadRequest, resource, properties=resource.outputs, inputs=resource.inputs
        )
        try:
            response = self._call(step, "Read", request)
        except _StepFailed:
            return step
        if not response.id:
            step.op, step.id = "gone", None
            self.state.drop(resource.name)
            return step
        outputs = from_struct(response.properties)
        inputs = from_struct(response.inputs) if response.HasField("inputs") else resource.inputs
        step.id, step.outputs = response.id, outputs
        self.state.put(replace(resource, id=response.id, inputs=inputs, outputs=outputs))
        return step
