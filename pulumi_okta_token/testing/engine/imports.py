"""Imports, as the engine plays them: ``pulumi import`` (one resource or ``--file``), the ``import_``
option, and the program ``pulumi import`` writes.

:class:`ImportSequences` is :class:`~.sequences.Sequences` plus the import steps (pulumi/pulumi at
1b59498, file and line below):

* :meth:`ImportSequences.import_resource`, one resource of ``pulumi import``: ``Read`` (the id alone)
  -> ``Check`` (``pkg/resource/deploy/step.go#L1954-2225``); an :class:`ImportSpec`'s ``inputs`` fill
  what ``Read`` left out and its ``outputs`` replace ``Read`` altogether; check failures only warn.
* the ``import_`` option in ``up`` and ``preview``: ``Read`` (the id alone) -> ``Check`` (olds = the
  read inputs) -> ``Diff`` -> nothing, ``Update``, or the engine's error for a replace
  (``pkg/resource/deploy/step_generator.go#L1104-1201``, ``#L1974-1999``).

:func:`python_program` is the code generation that follows a ``pulumi import``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2

from ...native.schema import PACKAGE, TYPE_TOKEN
from .messages import from_struct, secret
from .sequences import Sequences, StepFailed, failure_text, shown
from .state import CheckFailure, ResourceState, RunResult, StepResult

__all__ = ["NATIVE_TYPE", "ImportResult", "ImportSequences", "ImportSpec", "python_program"]

NATIVE_TYPE = TYPE_TOKEN
"""The resource type the native plugin serves (``okta-token:index:ApiToken``)."""


@dataclass(frozen=True)
class ImportSpec:
    """One resource of ``pulumi import --file`` (``pkg/cmd/pulumi/operations/import.go#L206-236``)."""

    name: str
    id: str = ""
    type: str = NATIVE_TYPE
    properties: tuple[str, ...] = ()
    """The inputs to import with. The CLI (v3.276.0) still records every input ``Read`` returns (this
    provider's Read returns all of them); the names only change the warning of a failed ``Check``."""
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


@dataclass
class ImportSequences(Sequences):
    """The engine's sequences with imports: ``pulumi import`` and the ``import_`` option."""

    imports: Mapping[str, str] = field(default_factory=dict)
    """The resources with the ``import_`` option: name -> id."""

    def import_resource(self, spec: ImportSpec, protect: bool, preview: bool) -> StepResult:
        """One resource of ``pulumi import``; the state keeps it unless ``preview``."""
        step = StepResult(spec.name, "import", id=spec.id, imported=True)
        goal = ResourceState(spec.name, spec.type, self.urn(spec.name, spec.type), spec.id, {}, {})
        try:
            if self.state.get(spec.name) is not None:
                raise self._fail(step, f"resource '{goal.urn}' already exists")
            if spec.outputs is not None:
                read = replace(goal, inputs=dict(spec.inputs or {}), outputs=dict(spec.outputs))
            else:
                read = self._read(step, goal)
                read.inputs = _merge_supplied(read.inputs, spec.inputs or {})
            # ``properties`` does not narrow what a Read with inputs returned: the CLI (v3.276.0,
            # ``step.go#L2228``, ``#L2294-2316``) records every read input and only copies the named
            # ones again; the names change the text of a failed check alone.
            kept = dict(read.inputs)
            self._check_import(step, spec, read, kept)
        except StepFailed:
            return step
        step.id, step.outputs = read.id, read.outputs
        if not preview:
            self.state.put(replace(read, inputs=kept, protect=protect))
        return step

    def _check_import(
        self, step: StepResult, spec: ImportSpec, read: ResourceState, kept: dict[str, Any]
    ) -> None:
        """``Check`` of what was imported; failures are warnings and the import goes on
        (``step.go#L2172-2210``)."""
        checked = self._call(
            step, "Check", self._request(provider_pb2.CheckRequest, read, olds=read.inputs, news=kept)
        )
        if not checked.failures:
            return
        blame = (
            "Try specifying a different set of properties to import with in the future."
            if spec.properties
            else f"This is almost certainly a bug in the `{PACKAGE}` provider."
        )
        step.warnings.append(
            f"One or more imported inputs failed to validate. {blame} The import will still "
            "proceed, but you will need to edit the generated code after copying it into your program."
        )
        step.failures = [CheckFailure(f.property, f.reason) for f in checked.failures]
        step.warnings += [failure_text(spec.type, spec.name, f, kept) for f in step.failures]

    def _read(self, step: StepResult, goal: ResourceState) -> ResourceState:
        """``Read`` with the id alone (no properties, no inputs: ``step.go#L2037-2045``), judged as the
        engine judges the answer (``step.go#L2058-2074``); ``goal`` carries the id."""
        read = self._call(step, "Read", self._request(provider_pb2.ReadRequest, goal))
        if not read.HasField("properties"):
            raise self._fail(step, f"resource '{goal.id}' does not exist")
        if not read.HasField("inputs"):
            raise self._fail(
                step,
                f"provider does not support importing resources; please try updating the '{PACKAGE}' plugin",
            )
        return replace(
            goal, id=read.id or goal.id, inputs=from_struct(read.inputs), outputs=from_struct(read.properties)
        )

    # ------------------------------------------------------------------------------- the import_ option

    def _starting_point(
        self, step: StepResult, goal: ResourceState, old: ResourceState | None
    ) -> ResourceState | None:
        """An import when the goal has an id the old resource lacks (``step_generator.go#L1104-1113``)."""
        import_id = self.imports.get(goal.name, "")
        if not import_id or (old is not None and (old.import_id or old.id) == import_id):
            return old
        if old is not None:
            raise self._fail(step, "a resource already in the state is imported again: not modelled")
        step.op, step.imported = "import", True
        return replace(self._read(step, replace(goal, id=import_id)), import_id=import_id)

    def _before_replace(
        self,
        step: StepResult,
        old: ResourceState,
        checked: dict[str, Any],
        replaces: list[str],
        preview: bool,
    ) -> None:
        """A resource that still has the ``import_`` option may not be replaced: an error, a warning in
        a preview (``step_generator.go#L1974-1999``). The error comes after the import: the state keeps
        what was read."""
        if not self.imports.get(old.name):
            return
        message = (
            "previously-imported resources that still specify an ID may not be replaced; please remove "
            "the `import` declaration from your program;\n"
            + "\n".join(
                f"{key}: {shown(old.inputs.get(key))} => {shown(checked.get(key))}" for key in replaces
            )
        )
        if not preview:
            # The import step has already been applied: the CLI (v3.276.0) keeps the token it read in
            # the state, as imported, and fails the replace (tests/e2e/test_native_import_option.py).
            self.state.put(old)
            raise self._fail(step, message)
        step.warnings.append(message)


def _merge_supplied(read: Mapping[str, Any], supplied: Mapping[str, Any]) -> dict[str, Any]:
    """``mergeSuppliedProperties`` (``step.go#L1934-1952``): a supplied value fills a gap only."""
    merged = dict(read)
    for key, value in supplied.items():
        if merged.get(key) is None:
            merged[key] = value
        elif rpc.is_rpc_secret(value) and not rpc.is_rpc_secret(merged[key]):
            merged[key] = secret(merged[key])
    return merged


# ------------------------------------------------------------------------------ the generated program


def python_program(schema: Mapping[str, Any], resources: Sequence[ResourceState]) -> str:
    """The Python program ``pulumi import`` writes for ``resources``, as the real CLI writes it (v3.276.0
    with the Python language host ``make pulumi`` builds; ``tests/e2e`` compares the two).

    Only the schema's ``inputProperties`` present in the state's inputs are written, sorted by name, one
    keyword a line (``pkg/importer/hcl2.go``); the package is imported as ``language.python.packageName``
    under an alias made of the package name (``okta_token``); the resource's module is the
    ``moduleNameOverrides`` entry of its module (``""`` for the host's generator, ``"index"`` for the
    CLI's); keyword names and the keys of an object's dict are ``PyName``s, a dict is written one key a
    line with a trailing comma, a list on one line; ``protect`` becomes
    ``opts = pulumi.ResourceOptions(protect=True)`` (spaces included), closing the call; no blank line
    between resources.
    """
    python = schema["language"]["python"]
    alias = re.sub(r"[^0-9A-Za-z_]", "_", schema["name"])
    overrides = python.get("moduleNameOverrides", {})
    module = overrides.get("", overrides.get("index", ""))
    qualified = ".".join(part for part in (alias, _py_name(module), "ApiToken") if part)
    declared = schema["resources"][NATIVE_TYPE]["inputProperties"]
    lines = ["import pulumi", f"import {python['packageName']} as {alias}", ""]
    for resource in resources:
        arguments = [
            f"{_py_name(prop)}={_python_value(rpc.unwrap_rpc_secret(resource.inputs[prop]), 1)}"
            for prop in sorted(declared)
            if resource.inputs.get(prop) is not None
        ]
        if resource.protect:
            arguments.append("opts = pulumi.ResourceOptions(protect=True)")
        variable = re.sub(r"\W", "_", _py_name(resource.name))
        head = f"{variable} = {qualified}({json.dumps(resource.name)}"
        lines.append(",\n    ".join([head, *arguments]) + ")")
    return "\n".join(lines) + "\n"


def _py_name(name: str) -> str:
    """``PyName`` (``pkg/codegen/python/python.go#L44-47``) for names without acronyms: snake_case."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _python_value(value: Any, depth: int) -> str:
    if isinstance(value, Mapping):
        inner, outer = "    " * (depth + 1), "    " * depth
        entries = "".join(
            f"{inner}{json.dumps(_py_name(k))}: {_python_value(v, depth + 1)},\n" for k, v in value.items()
        )
        return "{\n" + entries + outer + "}" if entries else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_python_value(item, depth) for item in value) + "]"
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value)
