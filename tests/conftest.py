"""Fixtures every test directory shares: no ``OKTA_*`` variable of the developer's shell, and the seeded
org (``seeded_org.Org``) on the fake Okta."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta


@pytest.fixture(autouse=True)
def _no_okta_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings fall back to the environment, and plugins and commands inherit it: the Okta variables of
    the developer's shell stay out of every test (a test that wants one sets it)."""
    for key in list(os.environ):
        if key.startswith("OKTA_"):
            monkeypatch.delenv(key)
    yield


@pytest.fixture
def org(fake_okta: FakeOkta) -> Org:
    """The seeded org: one user, zones ``office`` and ``vpn``, the admin token, the ``ci`` token."""
    return Org(fake_okta)
