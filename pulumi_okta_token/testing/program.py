"""Run a Pulumi program offline under Pulumi's mocks and collect the resources it declares.

The provider does not run here: this answers "what does my program declare for this stack config?",
and what it collects is ready for ``PluginEngine.up``, which then plays the engine against an org::

    declared = run_program("examples/tokens_from_config", config={"okta-api-tokens:tokens": "[...]"},
                           project="okta-api-tokens")
    with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": secret}) as engine:
        engine.up(declared.inputs, **declared.options)

Pass ``declared.options`` on: they are the ``protect`` and ``retain_on_delete`` resource options the
program gave, and without them a ``destroy`` revokes a token the program asked to retain.
"""

from __future__ import annotations

import asyncio
import runpy
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockMonitor

__all__ = ["ProgramDeclarations", "run_program"]


class ProgramDeclarations(pulumi.runtime.Mocks):
    """The resources a program registered: type token, declared inputs (no ``None``, no ``__provider``)
    and the resource options the engine keeps in the state (``protect``, ``retain_on_delete``)."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}
        self.inputs: dict[str, dict[str, Any]] = {}
        self.protect: set[str] = set()
        """The names of the resources declared with ``protect=True``."""
        self.retain_on_delete: set[str] = set()
        """The names of the resources declared with ``retain_on_delete=True``."""

    @property
    def options(self) -> dict[str, set[str]]:
        """``protect`` and ``retain_on_delete`` as keyword arguments of ``PluginEngine.up``."""
        return {"protect": set(self.protect), "retain_on_delete": set(self.retain_on_delete)}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.types[args.name] = args.typ
        self.inputs[args.name] = {
            key: value for key, value in args.inputs.items() if value is not None and key != "__provider"
        }
        return args.inputs.get("token_id", args.name), args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class _OptionsMonitor(MockMonitor):
    """Pulumi's mock monitor, noting the resource options it is sent (its mocks are not told them)."""

    def __init__(self, declarations: ProgramDeclarations) -> None:
        super().__init__(declarations)
        self._declarations = declarations

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            if request.protect:
                self._declarations.protect.add(request.name)
            if request.retainOnDelete:
                self._declarations.retain_on_delete.add(request.name)
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def run_program(
    program: str | Path | Callable[[], Any],
    *,
    config: Mapping[str, str] | None = None,
    project: str = "project",
    stack: str = "test",
) -> ProgramDeclarations:
    """Run ``program`` (a function, or a directory or file holding a Pulumi program's ``__main__``) under
    mocks with the namespaced stack ``config`` (``{"project:key": "value"}``); return what it declared."""
    declarations = ProgramDeclarations()
    _ensure_event_loop()
    pulumi.runtime.set_mocks(
        declarations, project=project, stack=stack, preview=False, monitor=_OptionsMonitor(declarations)
    )
    pulumi.runtime.set_all_config(dict(config or {}))
    if callable(program):
        body = program
    else:
        path = str(program)

        def body() -> None:
            runpy.run_path(path, run_name="__main__")

    pulumi.runtime.test(body)()  # type: ignore[no-untyped-call]
    return declarations


def _ensure_event_loop() -> None:
    """Give the calling thread an open current event loop: Pulumi's mocks create their futures on it,
    and an async test run before may have left none (pytest-asyncio unsets its loop) or a closed one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+ on an implicit loop
        try:
            if not asyncio.get_event_loop_policy().get_event_loop().is_closed():
                return
        except RuntimeError:
            pass
    asyncio.set_event_loop(asyncio.new_event_loop())
