"""``PulumiStack`` and ``find_pulumi`` without running the CLI: where the CLI is looked for, and what
environment every command gets (offline, its own backend and home, none of the caller's Pulumi or Okta
variables)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pulumi_okta_token.testing.stack import (
    OFFLINE_ENV,
    CommandFailed,
    PulumiNotFound,
    PulumiStack,
    find_pulumi,
)


def fake_cli(path: Path, script: str = "exit 0") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_find_pulumi_takes_the_tools_build_of_the_repository_above_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_OKTA_TOKEN_CLI", raising=False)
    built = fake_cli(tmp_path / ".tools" / "pulumi" / "bin" / "pulumi")
    (tmp_path / "project").mkdir()

    assert find_pulumi(start=tmp_path / "project") == built.resolve()


def test_find_pulumi_missing_everywhere_says_to_run_make_pulumi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_OKTA_TOKEN_CLI", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(PulumiNotFound, match="make pulumi"):
        find_pulumi(start=tmp_path)


def test_find_pulumi_prefers_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = fake_cli(tmp_path / "elsewhere" / "pulumi")
    fake_cli(tmp_path / ".tools" / "pulumi" / "bin" / "pulumi")
    monkeypatch.setenv("PULUMI_OKTA_TOKEN_CLI", str(chosen))

    assert find_pulumi(start=tmp_path) == chosen.resolve()


def test_every_command_runs_offline_on_its_own_backend_without_the_callers_pulumi_or_okta_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_ACCESS_TOKEN", "pul-secret")
    monkeypatch.setenv("PULUMI_BACKEND_URL", "https://api.pulumi.com")
    monkeypatch.setenv("OKTA_API_TOKEN", "00okta-secret")
    cli = fake_cli(tmp_path / "bin" / "pulumi", 'env > "$(dirname "$0")/env.txt"')

    with PulumiStack(tmp_path, pulumi=cli) as stack:
        recorded = dict(
            line.split("=", 1)
            for line in (tmp_path / "bin" / "env.txt").read_text().splitlines()
            if "=" in line
        )
        workdir = stack.workdir

    assert "PULUMI_ACCESS_TOKEN" not in recorded and "OKTA_API_TOKEN" not in recorded
    assert recorded["PULUMI_BACKEND_URL"] == (workdir / "backend").as_uri()
    assert recorded["PULUMI_HOME"] == str(workdir / "home")
    assert all(recorded[key] == value for key, value in OFFLINE_ENV.items())
    assert recorded["PATH"].split(os.pathsep)[0] == str(cli.parent)


def test_exit_removes_the_temporary_backend_and_the_stack_file(tmp_path: Path) -> None:
    cli = fake_cli(tmp_path / "bin" / "pulumi")
    with PulumiStack(tmp_path, stack="dev", pulumi=cli) as stack:
        stack.stack_file.write_text("config: {}\n")
        workdir = stack.workdir

    assert not workdir.exists()
    assert not (tmp_path / "Pulumi.dev.yaml").exists()


def test_a_failing_command_raises_with_what_it_printed(tmp_path: Path) -> None:
    cli = fake_cli(tmp_path / "bin" / "pulumi", 'if [ "$1" = up ]; then echo "boom" >&2; exit 3; fi')
    with PulumiStack(tmp_path, pulumi=cli) as stack:
        with pytest.raises(CommandFailed, match="boom") as failed:
            stack.up()
        assert failed.value.result.returncode == 3
        assert stack.up(check=False).returncode == 3
