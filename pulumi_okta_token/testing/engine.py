"""Drive the real dynamic-provider plugin the way the Pulumi engine does, without the Pulumi CLI.

:class:`PluginEngine` starts ``python -u -m pulumi.dynamic`` (the process the CLI starts for every Python
dynamic provider) with this process's environment plus ``PULUMI_PROJECT`` and our package on
``PYTHONPATH``, reads the gRPC port the plugin prints, sends ``GetPluginInfo`` and ``Configure`` with a
stack config, and replays the engine's message sequences on a small stack state that it keeps between
calls:

* ``up(program)``: per resource ``Check`` -> ``Diff`` -> ``Create`` / ``Update`` / nothing; a replace is
  ``Check`` again with no old inputs, ``Create`` (new) then, after every other step, ``Delete`` (old)
  (``Delete`` first when the plugin asks for delete-before-replace); resources dropped from the program
  are deleted last. Resources run in parallel threads, as the engine runs independent resources.
* ``preview(program)``: ``Check`` -> ``Diff`` (and the second ``Check`` of a replace), never ``Create``,
  ``Update`` or ``Delete``; inputs may hold :data:`UNKNOWN`, the wire value of an output not known yet
  (the provider receives it as a ``pulumi.output.Unknown``).
* ``refresh()``: ``Read(id, stored outputs, stored inputs)``; new outputs (and inputs, when the plugin
  returns some) are kept; an empty id drops the resource from the state.
* ``destroy()``: ``Delete(id, stored outputs)`` for every resource.

Each call returns a :class:`RunResult` telling per resource what happened and, on failure, the text the
user would see (check failures, or the gRPC error the plugin sent). Example::

    from pulumi_okta_token.testing import FakeOkta, PluginEngine

    with FakeOkta() as okta:
        user = okta.org.add_user()
        admin = okta.org.add_token(name="automation", user_id=user)
        token = okta.org.add_token(name="ci", user_id=user)
        with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": admin.secret}) as engine:
            result = engine.up({"ci-token": {"token_id": token.id, "name": "ci"}})
            assert result["ci-token"].op == "create"
            assert engine.refresh().ops() == {"ci-token": "read"}
            assert engine.destroy().ok and okta.org.token(token.id) is None

What differs from the CLI: the stack state lives in memory (``state_json()`` exports it in the
checkpoint's shape); secrets in that export are kept as plaintext secret objects
(``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "<json>"}``,
the form ``pulumi stack export --show-secrets`` writes) instead of ciphertext; check-failure text
follows the engine's wording (``<type> resource '<name>'s property '<p>' value {<v>} has a problem: ...``)
without its colours, and values are printed the Python way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import struct_pb2
from google.protobuf.empty_pb2 import Empty
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

__all__ = [
    "API_TOKEN_TYPE",
    "DEFAULT_SECRET_KEYS",
    "PROVIDER_KEY",
    "UNKNOWN",
    "CheckFailure",
    "PluginEngine",
    "PluginStartError",
    "ResourceState",
    "RunResult",
    "StepResult",
    "secret_value",
]

UNKNOWN: str = rpc.UNKNOWN
"""The wire value of an output that is not known yet (use it in ``preview`` inputs)."""

PROVIDER_KEY = "__provider"
"""The property that carries the pickled provider in every message and in the state."""

API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
"""The type token of ``ApiToken`` resources."""

DEFAULT_SECRET_KEYS: frozenset[str] = frozenset({"okta:apiToken", "okta:accessToken", "okta:privateKey"})
"""Stack config keys sent as secrets unless told otherwise (pulumi-okta marks the same ones secret)."""

_SECRET_SIG = {rpc._special_sig_key: rpc._special_secret_sig}
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class PluginStartError(RuntimeError):
    """The plugin process did not print its port (it died or hung); the message holds its stderr."""


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


@dataclass
class StepResult:
    """What happened to one resource in one run."""

    name: str
    op: str
    """``create``, ``update``, ``same``, ``replace``, ``delete``, ``read`` or ``gone`` (refreshed away).
    In a preview, the step that ``up`` would take. On failure, the step that was attempted (``update``
    when ``Check`` or ``Diff`` of a resource already in the state failed)."""
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


class _StepFailed(Exception):
    """Ends one resource's sequence; the step result already holds the error."""


