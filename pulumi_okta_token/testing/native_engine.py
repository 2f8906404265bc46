"""Drive the native ``okta-token`` plugin the way the Pulumi CLI does, without the Pulumi CLI.

:class:`NativeEngine` starts the console script ``pulumi-resource-okta-token`` exactly as the CLI starts a
resource plugin (engine flags first, the engine's address last, the port read from the first stdout
line), and replays on a small stack state the message sequences of ``../shared/pulumi/NATIVE-PROVIDER.md``
(pulumi/pulumi at 1b59498; file and line below). Every operation runs in a plugin process of its own, as
every CLI command does, and ends the way the CLI ends it: ``Cancel``, then SIGINT if it still runs.

* load (each operation): ``Handshake`` -> ``GetPluginInfo`` -> ``CheckConfig`` -> ``Configure``
  (``pkg/resource/plugin/provider_plugin.go#L366-405``, ``pkg/host/host.go#L369-394``,
  ``pkg/resource/deploy/providers/registry.go#L622-717``). The stack config's ``okta-token:*`` keys
  reach the plugin without their namespace (``pkg/resource/deploy/target.go#L46-72``); ``CheckConfig``
  gets them in plain text, ``Configure`` gets the checked ones with secrets wrapped.
* :meth:`NativeEngine.import_resources` (``pulumi import TYPE NAME ID`` and ``pulumi import --file``):
  a preview, then the update, each ``Read`` (the id alone) -> ``Check`` per resource
  (``pkg/resource/deploy/step.go#L1954-2225``); an import entry's ``inputs`` fill what ``Read`` left out
  and its ``outputs`` replace ``Read`` altogether; then the code generation: ``GetSchema`` from a fresh
  plugin (``pkg/codegen/schema/loader.go#L580-633``) and the program the CLI would write.
* :meth:`NativeEngine.up` / :meth:`NativeEngine.preview`: per resource ``Check`` -> ``Diff`` ->
  ``Create`` / ``Update`` / nothing, with ``preview=true`` in a preview (the plugin implements
  ``Handshake``, so the engine asks it, ``provider_plugin.go#L317-325``); a replace is ``Check`` again
  with no old inputs, ``Create``, then ``Delete`` of the old. With the ``import_`` option (``imports``):
  ``Read`` (the id alone) -> ``Check`` (olds = the read inputs) -> ``Diff`` -> nothing, ``Update``, or the
  engine's error for a replace (``pkg/resource/deploy/step_generator.go#L1104-1201``, ``#L1974-1999``).
* :meth:`NativeEngine.refresh`: ``Read`` with the stored outputs and inputs; an empty id drops the
  resource (``step.go#L1580-1620``). :meth:`NativeEngine.destroy`: ``Delete`` for each resource.
* :meth:`NativeEngine.state_delete`: ``pulumi state delete`` (no RPC: the state forgets the resource).

What differs from the CLI: the state lives in memory; resources run one after another (the CLI runs
them in parallel); the generated program is a model of Pulumi's Python program generator
(:func:`python_program`), limited to what ``ApiToken`` needs; messages are the engine's wording without
colours.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from google.protobuf.empty_pb2 import Empty
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .engine import CheckFailure, PluginStartError, RunResult, StepResult, secret_value

__all__ = [
    "DEFAULT_SECRET_KEYS",
    "NATIVE_TYPE",
    "PLUGIN_COMMAND",
    "ConfigRejected",
    "ImportResult",
    "ImportSpec",
    "NativeEngine",
    "NativeResource",
    "NativeStep",
    "python_program",
    "secret",
]

NATIVE_TYPE = "okta-token:index:ApiToken"
"""The resource type the native plugin serves."""

PACKAGE = "okta-token"
PROVIDER_TYPE = f"pulumi:providers:{PACKAGE}"

PLUGIN_COMMAND = f"pulumi-resource-{PACKAGE}"
"""The executable the CLI looks for (``sdk/go/common/workspace/plugins.go#L1332-1334``)."""

DEFAULT_SECRET_KEYS: frozenset[str] = frozenset(
    {f"{PACKAGE}:apiToken", f"{PACKAGE}:accessToken", f"{PACKAGE}:privateKey"}
)
"""Stack config keys set with ``pulumi config set --secret`` unless told otherwise."""

_CANCEL_WAIT = 10.0
"""Seconds the driver waits for the plugin to exit after ``Cancel`` before it sends SIGINT."""


def secret(value: Any) -> dict[str, Any]:
    """``value`` marked secret, for program inputs (as ``pulumi.Output.secret`` reaches the engine)."""
    wrapped: dict[str, Any] = rpc.wrap_rpc_secret(value)
    return wrapped


class ConfigRejected(RuntimeError):
    """Loading the provider failed: ``CheckConfig`` failures or a ``Configure`` error (the text the CLI
    shows; every resource of the operation fails with it)."""


@dataclass
class NativeResource:
    """One resource of the stack state. Secret values stay wrapped (``secret(...)``)."""

    name: str
    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    import_id: str = ""
    """The ``import_`` id the resource came in with (empty after ``pulumi import``, ``step.go#L2150``)."""
    protect: bool = False
    retain_on_delete: bool = False


@dataclass
class NativeStep(StepResult):
    """What happened to one resource; ``op`` may also be ``import`` (imported as it is)."""

    imported: bool = False
    """The resource was imported in this step (``pulumi import`` or the ``import_`` option)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings the engine printed for this resource (check failures of an import, a replace blocked
    by ``import_`` in a preview)."""


@dataclass(frozen=True)
class ImportSpec:
    """One resource of ``pulumi import --file`` (``pkg/cmd/pulumi/operations/import.go#L206-236``)."""

    name: str
    id: str = ""
    type: str = NATIVE_TYPE
    properties: tuple[str, ...] = ()
    """Only these input properties go into the state (and the generated code)."""
    inputs: Mapping[str, Any] | None = None
    """Values for inputs ``Read`` does not return (``mergeSuppliedProperties``, ``step.go#L1934-1952``)."""
    outputs: Mapping[str, Any] | None = None
    """The resource's whole state: no ``Read`` at all (``step.go#L1997-2019``)."""

    def to_json(self) -> dict[str, Any]:
        """This entry as ``import.json`` holds it."""
        entry: dict[str, Any] = {"type": self.type, "name": self.name}
        if self.id:
            entry["id"] = self.id
        if self.properties:
            entry["properties"] = list(self.properties)
        if self.inputs is not None:
            entry["inputs"] = dict(self.inputs)
        if self.outputs is not None:
            entry["outputs"] = dict(self.outputs)
        return entry

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> ImportSpec:
        return cls(
            name=entry["name"],
            id=entry.get("id", ""),
            type=entry.get("type", NATIVE_TYPE),
            properties=tuple(entry.get("properties") or ()),
            inputs=entry.get("inputs"),
            outputs=entry.get("outputs"),
        )

    @classmethod
    def file(cls, document: Mapping[str, Any]) -> list[ImportSpec]:
        """The entries of an ``import.json`` document (``{"resources": [...]}``)."""
        return [cls.from_json(entry) for entry in document["resources"]]


@dataclass
class ImportResult:
    """The outcome of ``pulumi import``: the import itself, and the program the CLI prints."""

    run: RunResult
    program: str | None
    """The generated Python program (``None`` when the import failed, as the CLI then writes none)."""
    preview: RunResult | None = None
    """The preview the CLI runs first."""


class _StepFailed(Exception):
    """Ends one resource's sequence; the step already holds the error."""


class NativeEngine:
    """The engine's side of the protocol, talking to ``pulumi-resource-okta-token`` processes.

    :param config: the stack config, namespaced (``{"okta-token:orgUrl": ..., "okta-token:apiToken":
        ...}``); only the ``okta-token:`` keys reach the plugin, as the CLI passes them.
    :param secret_keys: the config keys set as secrets.
    :param env: extra environment variables of the plugin (the CLI's environment reaches it).
    :param inherit_env: start from this process's environment.
    :param command: the plugin executable; the console script next to this interpreter by default.
    :param project, stack: names used in URNs.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        secret_keys: Iterable[str] = DEFAULT_SECRET_KEYS,
        env: Mapping[str, str] | None = None,
        inherit_env: bool = True,
        command: str | os.PathLike[str] | None = None,
        project: str = "okta-tokens",
        stack: str = "test",
        start_timeout: float = 60.0,
        call_timeout: float = 60.0,
    ) -> None:
        self.config = dict(config or {})
        self.secret_keys = frozenset(secret_keys)
        self.project = project
        self.stack = stack
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.command = str(command) if command is not None else plugin_command()
        self._env = dict(os.environ) if inherit_env else {"PATH": os.environ.get("PATH", "")}
        self._env.update(env or {})
        self._env["PULUMI_PROJECT"] = project
        self._state: dict[str, NativeResource] = {}
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._accepts_secrets = False
        self.calls: list[str] = []
        """Every RPC sent, in order, over every plugin process."""
        self.responses: list[tuple[str, Any]] = []
        """Every answer the plugin sent, as ``(rpc name, message)``."""
        self.plugin_starts = 0
        self.exit_codes: list[int] = []
        """How each plugin process ended (0 after ``Cancel``)."""
        self.stdout_lines: list[str] = []
        """Each process's stdout lines (its port line first)."""
        self.stderr_lines: list[str] = []
        self.warnings: list[str] = []
        """Warnings of the last operation that concern no single resource."""

    # ------------------------------------------------------------------------------------------ state

    @property
    def state(self) -> dict[str, NativeResource]:
        """The stack state by resource name (a copy)."""
        return dict(self._state)

    def urn(self, name: str, typ: str = NATIVE_TYPE) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{typ}::{name}"

    def state_delete(self, name: str, *, force: bool = False) -> None:
        """``pulumi state delete <urn>``: the state forgets the resource; no RPC, nothing in Okta.

        A protected resource is refused, as the CLI refuses it, unless ``force`` (``--force``)."""
        resource = self._state[name]
        if resource.protect and not force:
            raise ValueError(
                f"{resource.urn} is protected: `pulumi state unprotect` it first, or pass --force"
            )
        del self._state[name]

    def state_json(self) -> dict[str, Any]:
        """The state as a stack export; secrets as plaintext secret objects (``--show-secrets``)."""
        resources = [
            {
                "urn": r.urn,
                "custom": True,
                "id": r.id,
                "type": NATIVE_TYPE,
                "inputs": _exported(r.inputs),
                "outputs": _exported(r.outputs),
                **({"protect": True} if r.protect else {}),
            }
            for r in self._state.values()
        ]
        return {"version": 3, "deployment": {"resources": resources}}

    # ---------------------------------------------------------------------------------------- plugin

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        if self._stub is None:
            raise RuntimeError("no plugin runs outside an operation")
        return self._stub

    @contextmanager
    def plugin(self, *, load: bool = True) -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
        """One plugin process for one operation: started, loaded (unless ``load`` is false), then
        stopped as the CLI stops it (``Cancel``; SIGINT if it does not exit)."""
        process = _PluginProcess(self.command, self._env, self.start_timeout, self)
        self.plugin_starts += 1
        self._stub = process.start()
        try:
            self._handshake()
            self._call("GetPluginInfo", Empty())
            if load:
                self._check_and_configure()
            yield self._stub
        finally:
            with suppress(grpc.RpcError):
                self._call("Cancel", Empty())
            self._stub = None
            self.exit_codes.append(process.stop())

    def _call(self, method: str, request: Any) -> Any:
        self.calls.append(method)
        response = getattr(self.stub, method)(request, timeout=self.call_timeout)
        self.responses.append((method, response))
        return response

    def _handshake(self) -> None:
        response = self._call(
            "Handshake",
            provider_pb2.ProviderHandshakeRequest(
                engine_address="127.0.0.1:1", root_directory=os.getcwd(), program_directory=os.getcwd()
            ),
        )
        self._accepts_secrets = response.accept_secrets

    def _check_and_configure(self) -> None:
        urn = self.urn("default", PROVIDER_TYPE)
        news = {key.split(":", 1)[1]: value for key, value in self.config.items() if _in_package(key)}
        try:
            checked = self._call(
                "CheckConfig",
                provider_pb2.CheckRequest(
                    urn=urn, name="default", type=PROVIDER_TYPE, olds=_struct({}), news=_struct(news)
                ),
            )
        except grpc.RpcError as error:
            raise ConfigRejected(error.details() or str(error)) from None
        if checked.failures:
            raise ConfigRejected(
                "\n".join(_invalid(PROVIDER_TYPE, "default", f, news) for f in checked.failures)
            )
        inputs = _props(checked.inputs)
        for key in self.config:  # annotateSecrets: the config's secret bit survives (provider_plugin.go#L749)
            short = key.split(":", 1)[1] if _in_package(key) else ""
            if key in self.secret_keys and short in inputs and not rpc.is_rpc_secret(inputs[short]):
                inputs[short] = secret(inputs[short])
        variables = {
            f"{PACKAGE}:config:{key}": _plain_text(rpc.unwrap_rpc_secret(value))
            for key, value in inputs.items()
        }
        try:
            self._call(
                "Configure",
                provider_pb2.ConfigureRequest(
                    urn=urn,
                    name="default",
                    type=PROVIDER_TYPE,
                    variables=variables,
                    args=_struct(inputs),
                    acceptSecrets=True,
                    acceptResources=True,
                    sends_old_inputs=True,
                    sends_old_inputs_to_delete=True,
                ),
            )
        except grpc.RpcError as error:
            raise ConfigRejected(error.details() or str(error)) from None

    def _send(self, props: Mapping[str, Any]) -> struct_pb2.Struct:
        """Properties as the engine sends them: secrets wrapped only to a plugin that accepts them."""
        return _struct(
            props if self._accepts_secrets else {k: rpc.unwrap_rpc_secret(v) for k, v in props.items()}
        )

    @property
    def stdout(self) -> str:
        return "".join(self.stdout_lines)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    # ---------------------------------------------------------------------------------------- import

    def import_resources(
        self,
        specs: Sequence[ImportSpec],
        *,
        protect: bool = True,
        generate_code: bool = True,
        preview_first: bool = True,
    ) -> ImportResult:
        """``pulumi import`` of ``specs`` (one for ``pulumi import TYPE NAME ID``, many for ``--file``):
        a preview (unless ``preview_first`` is false, as ``--skip-preview``), then the update; the
        program is generated (unless ``generate_code`` is false) when every resource was imported."""
        preview = None
        if preview_first:
            with self.plugin():
                preview = RunResult({spec.name: self._import_one(spec, protect, True) for spec in specs})
            if not preview.ok:
                return ImportResult(preview, None, preview)
        with self.plugin():
            run = RunResult({spec.name: self._import_one(spec, protect, False) for spec in specs})
        program = self.generate_program([spec.name for spec in specs]) if run.ok and generate_code else None
        return ImportResult(run, program, preview)

    def import_one(self, name: str, token_id: str, **options: bool) -> ImportResult:
        """``pulumi import okta-token:index:ApiToken <name> <token_id>`` (options as for
        :meth:`import_resources`)."""
        return self.import_resources([ImportSpec(name, token_id)], **options)

    def _import_one(self, spec: ImportSpec, protect: bool, preview: bool) -> NativeStep:
        step = NativeStep(spec.name, "import", id=spec.id, imported=True)
        urn = self.urn(spec.name, spec.type)
        try:
            if spec.name in self._state:
                raise self._fail(step, f"resource '{urn}' already exists")
            if spec.outputs is not None:
                inputs, outputs, token_id = dict(spec.inputs or {}), dict(spec.outputs), spec.id
            else:
                token_id, inputs, outputs = self._read_for_import(step, urn, spec.name, spec.id)
                inputs = _merge_supplied(inputs, spec.inputs or {})
            kept = {k: inputs[k] for k in spec.properties if k in inputs} if spec.properties else dict(inputs)
            checked = self._call_step(
                step,
                "Check",
                provider_pb2.CheckRequest(
                    urn=urn, name=spec.name, type=spec.type, olds=self._send(inputs), news=self._send(kept)
                ),
            )
            if checked.failures:  # step.go#L2172-2210: warnings, the import goes on
                blame = (
                    "Try specifying a different set of properties to import with in the future."
                    if spec.properties
                    else f"This is almost certainly a bug in the `{PACKAGE}` provider."
                )
                step.warnings.append(
                    f"One or more imported inputs failed to validate. {blame} The import will still "
                    "proceed, but you will need to edit the generated code after copying it into your "
                    "program."
                )
                step.failures = [CheckFailure(f.property, f.reason) for f in checked.failures]
                step.warnings += [_invalid(spec.type, spec.name, f, kept) for f in checked.failures]
        except _StepFailed:
            return step
        step.id, step.outputs = token_id, outputs
        if not preview:
            self._state[spec.name] = NativeResource(spec.name, urn, token_id, kept, outputs, protect=protect)
        return step

    def _read_for_import(
        self, step: NativeStep, urn: str, name: str, import_id: str
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """``Read`` with the id alone (no properties, no inputs: ``step.go#L2037-2045``), judged as the
        engine judges it (``step.go#L2058-2074``)."""
        read = self._call_step(
            step, "Read", provider_pb2.ReadRequest(id=import_id, urn=urn, name=name, type=NATIVE_TYPE)
        )
        if not read.HasField("properties"):
            raise self._fail(step, f"resource '{import_id}' does not exist")
        if not read.HasField("inputs"):
            raise self._fail(
                step,
                f"provider does not support importing resources; please try updating the '{PACKAGE}' plugin",
            )
        return read.id or import_id, _props(read.inputs), _props(read.properties)

    # ---------------------------------------------------------------------------------- code generation

    def generate_program(self, names: Iterable[str] | None = None) -> str:
        """The program ``pulumi import`` prints for resources of the state: ``GetSchema`` from a fresh
        plugin (no ``CheckConfig``/``Configure``: the schema loader only loads it), then
        :func:`python_program`."""
        with self.plugin(load=False):
            answer = self._call("GetSchema", provider_pb2.GetSchemaRequest(version=0))
        schema = json.loads(answer.schema)
        if schema.get("name") != PACKAGE:  # pkg/codegen/schema/loader.go#L340-347
            raise ValueError(f"the plugin's schema names package {schema.get('name')!r}, not {PACKAGE!r}")
        chosen = list(self._state) if names is None else list(names)
        return python_program(schema, [self._state[name] for name in chosen])

    # -------------------------------------------------------------------------------------- up, preview

    def up(
        self,
        program: Mapping[str, Mapping[str, Any]],
        *,
        imports: Mapping[str, str] | None = None,
        protect: Iterable[str] = (),
        retain_on_delete: Iterable[str] = (),
    ) -> RunResult:
        """Deploy ``program`` (resource name -> inputs). ``imports`` gives resources the ``import_``
        option (name -> id); ``protect`` and ``retain_on_delete`` name resources with those options."""
        return self._deploy(program, imports or {}, set(protect), set(retain_on_delete), preview=False)

    def preview(
        self, program: Mapping[str, Mapping[str, Any]], *, imports: Mapping[str, str] | None = None
    ) -> RunResult:
        """What ``up`` would do; ``Create``/``Update`` are sent with ``preview=true``; the state stays."""
        return self._deploy(program, imports or {}, set(), set(), preview=True)

    def _deploy(
        self,
        program: Mapping[str, Mapping[str, Any]],
        imports: Mapping[str, str],
        protect: set[str],
        retain: set[str],
        preview: bool,
    ) -> RunResult:
        self.warnings = []
        steps: dict[str, StepResult] = {}
        replaced: list[tuple[NativeStep, NativeResource]] = []
        with self.plugin():
            for name, inputs in program.items():
                options = {"protect": name in protect, "retain_on_delete": name in retain}
                steps[name] = self._step(
                    name, dict(inputs), imports.get(name, ""), options, preview, replaced
                )
            for step, old in replaced:
                self._delete_call(step, old)
            for name, resource in self.state.items():
                if name not in program:
                    steps[name] = self._delete_one(resource, preview)
        return RunResult(steps)

    def _step(
        self,
        name: str,
        inputs: dict[str, Any],
        import_id: str,
        options: Mapping[str, bool],
        preview: bool,
        replaced: list[tuple[NativeStep, NativeResource]],
    ) -> NativeStep:
        old = self._state.get(name)
        step = NativeStep(name, "create" if old is None else "update", id=old.id if old else None)
        try:
            # step_generator.go#L1104-1113: an import when the goal has an id the old resource lacks.
            if import_id and (old is None or (old.import_id or old.id) != import_id):
                if old is not None:
                    raise self._fail(step, "a resource already in the state is imported again: not modelled")
                old = self._import_for_up(step, name, import_id, options)
            checked = self._check(step, name, inputs, old)
            if old is None:
                self._create(step, name, checked, options, preview)
            elif self._diff_and_apply(step, old, inputs, checked, import_id, options, preview):
                replaced.append((step, old))
        except _StepFailed:
            step.outputs = None
        return step

    def _import_for_up(
        self, step: NativeStep, name: str, import_id: str, options: Mapping[str, bool]
    ) -> NativeResource:
        step.op, step.imported = "import", True
        urn = self.urn(name)
        token_id, inputs, outputs = self._read_for_import(step, urn, name, import_id)
        return NativeResource(
            name,
            urn,
            token_id,
            inputs,
            outputs,
            import_id=import_id,
            protect=options["protect"],
            retain_on_delete=options["retain_on_delete"],
        )

    def _check(
        self, step: NativeStep, name: str, inputs: Mapping[str, Any], old: NativeResource | None
    ) -> dict[str, Any]:
        request = provider_pb2.CheckRequest(
            urn=self.urn(name),
            name=name,
            type=NATIVE_TYPE,
            olds=self._send(old.inputs if old else {}),
            news=self._send(inputs),
        )
        response = self._call_step(step, "Check", request)
        if response.failures:
            step.failures = [CheckFailure(f.property, f.reason) for f in response.failures]
            raise self._fail(
                step, "\n".join(_invalid(NATIVE_TYPE, name, f, inputs) for f in response.failures)
            )
        return _props(response.inputs)

    def _create(
        self, step: NativeStep, name: str, checked: dict[str, Any], options: Mapping[str, bool], preview: bool
    ) -> None:
        request = provider_pb2.CreateRequest(
            urn=self.urn(name), name=name, type=NATIVE_TYPE, properties=self._send(checked), preview=preview
        )
        response = self._call_step(step, "Create", request)
        step.outputs = _props(response.properties)
        if preview:
            return
        if not response.id:  # provider_plugin.go#L1491-1494
            raise self._fail(step, f"plugin returned empty resource.ID from create '{self.urn(name)}'")
        step.id = response.id
        self._state[name] = NativeResource(
            name,
            self.urn(name),
            response.id,
            checked,
            step.outputs,
            protect=options["protect"],
            retain_on_delete=options["retain_on_delete"],
        )

    def _diff_and_apply(
        self,
        step: NativeStep,
        old: NativeResource,
        inputs: Mapping[str, Any],
        checked: dict[str, Any],
        import_id: str,
        options: Mapping[str, bool],
        preview: bool,
    ) -> bool:
        """Diff, then nothing, an update or a replace; True when the old resource awaits deletion."""
        diff = self._call_step(
            step,
            "Diff",
            provider_pb2.DiffRequest(
                id=old.id,
                urn=old.urn,
                name=old.name,
                type=NATIVE_TYPE,
                olds=self._send(old.outputs),
                news=self._send(checked),
                old_inputs=self._send(old.inputs),
            ),
        )
        if diff.changes == provider_pb2.DiffResponse.DIFF_UNKNOWN:
            changed = old.inputs != checked
        else:
            changed = diff.changes == provider_pb2.DiffResponse.DIFF_SOME
        kept = NativeResource(
            old.name,
            old.urn,
            old.id,
            checked,
            old.outputs,
            old.import_id,
            protect=options["protect"],
            retain_on_delete=options["retain_on_delete"],
        )
        if not changed:
            step.op = "import" if step.imported else "same"
            step.outputs = old.outputs
            if not preview:
                self._state[old.name] = kept
            return False
        if not diff.replaces:
            step.op = "update"
            self._update(step, old, kept, preview)
            return False
        step.op = "replace"
        if import_id:  # step_generator.go#L1974-1999
            message = (
                "previously-imported resources that still specify an ID may not be replaced; please remove "
                "the `import` declaration from your program;\n"
                + "\n".join(
                    f"{key}: {_shown(old.inputs.get(key))} => {_shown(checked.get(key))}"
                    for key in diff.replaces
                )
            )
            if not preview:
                raise self._fail(step, message)
            step.warnings.append(message)
        checked = self._check(step, old.name, inputs, None)
        if preview:
            return False
        step.old_id = old.id
        if diff.deleteBeforeReplace:
            self._delete_call(step, old)
            del self._state[old.name]
        self._create(step, old.name, checked, options, preview)
        return not diff.deleteBeforeReplace

    def _update(self, step: NativeStep, old: NativeResource, new: NativeResource, preview: bool) -> None:
        request = provider_pb2.UpdateRequest(
            id=old.id,
            urn=old.urn,
            name=old.name,
            type=NATIVE_TYPE,
            olds=self._send(old.outputs),
            news=self._send(new.inputs),
            old_inputs=self._send(old.inputs),
            preview=preview,
        )
        response = self._call_step(step, "Update", request)
        step.outputs = _props(response.properties)
        if not preview:
            new.outputs = step.outputs
            self._state[old.name] = new

    # ------------------------------------------------------------------------------- refresh, destroy

    def refresh(self) -> RunResult:
        """Read every resource; keep what the plugin answers; drop what it reports gone."""
        with self.plugin():
            return RunResult({name: self._refresh_one(r) for name, r in self.state.items()})

    def destroy(self) -> RunResult:
        """Delete every resource (a protected one fails; a retained one is only forgotten)."""
        with self.plugin():
            return RunResult({name: self._delete_one(r, False) for name, r in self.state.items()})

    def _refresh_one(self, resource: NativeResource) -> NativeStep:
        step = NativeStep(resource.name, "read", id=resource.id)
        request = provider_pb2.ReadRequest(
            id=resource.id,
            urn=resource.urn,
            name=resource.name,
            type=NATIVE_TYPE,
            properties=self._send(resource.outputs),
            inputs=self._send(resource.inputs),
        )
        try:
            response = self._call_step(step, "Read", request)
        except _StepFailed:
            return step
        if not response.id:
            step.op, step.id = "gone", None
            del self._state[resource.name]
            return step
        resource.outputs = _props(response.properties)
        if response.HasField("inputs"):
            resource.inputs = _props(response.inputs)
        step.id, step.outputs = response.id, resource.outputs
        resource.id = response.id
        return step

    def _delete_one(self, resource: NativeResource, preview: bool) -> NativeStep:
        step = NativeStep(resource.name, "delete", id=resource.id)
        try:
            if resource.protect:
                raise self._fail(
                    step,
                    f'unable to delete resource "{resource.urn}"\nas it is currently marked for protection. '
                    "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi "
                    "program and run `pulumi up`, or use the command:\n"
                    f"`pulumi state unprotect '{resource.urn}'`",
                )
            if preview:
                return step
            if not resource.retain_on_delete:
                self._delete_call(step, resource)
        except _StepFailed:
            return step
        del self._state[resource.name]
        return step

    def _delete_call(self, step: NativeStep, resource: NativeResource) -> None:
        self._call_step(
            step,
            "Delete",
            provider_pb2.DeleteRequest(
                id=resource.id,
                urn=resource.urn,
                name=resource.name,
                type=NATIVE_TYPE,
                properties=self._send(resource.outputs),
                old_inputs=self._send(resource.inputs),
            ),
        )

    # -------------------------------------------------------------------------------------- helpers

    def _call_step(self, step: StepResult, method: str, request: Any) -> Any:
        step.calls.append(method)
        try:
            return self._call(method, request)
        except grpc.RpcError as error:
            step.grpc_code = error.code()
            raise self._fail(step, error.details() or str(error)) from None

    @staticmethod
    def _fail(step: StepResult, message: str) -> _StepFailed:
        step.error = message
        return _StepFailed()


# ------------------------------------------------------------------------------------ the process


def plugin_command() -> str:
    """The console script installed next to this interpreter, else the one on ``PATH``."""
    beside = Path(sys.executable).parent / PLUGIN_COMMAND
    if beside.exists():
        return str(beside)
    found = shutil.which(PLUGIN_COMMAND)
    if found is None:
        raise PluginStartError(f"{PLUGIN_COMMAND} is not installed: `pip install -e .` installs it")
    return found


class _PluginProcess:
    """One plugin process, started with the CLI's arguments (``plugin.go#L728-744``): flags first,
    the engine's address last."""

    ARGS = ("--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1/trace", "127.0.0.1:1")

    def __init__(self, command: str, env: Mapping[str, str], timeout: float, engine: NativeEngine) -> None:
        self.command = command
        self.env = dict(env)
        self.timeout = timeout
        self.engine = engine
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._readers: list[threading.Thread] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None

    def start(self) -> provider_pb2_grpc.ResourceProviderStub:
        self._process = subprocess.Popen(
            [self.command, *self.ARGS],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
        )
        self._readers = [
            threading.Thread(target=self._drain, args=(self._process.stdout, self.engine.stdout_lines, True)),
            threading.Thread(
                target=self._drain, args=(self._process.stderr, self.engine.stderr_lines, False)
            ),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()
        try:
            port = self._port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(self._channel).result(timeout=self.timeout)
        except BaseException:
            self.stop()
            raise
        return provider_pb2_grpc.ResourceProviderStub(self._channel)

    def _drain(self, stream: Any, sink: list[str], report: bool) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            sink.append(line)
            if report:
                self._lines.put(line)
        if report:
            self._lines.put(None)

    def _port(self) -> int:
        """The first stdout line, which must be the port and nothing else (``plugin.go#L375-431``)."""
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            raise PluginStartError(f"{self.command} printed no port within {self.timeout:.0f} s") from None
        if line is None or not line.strip().isdigit():
            raise PluginStartError(
                f"{self.command} wrote {line!r} as its first stdout line, not a port; stderr:\n"
                + "".join(self.engine.stderr_lines)
            )
        return int(line.strip())

    def stop(self) -> int:
        """Wait for the process to exit (it should after ``Cancel``); SIGINT, then SIGKILL 5 s later,
        as ``plugin.go#L640-669`` does. Returns its exit status."""
        if self._channel is not None:
            self._channel.close()
        process = self._process
        if process is None:
            return -1
        code = _wait(process, _CANCEL_WAIT)
        if code is None:
            process.send_signal(signal.SIGINT)
            code = _wait(process, 5.0)
        if code is None:
            process.kill()
            code = process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return code


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int | None:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


# ------------------------------------------------------------------------------ properties and text


def _in_package(key: str) -> bool:
    return key.startswith(f"{PACKAGE}:")


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()
    try:
        struct: struct_pb2.Struct = loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()
    return struct


def _props(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Properties as the engine keeps them: secrets still marked, values not known yet as ``UNKNOWN``."""
    props: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns=True)
    return {key: _known_or_unknown(value) for key, value in props.items()}


def _known_or_unknown(value: Any) -> Any:
    from pulumi.output import Unknown

    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {key: _known_or_unknown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_known_or_unknown(item) for item in value]
    return value


def _plain_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _merge_supplied(read: Mapping[str, Any], supplied: Mapping[str, Any]) -> dict[str, Any]:
    """``mergeSuppliedProperties`` (``step.go#L1934-1952``): a supplied value fills a gap only."""
    merged = dict(read)
    for key, value in supplied.items():
        if merged.get(key) is None:
            merged[key] = value
        elif rpc.is_rpc_secret(value) and not rpc.is_rpc_secret(merged[key]):
            merged[key] = secret(merged[key])
    return merged


def _shown(value: Any) -> str:
    """A property value as the engine prints one (``{value}``; a secret as ``[secret]``)."""
    if rpc.is_rpc_secret(value):
        return "[secret]"
    if value is None:
        return "{<nil>}"
    return "{" + (value if isinstance(value, str) else json.dumps(value)) + "}"


def _invalid(typ: str, name: str, failure: Any, inputs: Mapping[str, Any]) -> str:
    """A check failure in the engine's words (``sdk/go/common/diag/errors.go#L37-41``)."""
    if failure.property:
        return (
            f"{typ} resource '{name}': property {failure.property} value "
            f"{_shown(inputs.get(failure.property))} has a problem: {failure.reason}"
        )
    return f"{typ} resource '{name}' has a problem: {failure.reason}"


def _exported(props: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: secret_value(rpc.unwrap_rpc_secret(value)) if rpc.is_rpc_secret(value) else value
        for key, value in props.items()
    }


# ------------------------------------------------------------------------- the generated program


def python_program(schema: Mapping[str, Any], resources: Sequence[NativeResource]) -> str:
    """The Python program ``pulumi import`` writes for ``resources``: a model of Pulumi's generator.

    What it models, from pulumi/pulumi at 1b59498: only the schema's ``inputProperties`` present in the
    state's inputs are written (``pkg/importer/hcl2.go#L244-257``); the package is imported as
    ``language.python.packageName`` under an alias made of the package name (``okta_token``,
    ``pkg/codegen/python/gen_program.go#L681-698``, ``#L507-525``); the resource's module is
    ``moduleNameOverrides["index"]`` (``gen_program.go#L827-861``, ``#L810-824``); keyword names and the
    keys of an object's dict are ``PyName``s (``gen_program_expressions.go#L850-913``: dicts, since
    ``inputTypes`` is not ``classes``, ``gen_program.go#L892-914``); ``protect`` becomes
    ``opts=pulumi.ResourceOptions(protect=True)``.
    """
    python = schema["language"]["python"]
    alias = re.sub(r"[^0-9A-Za-z_]", "_", schema["name"])
    module = python.get("moduleNameOverrides", {}).get("index", "")
    qualified = ".".join(part for part in (alias, _py_name(module), "ApiToken") if part)
    declared = schema["resources"][NATIVE_TYPE]["inputProperties"]
    lines = ["import pulumi", f"import {python['packageName']} as {alias}", ""]
    for resource in resources:
        arguments = [json.dumps(resource.name)]
        for prop in declared:
            value = resource.inputs.get(prop)
            if value is not None:
                arguments.append(f"{_py_name(prop)}={_python_value(rpc.unwrap_rpc_secret(value))}")
        if resource.protect:
            arguments.append("opts=pulumi.ResourceOptions(protect=True)")
        variable = re.sub(r"\W", "_", _py_name(resource.name))
        lines.append(f"{variable} = {qualified}(" + ",\n    ".join(arguments) + ")")
    return "\n".join(lines) + "\n"


def _py_name(name: str) -> str:
    """``PyName`` (``pkg/codegen/python/python.go#L44-47``) for names without acronyms: snake_case."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _python_value(value: Any) -> str:
    if isinstance(value, Mapping):
        return (
            "{" + ", ".join(f"{json.dumps(_py_name(k))}: {_python_value(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_python_value(item) for item in value) + "]"
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value)
