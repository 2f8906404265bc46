"""The package schema the native plugin serves (``schema.json`` next to this module) and its names.

``pulumi import`` generates a program from this schema (``GetSchema``); the hand-written classes in
``native/resource.py`` are the ones that program refers to, and a test keeps the two in agreement.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
from importlib.resources import files
from typing import Any

__all__ = [
    "CONFIG_KEYS",
    "PACKAGE",
    "SECRET_CONFIG_KEYS",
    "TYPE_TOKEN",
    "package_version",
    "schema",
    "schema_text",
]

PACKAGE = "okta-token"
"""The Pulumi package: stack config ``okta-token:<key>``, plugin ``pulumi-resource-okta-token``."""

TYPE_TOKEN = "okta-token:index:ApiToken"
"""The resource type the plugin serves."""

_DISTRIBUTION = "pulumi-okta-token"


@functools.cache
def schema() -> dict[str, Any]:
    """The committed schema, parsed (a fresh copy is not made: do not modify it)."""
    loaded: dict[str, Any] = json.loads(files(__package__).joinpath("schema.json").read_text("utf-8"))
    return loaded


def package_version() -> str:
    """The installed distribution's version: the plugin's and the schema's version."""
    try:
        return importlib.metadata.version(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "0.0.0"


def schema_text() -> str:
    """The schema as ``GetSchema`` answers it: the committed one, with the package version."""
    return json.dumps({**schema(), "version": package_version()}, indent=2)


CONFIG_KEYS: tuple[str, ...] = tuple(schema()["config"]["variables"])
"""The configuration keys, without the ``okta-token:`` namespace."""

SECRET_CONFIG_KEYS: frozenset[str] = frozenset(
    key for key, spec in schema()["config"]["variables"].items() if spec.get("secret")
)
"""The keys whose values are credentials: always answered as secrets."""
