"""The SDKs are the schema's: ``make sdks`` (``tools/sdk/generate.sh``) with the pinned CLI writes exactly the
committed Node.js, Go, Java and Python SDK files, and a schema change reaches every one of them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from e2e_support import REPOSITORY

GENERATE = REPOSITORY / "tools" / "sdk" / "generate.sh"
SCHEMA = REPOSITORY / "pulumi_okta_token" / "native" / "schema.json"
GENERATED_PYTHON = (
    "pulumi_okta_token/_utilities.py",
    "pulumi_okta_token/config/__init__.py",
    "pulumi_okta_token/config/__init__.pyi",
    "pulumi_okta_token/config/vars.py",
    "pulumi_okta_token/native/_inputs.py",
    "pulumi_okta_token/native/api_token.py",
    "pulumi_okta_token/native/outputs.py",
    "pulumi_okta_token/native/provider.py",
)
RESOURCE_FILES = (
    "sdk/nodejs/apiToken.ts",
    "sdk/go/oktatoken/apiToken.go",
    "sdk/java/src/main/java/com/pulumioktatoken/oktatoken/ApiToken.java",
    "pulumi_okta_token/native/api_token.py",
)


def generate(pulumi_cli: Path, root: Path, schema: Path = SCHEMA) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PULUMI_TOOLS_DIR": str(pulumi_cli.parent.parent),
        "SDK_ROOT": str(root),
        "SDK_SCHEMA": str(schema),
    }
    return subprocess.run(
        ["bash", str(GENERATE)], env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def files_under(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def committed_generated_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "sdk/nodejs", "sdk/go/oktatoken", "sdk/java/README.md", "sdk/java/src"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {*listed, *GENERATED_PYTHON}


def test_the_committed_sdks_are_exactly_what_the_pinned_cli_generates(
    pulumi_cli: Path, tmp_path: Path
) -> None:
    done = generate(pulumi_cli, tmp_path)

    assert done.returncode == 0, done.stderr
    generated = files_under(tmp_path)
    assert generated == committed_generated_files()
    changed = sorted(
        path for path in generated if (tmp_path / path).read_bytes() != (REPOSITORY / path).read_bytes()
    )
    assert changed == [], "run `make sdks` and commit the result"


def test_a_schema_change_reaches_the_sdk_of_every_language(pulumi_cli: Path, tmp_path: Path) -> None:
    changed_schema = json.loads(SCHEMA.read_text("utf-8"))
    marker = "Marker-5f1c: the name the token is shown under."
    changed_schema["resources"]["okta-token:index:ApiToken"]["properties"]["name"]["description"] = marker
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(changed_schema), "utf-8")
    out = tmp_path / "tree"
    out.mkdir()

    done = generate(pulumi_cli, out, schema)

    assert done.returncode == 0, done.stderr
    assert [path for path in RESOURCE_FILES if marker in (out / path).read_text("utf-8")] == list(
        RESOURCE_FILES
    )
    assert [path for path in RESOURCE_FILES if marker in (REPOSITORY / path).read_text("utf-8")] == []


def test_generation_fails_naming_the_language_when_the_schema_is_invalid(
    pulumi_cli: Path, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(
        '{"name": "okta-token", "resources": {"okta-token:index:ApiToken": {"type": 7}}}', "utf-8"
    )

    done = generate(pulumi_cli, tmp_path, schema)

    assert done.returncode != 0
    assert "pulumi package gen-sdk --language nodejs failed" in done.stderr
    assert not (tmp_path / "sdk").exists()
