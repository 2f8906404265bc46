"""Running the console script ``pulumi-okta-token`` against a fake Okta, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).with_name("pulumi-okta-token")
"""The console script pip installed next to this interpreter."""


@dataclass(frozen=True)
class Run:
    """One run of the command: exit code and both streams."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def clean_environ() -> dict[str, str]:
    """This process's environment without any Okta setting (a developer's own must not leak in)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("OKTA_")}


def okta_env(org_url: str, secret: str, **extra: str) -> dict[str, str]:
    """The environment that points the command at ``org_url`` with the API token ``secret``."""
    return {**clean_environ(), "OKTA_ORG_URL": org_url, "OKTA_API_TOKEN": secret, **extra}


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> Run:
    """Run ``pulumi-okta-token ARGS`` in a subprocess (stdout and stderr are pipes, not terminals)."""
    done = subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_one_clean_error_line(run: Run, *, code: int = 2) -> str:
    """The run failed with ``code``, printed nothing on stdout and one line on stderr, no traceback."""
    assert run.code == code, (run.code, run.stdout, run.stderr)
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]
