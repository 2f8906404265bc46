"""``make demo`` (``python -m pulumi_okta_token.demo``): every step behaves, is printed, and leaks nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest

from pulumi_okta_token import demo
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import RunResult


class DemoRun:
    """The output of one full demo run, and the credential it gave the provider."""

    def __init__(self, output: str, secret: str) -> None:
        self.output = output
        self.secret = secret


@pytest.fixture(scope="module")
def demo_run() -> DemoRun:
    seen: list[str] = []
    original = demo.seed_org

    def seed_and_remember(okta: FakeOkta) -> demo.Seeded:
        seeded = original(okta)
        seen.append(seeded.admin_secret)
        return seeded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "seed_org", seed_and_remember)
        out = io.StringIO()
        demo.run_demo(out)
    return DemoRun(out.getvalue(), seen[0])


def test_demo_runs_every_step_and_says_so(demo_run: DemoRun) -> None:
    assert "All steps behaved as the semantics table says." in demo_run.output
    assert "FAILED" not in demo_run.output


@pytest.mark.parametrize(
    "step",
    ["adopt", "no-op", "network change", "drift", "preview", "a token id that does not exist", "destroy"],
)
def test_demo_prints_each_step(demo_run: DemoRun, step: str) -> None:
    assert f". {step}" in demo_run.output or f"`pulumi {step}`" in demo_run.output


def test_demo_prints_the_api_calls_it_made(demo_run: DemoRun) -> None:
    assert f"PUT /api/v1/api-tokens/{demo.CI_TOKEN} -> 200" in demo_run.output
    assert f"DELETE /api/v1/api-tokens/{demo.BACKUP_TOKEN} -> 204" in demo_run.output


def test_demo_prints_the_error_a_missing_token_id_gives(demo_run: DemoRun) -> None:
    assert f"error: pulumi_okta_token.errors.AdoptionError: cannot adopt API token {demo.MISSING_TOKEN}" in (
        demo_run.output
    )


def test_demo_never_prints_the_providers_credential(demo_run: DemoRun) -> None:
    assert demo_run.secret and demo_run.secret not in demo_run.output


def test_demo_exits_1_and_names_the_step_that_misbehaves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def one_wrong_step(_okta: FakeOkta, _engine: Any) -> list[demo.Step]:
        nothing = RunResult(steps={})
        return [demo.Step("expects an adoption that never happens", lambda: nothing, {"x": "create"}, {})]

    monkeypatch.setattr(demo, "_steps", one_wrong_step)

    assert demo.main([]) == 1
    assert "expects an adoption that never happens" in capsys.readouterr().err
