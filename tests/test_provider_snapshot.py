"""``ApiTokenProvider`` reading many tokens in one process: ``read`` and the GET of ``create`` are answered
from one list of the org's tokens (``_transport/snapshot.py`` states when); what they return is what GETs
would give. The fake lists tokens as a real org does (``tokenWindow: null``) unless a test asks for full
entries: a refresh then completes entries from the state's outputs (``_transport/stable_fields.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token import provider as provider_module
from pulumi_okta_token._models import outputs_from_token
from pulumi_okta_token._transport import snapshot
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


def stored(org: Org, token_id: str) -> dict[str, Any]:
    """The outputs a stack that adopted the token holds (what a GET gave)."""
    token = org.okta.org.token(token_id)
    assert token is not None
    return outputs_from_token(token)


def refreshed(provider: ApiTokenProvider, ids: list[str], org: Org | None = None) -> list[dict[str, Any]]:
    """Read ``ids`` as a refresh does, with the state's outputs (``org`` given), or as an import (none)."""
    return [provider.read(token_id, stored(org, token_id) if org else {}).outs for token_id in ids]


def test_a_refresh_of_ten_tokens_makes_four_gets_and_one_list_request(org: Org) -> None:
    refreshed(org.provider(), org.ids, org)
    assert org.requests() == (1, GETS_FIRST, 0)


def test_a_refresh_of_ten_tokens_with_full_list_entries_makes_four_gets_and_one_list_request(
    org: Org,
) -> None:
    org.okta.set_full_list_entries()
    refreshed(org.provider(), org.ids)
    assert org.requests() == (1, GETS_FIRST, 0)


def test_an_import_of_ten_tokens_against_a_real_shaped_list_gets_each(org: Org) -> None:
    refreshed(org.provider(), org.ids)  # no state: the list lacks tokenWindow
    assert org.requests() == (1, len(org.ids), 0)


def test_a_refresh_with_a_state_for_another_token_gets_it(org: Org) -> None:
    provider = org.provider()
    refreshed(provider, org.ids[:8], org)
    wrong = stored(org, org.ids[0])
    org.okta.clear_journal()
    assert provider.read(org.ids[8], wrong).outs == stored(org, org.ids[8])
    assert org.requests() == (0, 1, 0)


def refreshed_as_the_cli_does(provider: ApiTokenProvider, ids: list[str], org: Org) -> None:
    """Read each token with its state, then the Diff the CLI sends after each Read of a refresh (the
    refreshed outputs as olds, the stored inputs as news)."""
    for token_id in ids:
        outs = provider.read(token_id, stored(org, token_id)).outs
        provider.diff(token_id, outs, {"token_id": token_id})


def test_the_diff_the_cli_sends_after_each_read_of_a_refresh_keeps_the_snapshot(org: Org) -> None:
    refreshed_as_the_cli_does(org.provider(), org.ids, org)
    assert org.requests() == (1, GETS_FIRST, 0)


def test_a_second_diff_of_a_token_the_refresh_read_ends_the_snapshot(org: Org) -> None:
    provider = org.provider()
    refreshed_as_the_cli_does(provider, org.ids[:5], org)
    provider.diff(org.ids[0], stored(org, org.ids[0]), {"token_id": org.ids[0]})  # an up's diff
    org.okta.clear_journal()
    refreshed(provider, org.ids[5:], org)
    assert org.requests() == (1, GETS_FIRST, 0)  # a new snapshot (the old one would have answered all five)


def test_a_check_of_a_token_the_refresh_read_ends_the_snapshot(org: Org) -> None:
    provider = org.provider()
    refreshed(provider, org.ids[:5], org)
    provider.check({}, {"token_id": org.ids[0]})  # an up after the refresh, in the same process
    org.okta.clear_journal()
    refreshed(provider, org.ids[5:], org)
    assert org.requests() == (1, GETS_FIRST, 0)  # a new snapshot (the old one would have answered all five)


def test_a_refresh_from_the_list_returns_what_gets_return(org: Org) -> None:
    from_list = refreshed(org.provider(), org.ids, org)
    from_gets = [refreshed(org.provider(), [token_id])[0] for token_id in org.ids]
    assert from_list == from_gets


def test_adopting_ten_tokens_puts_only_the_two_that_differ(org: Org) -> None:
    provider = org.provider()
    names = {token_id: f"svc-{n}" for n, token_id in enumerate(org.ids)}
    names[org.ids[6]], names[org.ids[8]] = "renamed-6", "renamed-8"
    results = [provider.create({"token_id": token_id, "name": name}) for token_id, name in names.items()]
    assert [result.outs["name"] for result in results] == list(names.values())
    assert org.requests() == (
        1,
        len(org.ids),
        2,
    )  # no state: every adoption GETs (the list lacks tokenWindow)


