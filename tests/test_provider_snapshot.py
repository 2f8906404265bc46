"""``ApiTokenProvider`` reading many tokens in one process: ``read`` and the GET of ``create`` are answered
from one list of the org's tokens (``_transport/snapshot.py`` states when); what they return is what GETs
would give."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token._transport.snapshot import GETS_FIRST
from pulumi_okta_token.testing import FakeOkta

LIST = "/api/v1/api-tokens"
TOKENS = "/api/v1/api-tokens/*"


class Org:
    """A fake org with an admin token and ten tokens ``svc-0``...``svc-9``."""

    def __init__(self, okta: FakeOkta) -> None:
        self.okta = okta
        self.user = okta.org.add_user()
        self.admin = okta.org.add_token(name="admin", user_id=self.user)
        self.ids = [okta.org.add_token(name=f"svc-{n}", user_id=self.user).id for n in range(10)]
        okta.clear_journal()

    def provider(self) -> ApiTokenProvider:
        """A provider as a new plugin process configures it."""
        provider = ApiTokenProvider()
        config = {"okta:orgUrl": self.okta.url, "okta:apiToken": self.admin.secret}
        provider.configure(ConfigureRequest(Config(raw_config=config, project_name="test")))
        return provider

    def requests(self) -> tuple[int, int, int]:
        """(list pages, GETs of one token, PUTs) the fake answered."""
        okta = self.okta
        return len(okta.calls("GET", LIST)), len(okta.calls("GET", TOKENS)), len(okta.calls("PUT", TOKENS))


@pytest.fixture
def org(fake_okta: FakeOkta) -> Org:
    return Org(fake_okta)


def refreshed(provider: ApiTokenProvider, ids: list[str]) -> list[dict[str, Any]]:
    return [provider.read(token_id, {}).outs for token_id in ids]


def test_a_refresh_of_ten_tokens_makes_four_gets_and_one_list_request(org: Org) -> None:
    refreshed(org.provider(), org.ids)
    assert org.requests() == (1, GETS_FIRST, 0)


def test_a_refresh_from_the_list_returns_what_gets_return(org: Org) -> None:
    from_list = refreshed(org.provider(), org.ids)
    from_gets = [refreshed(org.provider(), [token_id])[0] for token_id in org.ids]
    assert from_list == from_gets


def test_adopting_ten_tokens_puts_only_the_two_that_differ(org: Org) -> None:
    provider = org.provider()
    names = {token_id: f"svc-{n}" for n, token_id in enumerate(org.ids)}
    names[org.ids[6]], names[org.ids[8]] = "renamed-6", "renamed-8"
    results = [provider.create({"token_id": token_id, "name": name}) for token_id, name in names.items()]
    assert [result.outs["name"] for result in results] == list(names.values())
    assert org.requests() == (1, GETS_FIRST, 2)


def test_a_token_the_provider_renamed_is_refreshed_as_renamed(org: Org) -> None:
    provider = org.provider()
    refreshed(provider, org.ids)
    provider.create({"token_id": org.ids[9], "name": "renamed"})
    assert provider.read(org.ids[9], {}).outs["name"] == "renamed"


def test_a_token_missing_from_the_list_leaves_the_state_on_oktas_404_only(org: Org) -> None:
    org.okta.org.revoke_token(org.ids[9])
    provider = org.provider()
    results = [provider.read(token_id, {}) for token_id in org.ids]
    assert [result.id for result in results] == [*org.ids[:9], None]
    assert [call.status for call in org.okta.calls("GET", f"{LIST}/{org.ids[9]}")] == [404]
