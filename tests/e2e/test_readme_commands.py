"""The documentation's Pulumi command lines, run as written by the real CLI (only the backend, the
``PULUMI_HOME`` and the passphrase come from the test's environment, as they would from a user's)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from e2e_support import DYNAMIC_TYPE, EXAMPLES, NATIVE_TYPE, REPOSITORY

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.stack import PulumiStack


def shell_block_after(markdown: Path, heading: str) -> str:
    """The first ```sh block under ``heading``."""
    text = markdown.read_text()
    section = text.split(heading, 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, f"no sh block under {heading!r} in {markdown}"
    return found.group(1)


def test_the_native_examples_offline_try_out_runs_as_written(
    pulumi_cli: Path, tmp_path: Path, venv: Path
) -> None:
    # examples/native's Pulumi.yaml names ../../.venv: the copy keeps that layout around the test's venv.
    project = tmp_path / "examples" / "native"
    shutil.copytree(EXAMPLES / "native", project)
    (tmp_path / ".venv").symlink_to(venv)
    block = shell_block_after(EXAMPLES / "native" / "README.md", "## Try it offline")
    stack = PulumiStack(project, stack="dev", pulumi=pulumi_cli)
    stack.__enter__()  # the block creates the stack itself: only the backend and home are wanted
    stack.run("stack", "rm", "--yes", "dev")
    env = {**stack.env, "PATH": os.pathsep.join([str(venv / "bin"), stack.env["PATH"]])}
    try:
        # The block starts the fake in the background: it is stopped when the block ends, however it ends.
        script = f"trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\nset -e\n{block}"
        ran = subprocess.run(
            ["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=300
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        imported = {r["id"] for r in stack.resources(NATIVE_TYPE)}
        assert imported == {"00T1fxzubpqiepH11d38", "00T2backupbotToken01", "00T3reportsJobToken1"}
    finally:
        stack.__exit__(None, None, None)


def docstring_commands(program: Path) -> list[str]:
    """The ``pulumi ...`` lines of a program's docstring."""
    return [
        line.strip()
        for line in program.read_text().split('"""')[1].splitlines()
        if line.strip().startswith("pulumi ")
    ]


def test_the_config_programs_documented_commands_declare_tokens_that_up_adopts_and_destroy_honours(
    pulumi_cli: Path, okta: FakeOkta, tmp_path: Path, venv: Path
) -> None:
    # This repository as the project (its Pulumi.yaml runs examples/tokens_from_config with .venv).
    shutil.copy(REPOSITORY / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    shutil.copy(REPOSITORY / "__main__.py", tmp_path / "__main__.py")
    shutil.copytree(EXAMPLES / "tokens_from_config", tmp_path / "examples" / "tokens_from_config")
    (tmp_path / ".venv").symlink_to(venv)
    seeded = okta.org.load_seed(json.loads((EXAMPLES / "native" / "org.json").read_text()))
    admin = next(token for token in seeded if token.metadata.name == "pulumi-automation")
    with PulumiStack(tmp_path, stack="dev", pulumi=pulumi_cli) as stack:
        assert okta.ca_file is not None
        stack.set_all_config(
            {"okta:orgUrl": okta.url, "okta:caFile": okta.ca_file, "okta:apiToken": admin.secret},
            secret_keys=["okta:apiToken"],
        )
        commands = docstring_commands(EXAMPLES / "tokens_from_config" / "__main__.py")
        assert len(commands) == 8
        for command in commands:
            ran = subprocess.run(
                command, shell=True, cwd=tmp_path, env=stack.env, capture_output=True, text=True, timeout=60
            )
            assert ran.returncode == 0, f"{command}\n{ran.stdout}{ran.stderr}"
        okta.clear_journal()

        stack.up()
        adopted = {r["outputs"]["name"]: r["outputs"] for r in stack.resources(DYNAMIC_TYPE)}
        assert set(adopted) == {"ci-deployer", "backup-bot"}
        assert adopted["ci-deployer"]["network"]["include"] == ["nzonkw1sfwwi79Hat2d7"]
        assert len(okta.calls("DELETE")) == 0

        stack.destroy()
        assert okta.org.token("00T1fxzubpqiepH11d38") is None  # revoked
        assert okta.org.token("00T2backupbotToken01") is not None  # retain: true


def test_the_testing_docs_example_of_a_users_own_project_passes(
    pulumi_cli: Path, tmp_path: Path, venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_OKTA_TOKEN_CLI", str(pulumi_cli))  # the project is outside the repository
    project = tmp_path / "my-project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: my-project\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (project / "__main__.py").write_text(
        "import pulumi\nfrom pulumi_okta_token import ApiToken\n\n"
        'ApiToken("ci", token_id=pulumi.Config().require("ciTokenId"))\n'
    )
    docs = (REPOSITORY / "docs" / "testing.md").read_text()
    example = (
        docs.split("### Your own project with the real CLI", 1)[1]
        .split("```python\n", 1)[1]
        .split("```", 1)[0]
    )
    namespace: dict[str, object] = {}
    exec(compile(example.replace("path/to/my-project", str(project)), "docs/testing.md", "exec"), namespace)

    test = namespace["test_up_adopts_my_tokens_without_a_write"]
    assert callable(test)
    test(tmp_path)


def test_the_readmes_python_program_and_its_up_refresh_destroy_lines_run_as_written(
    pulumi_cli: Path, okta: FakeOkta, tmp_path: Path, venv: Path
) -> None:
    # The README's program and its `pulumi up/refresh/destroy` block, verbatim. Its set-up lines are the
    # user's own (`pulumi new` fetches a template, `okta:orgName` names a real org, `--secret` prompts):
    # here the project and the fake's settings stand in for them.
    readme = (REPOSITORY / "README.md").read_text()
    section = readme.split("## A Python program", 1)[1].split("\n## ", 1)[0]
    program = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    lifecycle = next(block for block in re.findall(r"```sh\n(.*?)```", section, re.S) if "pulumi up" in block)
    seeded = okta.org.load_seed(json.loads((EXAMPLES / "native" / "org.json").read_text()))
    admin = next(token for token in seeded if token.metadata.name == "pulumi-automation")
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: okta-tokens\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (tmp_path / "__main__.py").write_text(program)
    with PulumiStack(tmp_path, stack="dev", pulumi=pulumi_cli) as stack:
        assert okta.ca_file is not None
        stack.set_all_config(
            {"okta:orgUrl": okta.url, "okta:caFile": okta.ca_file, "okta:apiToken": admin.secret},
            secret_keys=["okta:apiToken"],
        )
        okta.clear_journal()
        commands = [
            line for line in lifecycle.splitlines() if line.strip()
        ]  # comments included, as a shell reads them
        assert [line.split("#")[0].strip() for line in commands] == [
            "pulumi up",
            "pulumi refresh",
            "pulumi destroy",
        ]

        for command in commands:
            ran = subprocess.run(
                command, shell=True, cwd=tmp_path, env=stack.env, capture_output=True, text=True, timeout=120
            )
            assert ran.returncode == 0, f"{command}\n{ran.stdout}{ran.stderr}"
            if command.startswith("pulumi up"):
                # adopt: 1 GET and no PUT (the seed's token is as the program declares it)
                assert (len(okta.calls("GET", "/api/v1/api-tokens/*")), len(okta.calls("PUT"))) == (1, 0)

        assert okta.org.token("00T1fxzubpqiepH11d38") is None  # destroy revoked it
        assert okta.org.token(admin.id) is not None