def test_adopting_ten_tokens_listed_whole_gets_again_each_that_differs_before_its_put(org: Org) -> None:
    org.okta.set_full_list_entries()
    provider = org.provider()
    names = {token_id: f"svc-{n}" for n, token_id in enumerate(org.ids)}
    names[org.ids[6]], names[org.ids[8]] = "renamed-6", "renamed-8"
    results = [provider.create({"token_id": token_id, "name": name}) for token_id, name in names.items()]
    assert [result.outs["name"] for result in results] == list(names.values())
    assert org.requests() == (1, GETS_FIRST + 2, 2)  # each PUT is preceded by a GET: network is undeclared


def test_an_adoption_whose_read_fetched_the_page_puts_without_getting_again(org: Org) -> None:
    org.okta.set_full_list_entries()
    provider = org.provider()
    for n, token_id in enumerate(org.ids[:GETS_FIRST]):
        provider.create({"token_id": token_id, "name": f"svc-{n}"})
    provider.create({"token_id": org.ids[GETS_FIRST], "name": "renamed"})  # its read requests the page
    assert org.requests() == (1, GETS_FIRST, 1)


def adopted(provider: ApiTokenProvider, ids: list[str]) -> None:
    """Adopt ``ids`` as they are (their names declared): an adoption snapshot of the org's list."""
    for token_id in ids:
        provider.create({"token_id": token_id, "name": f"svc-{ORDER[token_id]}"})


ORDER: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _order(org: Org) -> None:
    ORDER.clear()
    ORDER.update({token_id: n for n, token_id in enumerate(org.ids)})


def test_an_adoption_put_sends_the_undeclared_network_as_okta_has_it_now_not_as_listed(org: Org) -> None:
    org.okta.set_full_list_entries()
    provider = org.provider()
    adopted(provider, org.ids[:8])  # the adoptions' snapshot now holds svc-8 as ANYWHERE
    zone = org.okta.org.add_zone(name="office")
    org.okta.org.update_token(org.ids[8], network={"connection": "ZONE", "include": [zone]})  # the console

    provider.create({"token_id": org.ids[8], "name": "renamed-8"})

    live = org.okta.org.token(org.ids[8])
    assert live is not None and live.name == "renamed-8"
    assert live.network is not None and live.network.include == (zone,)


def test_a_token_the_provider_renamed_is_refreshed_as_renamed(org: Org) -> None:
    provider = org.provider()
    refreshed(provider, org.ids, org)
    provider.create({"token_id": org.ids[9], "name": "renamed"})
    assert provider.read(org.ids[9], {}).outs["name"] == "renamed"


def test_a_token_missing_from_the_list_leaves_the_state_on_oktas_404_only(org: Org) -> None:
    state = {token_id: stored(org, token_id) for token_id in org.ids}
    org.okta.org.revoke_token(org.ids[9])
    provider = org.provider()
    results = [provider.read(token_id, state[token_id]) for token_id in org.ids]
    assert [result.id for result in results] == [*org.ids[:9], None]
    assert [call.status for call in org.okta.calls("GET", f"{LIST}/{org.ids[9]}")] == [404]


def test_an_adoption_put_gets_the_token_first_even_when_a_new_snapshot_started_since_its_read(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17, item 6: the read's answer says it came from a list, whatever snapshot is current when the
    provider decides whether to GET before its PUT."""
    org.okta.set_full_list_entries()
    provider = org.provider()
    adopted(provider, org.ids[:8])  # the adoptions' snapshot now holds svc-8 as ANYWHERE
    zone = org.okta.org.add_zone(name="office")
    org.okta.org.update_token(org.ids[8], network={"connection": "ZONE", "include": [zone]})  # the console
    now = [snapshot._now()]
    monkeypatch.setattr(snapshot, "_now", lambda: now[0])
    checks = provider_module._refuse_differing_assertions

    def meanwhile(*args: Any, **kwargs: Any) -> None:
        # Between the read of svc-8 and the provider's look at where it came from, a parallel read
        # starts a new snapshot (30 s later here).
        if args[1] == org.ids[8] and now[0] < 10**9:
            now[0] += 10**9
            provider.create({"token_id": org.ids[9], "name": "svc-9"})
        checks(*args, **kwargs)

    monkeypatch.setattr(provider_module, "_refuse_differing_assertions", meanwhile)

    provider.create({"token_id": org.ids[8], "name": "renamed-8"})

    live = org.okta.org.token(org.ids[8])
    assert live is not None and live.name == "renamed-8"
    assert live.network is not None and live.network.include == (zone,)
