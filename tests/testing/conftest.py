"""Fixtures of the fake org's own tests: a spec-checking HTTP client (the seeded ``org`` is shared:
``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_okta_support import Api, SpecChecker, load_spec, spec_path

from pulumi_okta_token.testing import FakeOkta


@pytest.fixture(scope="session")
def checker() -> SpecChecker | None:
    """The OpenAPI checker, or ``None`` when the spec file is absent (then schema tests skip)."""
    path = spec_path()
    return SpecChecker(load_spec(path)) if path is not None else None


@pytest.fixture
def api(fake_okta: FakeOkta, checker: SpecChecker | None) -> Iterator[Api]:
    yield Api(fake_okta, checker)
