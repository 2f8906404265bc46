"""``benchmarks/run.py --only p5`` runs end to end through the real CLI on 2 tokens (the dynamic provider:
its Python project is the slower one to set up; each provider's program is checked in
``tests/test_benchmarks.py``), and every row it prints says the operation succeeded (timings are not
looked at)."""

from __future__ import annotations

import pytest
import run  # benchmarks/ is on pytest's pythonpath (pyproject.toml)


def test_p5_runs_adopt_refresh_and_destroy_of_two_tokens_through_the_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run.main(["--only", "p5", "--n", "2", "--scenarios", "a", "--providers", "dynamic", "--no-engine"])

    printed = capsys.readouterr().out
    rows = [line.split() for line in printed.splitlines() if line.startswith("   a ")]
    # scenario, provider, via, N, operation, ..., failed, exit
    assert [(row[1], row[2], row[3], row[4]) for row in rows] == [
        ("dynamic", "cli", "2", operation) for operation in ("adopt", "refresh", "destroy")
    ]
    assert all(row[-2:] == ["0/2", "0"] for row in rows), printed
