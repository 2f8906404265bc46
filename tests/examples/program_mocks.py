"""Run a Pulumi program offline under Pulumi's mocks and record what it declares."""

from __future__ import annotations

import runpy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi

REPO = Path(__file__).resolve().parents[2]
API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"


class Registrations(pulumi.runtime.Mocks):
    """Records the type and declared inputs of each resource a program registers."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.types[args.name] = args.typ
        self.inputs[args.name] = {
            key: value for key, value in args.inputs.items() if value is not None and key != "__provider"
        }
        return args.inputs.get("token_id", args.name), args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def run_under_mocks(program: Callable[[], Any], config: Mapping[str, str] | None = None) -> Registrations:
    """Run ``program()`` as a Pulumi program of project ``okta-api-tokens`` with ``config``."""
    registrations = Registrations()
    pulumi.runtime.set_mocks(registrations, project="okta-api-tokens", stack="test", preview=False)
    pulumi.runtime.set_all_config(dict(config or {}))
    pulumi.runtime.test(program)()
    return registrations


def program_at(directory: Path) -> Callable[[], None]:
    """The Pulumi program in ``directory`` (its ``__main__.py``), as a function to run under mocks."""

    def run() -> None:
        runpy.run_path(str(directory), run_name="__main__")

    return run
