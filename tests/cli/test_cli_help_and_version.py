"""The console scripts as a shell runs them: ``--version``, help within the terminal's width, and a line
each time the command waits for Okta's rate limit."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import SCRIPT, clean_environ, run_cli

from pulumi_okta_token import __version__
from pulumi_okta_token.cli import main as main_module
from pulumi_okta_token.cli._args import Context, wrap_line
from pulumi_okta_token.testing import FakeOkta

PLUGIN = Path(sys.executable).with_name("pulumi-resource-okta-token")


def test_version_prints_the_package_version_and_exits_0() -> None:
    run = run_cli("--version", env=clean_environ())

    assert (run.code, run.stdout, run.stderr) == (0, f"pulumi-okta-token {__version__}\n", "")


def test_the_plugin_prints_its_version_and_exits_0() -> None:
    done = subprocess.run([str(PLUGIN), "--version"], capture_output=True, text=True, timeout=30, check=False)

    assert (done.returncode, done.stdout) == (0, f"pulumi-resource-okta-token {__version__}\n")


def test_the_plugin_prints_its_usage_for_help_and_exits_instead_of_waiting_for_an_engine() -> None:
    done = subprocess.run([str(PLUGIN), "--help"], capture_output=True, text=True, timeout=30, check=False)

    assert done.returncode == 0
    assert done.stdout.startswith("usage: pulumi-resource-okta-token ")
    assert "Pulumi.yaml" in done.stdout


@pytest.mark.parametrize("command", [[], ["list"], ["generate"], ["audit"]])
@pytest.mark.parametrize("columns", [80, 120])
def test_help_lines_fit_the_terminal_width_but_example_commands_stay_whole(
    command: list[str], columns: int
) -> None:
    run = run_cli(*command, "--help", env={**clean_environ(), "COLUMNS": str(columns)})

    assert run.code == 0
    too_long = [line for line in run.stdout.splitlines() if len(line) > columns]
    assert all(line.startswith("  pulumi-okta-token ") for line in too_long), too_long


def test_an_example_command_of_the_help_is_never_cut_in_two() -> None:
    run = run_cli("generate", "--help", env={**clean_environ(), "COLUMNS": "80"})

    examples = run.stdout.split("examples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert all(line.startswith("  pulumi-okta-token generate ") for line in examples), examples


def test_a_long_table_row_wraps_under_its_last_column() -> None:
    row = "  network-anywhere      high    " + "tokens usable from any IP address " * 3

    lines = wrap_line(row, 60).splitlines()

    assert all(len(line) <= 60 for line in lines) and len(lines) > 1
    assert all(line.startswith(" " * 32) and line[32] != " " for line in lines[1:])


def test_a_wait_for_the_rate_limit_is_told_on_stderr_with_how_long_and_why(
    fake_okta: FakeOkta, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi_okta_token._transport import _budget

    def waiting_list(args: object, context: Context) -> int:
        for listener in list(_budget._LISTENERS):
            listener(42.4, "Okta answered 429 (rate limit exceeded) until its window resets")
        return 0

    monkeypatch.setattr(main_module.list_cmd, "run", waiting_list)
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)

    assert main_module.main(["list"], environ={}) == 0
    assert stderr.getvalue() == (
        "pulumi-okta-token: waiting 42 s for Okta's rate limit: Okta answered 429 (rate limit exceeded) "
        "until its window resets\n"
    )
    assert _budget._LISTENERS == []


def test_the_console_script_is_the_one_next_to_the_interpreter() -> None:
    assert SCRIPT.exists()
