"""What the tests of ``examples/yaml``, ``examples/typescript`` and ``examples/go`` share: each example
copied to a temporary directory and pointed at this virtualenv's plugin, its stack configured for the
fake org, and the journal counted by method.

The examples' dependencies are installed beforehand by ``make examples-deps`` (``npm ci``, ``go mod
download``: the only registry access); the CLI, ``node`` and ``go`` then run offline: ``GOPROXY=off``,
``GOFLAGS=-mod=mod`` and ``npm_config_offline=true`` are in every command's environment, so a missing
dependency fails the test instead of being fetched."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml
from e2e_support import EXAMPLES, REPOSITORY, E2EOrg, plugins

from pulumi_okta_token.testing.okta.backend import FakeToken
from pulumi_okta_token.testing.stack import PulumiStack

SDK = REPOSITORY / "sdk"
GO_SDK_MODULE = "github.com/pulumi-okta-token/pulumi-okta-token/sdk"

OFFLINE_TOOLCHAINS: Mapping[str, str] = {
    "GOPROXY": "off",
    "GOFLAGS": "-mod=mod -buildvcs=false",
    "GOTOOLCHAIN": "local",
    "npm_config_offline": "true",
    "npm_config_update_notifier": "false",
}
"""Go and npm as the tests run them: from the module cache and node_modules only, never a registry."""

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def example_project(language: str, directory: Path, venv: Path) -> Path:
    """``examples/<language>`` copied to ``directory`` as a user would have it, with the paths that were
    relative to the repository made absolute: the plugin's directory (``venv``'s bin), the TypeScript
    example's ``node_modules`` (a link to what ``make examples-deps`` installed), the Go example's
    ``replace`` of the SDK module."""
    source = EXAMPLES / language
    shutil.copytree(source, directory, ignore=shutil.ignore_patterns("node_modules", "Pulumi.*.yaml"))
    path = directory / "Pulumi.yaml"
    document = yaml.safe_load(path.read_text())
    document["plugins"] = plugins(venv)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    if language == "typescript":
        installed = source / "node_modules"
        assert (installed / "pulumi-okta-token").is_dir(), "run `make examples-deps` (npm ci) first"
        (directory / "node_modules").symlink_to(installed, target_is_directory=True)
    if language == "go":
        subprocess.run(
            ["go", "mod", "edit", f"-replace={GO_SDK_MODULE}={SDK}"],
            cwd=directory,
            env=go_env(),
            check=True,
            capture_output=True,
        )
    return directory


def go_env() -> dict[str, str]:
    """This process's environment with :data:`OFFLINE_TOOLCHAINS`."""
    return {**os.environ, **OFFLINE_TOOLCHAINS}


def example_stack(
    language: str,
    make_stack: Callable[..., PulumiStack],
    org: E2EOrg,
    directory: Path,
    venv: Path,
    token: FakeToken,
    **config: str,
) -> PulumiStack:
    """A stack of ``examples/<language>`` signed in to the fake org (``okta-token:*``), declaring
    ``token`` in the office zone (``tokenId``, ``zoneId``), with ``config`` added; the journal is then
    cleared."""
    stack = make_stack(example_project(language, directory, venv))
    stack.extra_env.update(OFFLINE_TOOLCHAINS)
    org.configure(stack, namespace="okta-token")
    for key, value in {"tokenId": token.id, "zoneId": org.office, **config}.items():
        stack.set_config(key, value)
    org.okta.clear_journal()
    return stack


def requests_by_method(org: E2EOrg) -> Counter[str]:
    """How many requests of each method the fake served since its journal was last cleared."""
    return Counter(entry.method for entry in org.okta.journal)


def writes(org: E2EOrg) -> Counter[str]:
    """The write requests (POST, PUT, PATCH, DELETE) to any path, by method."""
    counted = requests_by_method(org)
    return Counter({method: counted[method] for method in WRITES if counted[method]})
