"""Run a Pulumi program offline under Pulumi's mocks and collect the resources it declares.

The provider does not run here: this answers "what does my program declare for this stack config?",
and what it collects is ready for ``PluginEngine.up``, which then plays the engine against an org::

    declared = run_program("examples/tokens_from_config", config={"okta-api-tokens:tokens": "[...]"},
                           project="okta-api-tokens")
    with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": secret}) as engine:
        engine.up(declared.inputs)
"""

from __future__ import annotations

import asyncio
import runpy
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi

__all__ = ["ProgramDeclarations", "run_program"]


class ProgramDeclarations(pulumi.runtime.Mocks):
    """The resources a program registered: type token and declared inputs (no ``None``, no ``__provider``)."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.types[args.name] = args.typ
        self.inputs[args.name] = {
            key: value for key, value in args.inputs.items() if value is not None and key != "__provider"
        }
        return args.inputs.get("token_id", args.name), args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


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
    pulumi.runtime.set_mocks(declarations, project=project, stack=stack, preview=False)
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
