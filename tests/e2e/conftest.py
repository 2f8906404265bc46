"""End-to-end tests: the real ``pulumi`` CLI (``make pulumi`` builds it into ``.tools/pulumi/bin``) on
temporary ``file://`` stacks, against the fake Okta over TLS trusted through ``okta:caFile``.

A missing CLI is an error, never a skip: ``make test`` builds it first, and CI must not pass without it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_support import REPOSITORY, E2EOrg, python_project

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.stack import PulumiNotFound, PulumiStack, find_pulumi


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    """The pinned CLI ``make pulumi`` built; the test fails (not skips) when it is missing."""
    try:
        return find_pulumi(start=REPOSITORY)
    except PulumiNotFound as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture
def okta() -> Iterator[FakeOkta]:
    """The fake org over https with its own certificate (the stacks trust it through ``okta:caFile``)."""
    with FakeOkta(tls=True) as fake:
        yield fake


@pytest.fixture
def e2e_org(okta: FakeOkta) -> E2EOrg:
    return E2EOrg(okta)


@pytest.fixture
def venv() -> Path:
    """The virtualenv running these tests, where the package is installed: the projects' ``virtualenv``."""
    return Path(sys.prefix)


@pytest.fixture
def make_stack(pulumi_cli: Path) -> Iterator[Callable[..., PulumiStack]]:
    """Creates stacks of projects with the pinned CLI; every one is cleaned up after the test."""
    stacks: list[PulumiStack] = []

    def make(project_dir: Path, stack: str = "test") -> PulumiStack:
        created = PulumiStack(project_dir, stack, pulumi=pulumi_cli).__enter__()
        stacks.append(created)
        return created

    yield make
    for created in stacks:
        created.__exit__(None, None, None)


@pytest.fixture
def python_stack(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> PulumiStack:
    """The example program ``examples/tokens_from_config`` as a Python project with a virtualenv, its
    stack configured for the fake org (no token declared yet)."""
    stack = make_stack(python_project(tmp_path / "project", venv))
    e2e_org.configure(stack)
    return stack
