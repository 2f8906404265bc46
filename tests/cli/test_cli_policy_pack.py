"""``pulumi-okta-token policy-pack``: writes the pack for the virtualenv it runs in and prints the
directory; without pulumi-policy, or where it cannot write, one error line and exit 2."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from cli_support import assert_one_clean_error_line, clean_environ, run_cli

from pulumi_okta_token import __version__
from pulumi_okta_token.cli import policy_pack
from pulumi_okta_token.cli.main import main
from pulumi_okta_token.policy._location import PACK_SOURCE, default_directory, pack_directory


def test_it_prints_a_directory_holding_the_pack_for_this_virtualenv(tmp_path: Path) -> None:
    run = run_cli("policy-pack", env={**clean_environ(), "XDG_CACHE_HOME": str(tmp_path)})

    assert run.code == 0, run.stderr
    directory = Path(run.stdout.strip())
    assert run.stdout.count("\n") == 1 and run.stderr == ""
    assert directory == default_directory({"XDG_CACHE_HOME": str(tmp_path)}, sys.prefix)
    project = yaml.safe_load((directory / "PulumiPolicy.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": sys.prefix}}
    assert project["version"] == __version__
    assert (directory / "__main__.py").read_text() == (PACK_SOURCE / "__main__.py").read_text()


def test_dir_writes_the_pack_where_it_is_told(tmp_path: Path) -> None:
    run = run_cli("policy-pack", "--dir", str(tmp_path / "ci" / "pack"), env=clean_environ())

    assert run.code == 0, run.stderr
    assert Path(run.stdout.strip()) == tmp_path / "ci" / "pack"
    assert (tmp_path / "ci" / "pack" / "PulumiPolicy.yaml").is_file()


def test_two_virtualenvs_get_two_directories() -> None:
    environ = {"XDG_CACHE_HOME": "/cache"}
    assert default_directory(environ, "/venvs/a") != default_directory(environ, "/venvs/b")


def test_writing_again_leaves_unchanged_files_untouched(tmp_path: Path) -> None:
    first = pack_directory(tmp_path, prefix="/venvs/a", in_virtualenv=True)
    written_at = (first.path / "PulumiPolicy.yaml").stat().st_mtime_ns

    pack_directory(tmp_path, prefix="/venvs/a", in_virtualenv=True)

    assert (first.path / "PulumiPolicy.yaml").stat().st_mtime_ns == written_at


def test_writing_for_another_virtualenv_rewrites_the_project_file(tmp_path: Path) -> None:
    pack_directory(tmp_path, prefix="/venvs/a", in_virtualenv=True)
    pack_directory(tmp_path, prefix="/venvs/b", in_virtualenv=True)

    project = yaml.safe_load((tmp_path / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["options"]["virtualenv"] == "/venvs/b"


def test_outside_a_virtualenv_the_project_names_none(tmp_path: Path) -> None:
    written = pack_directory(tmp_path, prefix="/usr", in_virtualenv=False)

    assert written.virtualenv is None
    assert yaml.safe_load((tmp_path / "PulumiPolicy.yaml").read_text())["runtime"] == {"name": "python"}


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main(args)`` in this process (so that a test can change it), with what it printed."""
    code = main(list(args), environ={}, now=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_outside_a_virtualenv_it_warns_which_python_pulumi_will_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)

    code, stdout, stderr = run_main(capsys, "policy-pack", "--dir", str(tmp_path))

    assert code == 0
    assert stdout == f"{tmp_path}\n"
    assert "not a virtualenv" in stderr and "PULUMI_PYTHON_CMD" in stderr


def test_without_pulumi_policy_it_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(policy_pack.importlib.util, "find_spec", lambda name: None)

    code, stdout, stderr = run_main(capsys, "policy-pack", "--dir", str(tmp_path))

    assert code == 2 and stdout == ""
    assert "pip install 'pulumi-okta-token[policy]'" in stderr
    assert not (tmp_path / "PulumiPolicy.yaml").exists()


def test_a_directory_it_cannot_write_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    run = run_cli("policy-pack", "--dir", str(blocker / "pack"), env=clean_environ())

    line = assert_one_clean_error_line(run)
    assert line.startswith("pulumi-okta-token policy-pack: error: cannot write the policy pack into")
