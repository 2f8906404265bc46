"""The README's org-CLI path, run as a shell runs it after the two set-up commands: from a directory laid
out like the clone (``.venv``, ``examples/``), every line of the block exactly as written, but for the
fake's port (a free one) and the virtualenv's directory (the one running these tests)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from program_mocks import REPO

README = (REPO / "README.md").read_text()
VENV = Path(sys.prefix)


def _cli_block() -> str:
    section = README[README.index("\n## The org CLI") :]
    (block,) = re.findall(r"```sh\n(.*?)```", section[: section.index("\n## ", 1)], re.S)
    return block


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_the_readme_names_the_cli_by_its_path_in_the_virtualenv_and_an_activation_line() -> None:
    block = _cli_block()

    assert ".venv/bin/pulumi-okta-token list" in block
    assert ". .venv/bin/activate" in README and 'make cli ARGS="list --format table"' in README


@pytest.mark.skipif(
    not (VENV / "bin" / "pulumi-okta-token").exists(), reason="no console script in this venv"
)
def test_the_readme_cli_block_runs_in_a_shell_after_the_set_up(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(VENV)
    (tmp_path / "examples").symlink_to(REPO / "examples")
    port = _free_port()
    script = _cli_block().replace("8080", str(port))

    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )

    out = done.stdout
    assert "Traceback" not in done.stderr and "command not found" not in done.stderr, done.stderr
    assert f"http://127.0.0.1:{port}" in out
    assert re.search(r"^pulumi-okta-token \d+\.\d+\.\d+", out, re.M)
    assert f"2 tokens in http://127.0.0.1:{port}" in out
    assert 'token_id="00T1fxzubpqiepH11d38"' in out
    assert "FAILED (--fail-on high)." in out
    page = (tmp_path / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Worst tokens first" in page
