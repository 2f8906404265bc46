"""The plugin's schema as the real CLI gets it: ``pulumi package get-schema <path>`` answers
``schema.json`` (plus the version), and ``pulumi package gen-sdk --language python`` accepts it."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

from e2e_support import native_yaml_project

from pulumi_okta_token.native.schema import PACKAGE, package_version, schema
from pulumi_okta_token.testing.stack import PulumiStack


def test_get_schema_answers_schema_json_and_gen_sdk_accepts_it(
    make_stack: Callable[..., PulumiStack], tmp_path: Path, venv: Path
) -> None:
    # The stack only gives the commands its offline environment and temporary PULUMI_HOME.
    cli = make_stack(native_yaml_project(tmp_path / "project", venv))
    plugin = venv / "bin" / f"pulumi-resource-{PACKAGE}"  # a path: a bare name would ask the registry
    out = tmp_path / "sdk"

    answered = json.loads(cli.run("package", "get-schema", str(plugin)).stdout)
    cli.run("package", "gen-sdk", str(plugin), "--language", "python", "--out", str(out))

    assert answered.pop("version") == package_version()
    assert answered == schema()
    sdk = out / "python"
    assert (sdk / "setup.py").is_file() or (sdk / "pyproject.toml").is_file()
    for module in (sdk / "pulumi_okta_token").rglob("*.py"):
        ast.parse(module.read_text(), str(module))
    # The resource class lands in the module moduleNameOverrides names, as the generated program expects.
    assert (
        "class ApiToken(pulumi.CustomResource)" in (sdk / "pulumi_okta_token/native/api_token.py").read_text()
    )
