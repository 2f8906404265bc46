"""Fixtures of the command-line tests: a fake org with the token the command authenticates with."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cli_support import Run, okta_env, run_cli

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


@dataclass
class CliOrg:
    """A fake org, the admin token the command uses, and a shortcut to run the command against it."""

    okta: FakeOkta
    admin: FakeToken
    admin_user: str

    @property
    def env(self) -> dict[str, str]:
        return okta_env(self.okta.url, self.admin.secret)

    def run(self, *args: str, **extra_env: str) -> Run:
        return run_cli(*args, env={**self.env, **extra_env})

    def add(self, name: str, *, days_unused: float = 0, **fields: Any) -> FakeToken:
        """A token last used ``days_unused`` days ago (owned by the admin's user unless ``user_id``)."""
        fields.setdefault("user_id", self.admin_user)
        used = datetime.now(timezone.utc) - timedelta(days=days_unused)
        return self.okta.org.add_token(name, last_used=used, **fields)


@pytest.fixture
def cli_org(fake_okta: FakeOkta) -> CliOrg:
    """An org holding one token, ``pulumi-automation`` (restricted to the office zone), whose secret the
    command uses; its user is a super admin, as the fake's users are by default."""
    user = fake_okta.org.add_user(login="ops@example.com")
    office = fake_okta.org.add_zone(name="office")
    admin = fake_okta.org.add_token(
        "pulumi-automation", user_id=user, network={"connection": "ZONE", "include": [office]}
    )
    return CliOrg(fake_okta, admin, user)


@pytest.fixture(autouse=True)
def _no_okta_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plugins and commands inherit this process's environment: a developer's Okta variables stay out."""
    for key in list(os.environ):
        if key.startswith("OKTA_"):
            monkeypatch.delenv(key)
