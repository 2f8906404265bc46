"""Stacks written by earlier releases (0.1.0 and 0.2.0, extracted from this repository's history) keep
working with the current package: ``refresh`` and ``up`` change nothing, in the state or in Okta."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_support import DYNAMIC_TYPE, E2EOrg, declare_tokens, entry, python_project, release_tree

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.stack import PulumiStack

RELEASES = {"0.1.0": "3c25f9e", "0.2.0": "211de9c"}
"""The commit each release's stacks are written with (0.2.0: the last commit of that release)."""


@pytest.fixture
def plain_okta() -> Iterator[FakeOkta]:
    """Over plain http on loopback: 0.1.0 has no ``okta:caFile``."""
    with FakeOkta() as fake:
        yield fake


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_a_stack_written_by_an_earlier_release_refreshes_and_updates_with_no_change(
    release: str,
    plain_okta: FakeOkta,
    make_stack: Callable[..., PulumiStack],
    tmp_path: Path,
    venv: Path,
) -> None:
    org = E2EOrg(plain_okta)
    old = release_tree(RELEASES[release], tmp_path / "releases")
    project = python_project(tmp_path / "project", venv, old / "examples" / "tokens_from_config")
    with (project / "__main__.py").open("a") as program:  # says which package the program ran with
        program.write("\nimport pulumi_okta_token as _p\nprint('package from', _p.__file__)\n")
    stack = make_stack(project)
    org.configure(stack)
    tokens = org.add_tokens(3)
    declare_tokens(stack, [entry(tokens[0]), entry(tokens[1], retain=True), entry(tokens[2])])
    stack.extra_env["PYTHONPATH"] = str(old)
    assert f"package from {old}" in stack.up().stdout
    written = stack.resources(DYNAMIC_TYPE)
    assert len(written) == 3

    del stack.extra_env["PYTHONPATH"]
    plain_okta.clear_journal()
    stack.refresh("--expect-no-changes")
    upgraded = stack.up("--expect-no-changes")

    assert "package from" in upgraded.stdout and str(old) not in upgraded.stdout
    assert org.writes() == 0
    assert {r["urn"] for r in stack.resources(DYNAMIC_TYPE)} == {r["urn"] for r in written}
    assert all(org.live(token.id) is not None for token in tokens)
