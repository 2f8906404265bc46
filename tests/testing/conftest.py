"""Fixtures of the fake org's own tests: a spec-checking HTTP client and a small seeded org."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_okta_support import Api, Org, SpecChecker, load_spec, spec_path

from pulumi_okta_token.testing import FakeOkta


@pytest.fixture(scope="session")
def checker() -> SpecChecker | None:
    """The OpenAPI checker, or ``None`` when the spec file is absent (then schema tests skip)."""
    path = spec_path()
    return SpecChecker(load_spec(path)) if path is not None else None


@pytest.fixture
def api(fake_okta: FakeOkta, checker: SpecChecker | None) -> Iterator[Api]:
    yield Api(fake_okta, checker)


@pytest.fixture
def org(fake_okta: FakeOkta) -> Org:
    user = fake_okta.org.add_user()
    office = fake_okta.org.add_zone(name="office")
    vpn = fake_okta.org.add_zone(name="vpn")
    admin = fake_okta.org.add_token(name="admin", user_id=user)
    token = fake_okta.org.add_token(
        name="ci", user_id=user, network={"connection": "ZONE", "include": [office]}
    )
    return Org(fake_okta, user, office, vpn, admin, token)