def secret_value(value: Any) -> dict[str, Any]:
    """``value`` as a plaintext secret object of a stack export (how ``__provider`` is kept)."""
    return {**_SECRET_SIG, "plaintext": json.dumps(value)}


def _to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    # A private loop, as the plugin does: asyncio.run() would leave the calling thread without a
    # current event loop, which breaks later pulumi.runtime.set_mocks programs in the same process.
    loop = asyncio.new_event_loop()
    try:
        struct: struct_pb2.Struct = loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()
    return struct


def _from_struct(struct: struct_pb2.Struct, keep_unknowns: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns)
    return props


def _default_provider() -> ResourceProvider:
    from pulumi_okta_token import ApiTokenProvider  # imported late: the driver also serves other providers

    provider: ResourceProvider = ApiTokenProvider()
    return provider


class PluginEngine:
    """The engine's side of the provider protocol, talking to a real plugin process.

    :param config: the stack config, namespaced keys (``{"okta:orgUrl": ..., "okta:apiToken": ...}``).
    :param secret_keys: the config keys sent as secrets (the CLI decrypts them and sends them wrapped).
    :param provider: the dynamic provider every resource uses; ``ApiTokenProvider()`` by default.
    :param type_token: the resource type; ``pulumi-python:dynamic/okta:ApiToken`` by default.
    :param env: extra environment variables of the plugin process (the CLI's environment reaches it).
    :param inherit_env: start from this process's environment (as the CLI passes its own on).
    :param pythonpath: extra import paths (a provider defined outside an installed package).
    :param project: the project name (``PULUMI_PROJECT``); ``stack``: the stack name used in URNs.
    :param start_timeout: seconds to wait for the plugin's port; ``call_timeout``: seconds per RPC.
    :param fresh_plugin_per_operation: start a new plugin process for every ``up``, ``preview``,
        ``refresh`` and ``destroy``, as the CLI does (slower; one process serves them all by default).

    Use it as a context manager: the plugin starts on enter and is stopped (and reaped) on exit.
    ``stdout``/``stderr`` and ``responses`` accumulate over every process the driver started.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        secret_keys: Iterable[str] = DEFAULT_SECRET_KEYS,
        provider: ResourceProvider | None = None,
        type_token: str = API_TOKEN_TYPE,
        env: Mapping[str, str] | None = None,
        inherit_env: bool = True,
        pythonpath: Iterable[str | os.PathLike[str]] = (),
        project: str = "okta-tokens",
        stack: str = "test",
        start_timeout: float = 60.0,
        call_timeout: float = 60.0,
        fresh_plugin_per_operation: bool = False,
    ) -> None:
        self.config: dict[str, Any] = dict(config or {})
        self.secret_keys = frozenset(secret_keys)
        self.type_token = type_token
        self.project = project
        self.stack = stack
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.fresh_plugin_per_operation = fresh_plugin_per_operation
        self._served_operation = False
        self.plugin_starts = 0
        """How many plugin processes the driver has started."""
        self.provider_string = serialize_provider(provider if provider is not None else _default_provider())
        """The serialized provider sent in ``__provider`` (base64 of the dill pickle)."""
        self._env = self._plugin_env(env, inherit_env, pythonpath)
        self._state: dict[str, ResourceState] = {}
        self._state_lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._readers: list[threading.Thread] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.exit_code: int | None = None
        """The plugin's exit status once ``close()`` has stopped and reaped it."""
        self.responses: list[tuple[str, Any]] = []
        """Every answer the plugin sent, as ``(rpc name, response message)``, in arrival order."""
        self.start_seconds: float | None = None
        """Seconds from process start to the port being printed."""

    # ---------------------------------------------------------------------------------------- process

    def _plugin_env(
        self,
        extra: Mapping[str, str] | None,
        inherit: bool,
        pythonpath: Iterable[str | os.PathLike[str]],
    ) -> dict[str, str]:
        env = dict(os.environ) if inherit else {"PATH": os.environ.get("PATH", "")}
        paths = [str(p) for p in pythonpath] + [str(_PACKAGE_ROOT)]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PULUMI_PROJECT"] = self.project
        env.update(extra or {})
        return env

    def start(self) -> PluginEngine:
        """Start the plugin, wait for its port, connect and send ``Configure``."""
        if self._process is not None:
            return self
        began = time.perf_counter()
        self._lines = queue.Queue()
        self._served_operation = False
        self.plugin_starts += 1
        self._process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
        )
        self._readers = [
            threading.Thread(
                target=self._drain, args=(self._process.stdout, self._stdout, True), daemon=True
            ),
            threading.Thread(
                target=self._drain, args=(self._process.stderr, self._stderr, False), daemon=True
            ),
        ]
        for reader in self._readers:
            reader.start()
        try:
            port = self._wait_for_port()
            self.start_seconds = time.perf_counter() - began
            self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
            self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
            self._call_plugin_info()
            self._configure()
        except BaseException:
            self.close()
            raise
        return self

    def _drain(self, stream: Any, sink: list[str], report_lines: bool) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            sink.append(line)
            if report_lines:
                self._lines.put(line)
        if report_lines:
            self._lines.put(None)

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + self.start_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PluginStartError(
                    f"the plugin printed no port within {self.start_timeout:.0f} s; stderr:\n{self.stderr}"
                )
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                assert self._process is not None
                code = self._process.wait(timeout=5)
                for reader in self._readers:
                    reader.join(timeout=5)
                raise PluginStartError(
                    f"the plugin exited with code {code} before printing its port; stderr:\n{self.stderr}"
                )
            if line.strip().isdigit():
                return int(line.strip())

    def _call_plugin_info(self) -> None:
        # The engine asks every plugin for its version before configuring it.
        self.responses.append(("GetPluginInfo", self.stub.GetPluginInfo(Empty(), timeout=self.call_timeout)))

    def _configure(self) -> None:
        args = {
            key: rpc.wrap_rpc_secret(value) if key in self.secret_keys else value
            for key, value in self.config.items()
        }
        variables = {
            key: value if isinstance(value, str) else json.dumps(value) for key, value in self.config.items()
        }
        request = provider_pb2.ConfigureRequest(
            variables=variables,
            args=_to_struct(args),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
        )
        response = self.stub.Configure(request, timeout=self.call_timeout)
        self.responses.append(("Configure", response))
        self.accepts_secrets: bool = response.acceptSecrets
        """What the plugin answered; ``False`` means the engine sends it plain values (it does)."""

    def close(self) -> None:
        """Close the channel, stop the plugin process and reap it."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._stub = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            self.exit_code = process.returncode
            for reader in self._readers:
                reader.join(timeout=5)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> PluginEngine:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        """The gRPC stub (for messages the driver does not send itself)."""
        if self._stub is None:
            raise RuntimeError("the plugin is not running: use `with PluginEngine(...)` or call start()")
        return self._stub

    @property
    def pid(self) -> int | None:
        """The plugin's process id while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def stdout(self) -> str:
        """Everything the plugin wrote to stdout so far."""
        return "".join(self._stdout)

    @property
    def stderr(self) -> str:
        """Everything the plugin wrote to stderr so far."""
        return "".join(self._stderr)

    # ------------------------------------------------------------------------------------------ state

    @property
    def state(self) -> dict[str, ResourceState]:
        """The stack state by resource name (a copy)."""
        with self._state_lock:
            return dict(self._state)

    def urn(self, name: str) -> str:
        """The URN of resource ``name`` in this stack."""
        return f"urn:pulumi:{self.stack}::{self.project}::{self.type_token}::{name}"

    def state_json(self) -> dict[str, Any]:
        """The state as a stack export (checkpoint version 3); ``__provider`` is a secret, as in Pulumi."""
        resources = []
        for resource in self.state.values():
            resources.append(
                {
                    "urn": resource.urn,
                    "custom": True,
                    "id": resource.id,
                    "type": resource.type,
                    "inputs": _secret_provider(resource.inputs),
                    "outputs": _secret_provider(resource.outputs),
                }
            )
        return {"version": 3, "deployment": {"resources": resources}}

    def _put(self, resource: ResourceState) -> None:
        with self._state_lock:
            self._state[resource.name] = resource

    def _drop(self, name: str) -> None:
        with self._state_lock:
            self._state.pop(name, None)

    # ------------------------------------------------------------------------------------- operations

    def up(self, program: Mapping[str, Mapping[str, Any]]) -> RunResult:
        """Deploy ``program`` (resource name -> inputs): create, update, replace or keep each resource,
        then delete the old side of replaces and the resources the program no longer declares."""
        self._fresh_plugin()
        return self._deploy(program, preview=False)

    def preview(self, program: Mapping[str, Mapping[str, Any]]) -> RunResult:
        """What ``up`` would do: ``Check`` and ``Diff`` only; the state does not change."""
        self._fresh_plugin()
        return self._deploy(program, preview=True)

    def refresh(self) -> RunResult:
        """Read every resource; keep what the plugin returns, drop resources it reports gone."""
        self._fresh_plugin()
        return RunResult(self._parallel(self._refresh_one, list(self.state.values())))

    def destroy(self) -> RunResult:
        """Delete every resource in the state."""
        self._fresh_plugin()
        return RunResult(self._parallel(self._delete_one, list(self.state.values())))

    def _fresh_plugin(self) -> None:
        """With ``fresh_plugin_per_operation``, replace a plugin that already served an operation."""
        if self.fresh_plugin_per_operation and self._served_operation:
            self.close()
            self.start()
        self._served_operation = True

    def _deploy(self, program: Mapping[str, Mapping[str, Any]], preview: bool) -> RunResult:
        items = [(name, dict(inputs)) for name, inputs in program.items()]
        replaced: list[tuple[StepResult, ResourceState]] = []
        steps = self._parallel(lambda item: self._step_one(item[0], item[1], preview, replaced), items)
        # Create-before-delete: the engine deletes the old side of replaces after every other step.
        for step, old in replaced:
            self._delete_replaced(step, old)
        for resource in self.state.values():
            if resource.name not in program:
                if preview:
                    steps[resource.name] = StepResult(resource.name, "delete", id=resource.id)
                else:
                    steps[resource.name] = self._delete_one(resource)
        return RunResult(steps)

    def _parallel(self, work: Callable[[Any], StepResult], items: list[Any]) -> dict[str, StepResult]:
        if not items:
            return {}
        with ThreadPoolExecutor(max_workers=min(len(items), 16)) as pool:
            results = list(pool.map(work, items))
        return {result.name: result for result in results}

    def _call(self, step: StepResult, method: str, request: Any) -> Any:
        step.calls.append(method)
        try:
            response = getattr(self.stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            step.grpc_code = exc.code()
            step.error = exc.details() or str(exc)
            raise _StepFailed from exc
        self.responses.append((method, response))
        return response

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
        request = provider_pb2.CheckRequest(
            urn=self.urn(name),
            name=name,
            type=self.type_token,
            olds=_to_struct(old.inputs if old else {}),
            news=_to_struct(news),
            old_outputs=_to_struct(old.outputs if old else {}),
        )
        response = self._call(step, "Check", request)
        if response.failures:
            step.failures = [CheckFailure(f.property, f.reason) for f in response.failures]
            step.error = "\n".join(self._failure_text(name, news, f) for f in step.failures)
            raise _StepFailed
        return _from_struct(response.inputs, keep_unknowns=preview)

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
        request = provider_pb2.CreateRequest(
            urn=self.urn(name), name=name, type=self.type_token, properties=_to_struct(checked)
        )
        response = self._call(step, "Create", request)
        outputs = _from_struct(response.properties)
        step.id, step.outputs = response.id, outputs
        self._put(ResourceState(name, self.type_token, self.urn(name), response.id, checked, outputs))

    def _diff_and_apply(
        self,
        step: StepResult,
        old: ResourceState,
        inputs: dict[str, Any],
        checked: dict[str, Any],
        preview: bool,
    ) -> bool:
        """Diff, then update or replace (not in a preview); True when the old resource awaits deletion."""
        request = provider_pb2.DiffRequest(
            id=old.id,
            urn=old.urn,
            name=old.name,
            type=old.type,
            olds=_to_struct(old.outputs),
            news=_to_struct(checked),
            old_inputs=_to_struct(old.inputs),
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
            self._put(ResourceState(old.name, old.type, old.urn, old.id, checked, old.outputs))
        elif step.op == "update":
            self._update(step, old, checked)
        else:
            return self._replace(step, old, checked, delete_first=diff.deleteBeforeReplace)
        return False

    def _update(self, step: StepResult, old: ResourceState, checked: dict[str, Any]) -> None:
        request = provider_pb2.UpdateRequest(
            id=old.id,
            urn=old.urn,
            name=old.name,
            type=old.type,
            olds=_to_struct(old.outputs),
            news=_to_struct(checked),
            old_inputs=_to_struct(old.inputs),
        )
        response = self._call(step, "Update", request)
        step.outputs = _from_struct(response.properties)
        self._put(ResourceState(old.name, old.type, old.urn, old.id, checked, step.outputs))

    def _replace(
        self, step: StepResult, old: ResourceState, checked: dict[str, Any], delete_first: bool
    ) -> bool:
        step.old_id = old.id
        if delete_first:
            self._delete_call(step, old)
            self._drop(old.name)
        self._create(step, old.name, checked)
        return not delete_first

    def _delete_replaced(self, step: StepResult, old: ResourceState) -> None:
        with contextlib.suppress(_StepFailed):
            self._delete_call(step, old)

    def _delete_call(self, step: StepResult, resource: ResourceState) -> None:
        request = provider_pb2.DeleteRequest(
            id=resource.id,
            urn=resource.urn,
            name=resource.name,
            type=resource.type,
            properties=_to_struct(resource.outputs),
            old_inputs=_to_struct(resource.inputs),
        )
        self._call(step, "Delete", request)

    def _delete_one(self, resource: ResourceState) -> StepResult:
        step = StepResult(resource.name, "delete", id=resource.id)
        try:
            self._delete_call(step, resource)
        except _StepFailed:
            return step
        self._drop(resource.name)
        return step

    def _refresh_one(self, resource: ResourceState) -> StepResult:
        step = StepResult(resource.name, "read", id=resource.id)
        request = provider_pb2.ReadRequest(
            id=resource.id,
            urn=resource.urn,
            name=resource.name,
            type=resource.type,
            properties=_to_struct(resource.outputs),
            inputs=_to_struct(resource.inputs),
        )
        try:
            response = self._call(step, "Read", request)
        except _StepFailed:
            return step
        if not response.id:
            step.op, step.id = "gone", None
            self._drop(resource.name)
            return step
        outputs = _from_struct(response.properties)
        inputs = _from_struct(response.inputs) if response.HasField("inputs") else resource.inputs
        step.id, step.outputs = response.id, outputs
        self._put(ResourceState(resource.name, resource.type, resource.urn, response.id, inputs, outputs))
        return step


def _secret_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: secret_value(value) if key == PROVIDER_KEY else value for key, value in props.items()}
