"""A refresh of 100 tokens through the real plugin: the reads are answered from one list of the org's tokens
(``_transport/snapshot.py``), real-shaped (``tokenWindow: null``, completed from the state) or whole, and what
the state shows is what Okta has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from engine_org import Org, live_outputs, without_provider

from pulumi_okta_token._transport.snapshot import GETS_FIRST
from pulumi_okta_token.testing.engine import PluginEngine

LIST = "/api/v1/api-tokens"
HUNDRED = 100


@pytest.fixture
def hundred(org: Org) -> dict[str, Any]:
    """A hundred tokens of the org, declared by name."""
    tokens = [org.okta.org.add_token(name=f"svc-{n}", user_id=org.user) for n in range(HUNDRED)]
    return {f"svc-{n}": {"token_id": token.id, "name": f"svc-{n}"} for n, token in enumerate(tokens)}


@pytest.fixture
def adopted(org: Org, hundred: dict[str, Any]) -> Iterator[PluginEngine]:
    """The hundred adopted, by a plugin process of their own; the next operation starts a new one."""
    engine = PluginEngine(org.config, fresh_plugin_per_operation=True).start()
    result = engine.up(hundred)
    assert result.errors == {}
    org.okta.clear_journal()
    yield engine
    engine.close()


@pytest.mark.parametrize("full_list_entries", [False, True], ids=["real-shaped-lists", "whole-list-entries"])
def test_a_refresh_of_100_tokens_makes_one_list_request_and_the_first_gets(
    org: Org, adopted: PluginEngine, full_list_entries: bool
) -> None:
    org.okta.set_full_list_entries(full_list_entries)
    result = adopted.refresh()
    assert (set(result.ops().values()), result.errors) == ({"read"}, {})
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, GETS_FIRST)
    assert stored_matches_okta(org, adopted)


def test_an_up_of_100_tokens_against_real_shaped_lists_gets_each_it_adopts(
    org: Org, hundred: dict[str, Any]
) -> None:
    """An adoption has no state to complete a real list entry with (``tokenWindow: null``): each read is a
    GET, and the one page the fifth read asked for shows the list cannot answer it."""
    with PluginEngine(org.config) as engine:
        assert engine.up(hundred).errors == {}
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, HUNDRED)


def test_a_refresh_of_100_tokens_from_the_list_shows_console_changes_and_revocations(
    org: Org, adopted: PluginEngine, hundred: dict[str, Any]
) -> None:
    renamed, revoked = hundred["svc-40"]["token_id"], hundred["svc-70"]["token_id"]
    org.okta.org.update_token(renamed, name="renamed-in-the-console")
    org.okta.org.revoke_token(revoked)
    result = adopted.refresh()
    assert result.errors == {}
    assert result.ops()["svc-70"] == "gone"
    assert without_provider(adopted.state["svc-40"].outputs) == live_outputs(org.live(renamed))
    stored = [without_provider(resource.outputs) for resource in adopted.state.values()]
    assert stored == [live_outputs(org.live(outputs["token_id"])) for outputs in stored]
    assert len(org.okta.calls("GET", LIST)) == 1


# -- issue 17: a snapshot never outlives its operation, and a hostile list never answers a read -------------


@pytest.fixture
def one_process(org: Org, hundred: dict[str, Any]) -> Iterator[PluginEngine]:
    """The hundred adopted by a plugin process that serves every later operation too, as a long-lived host
    would (issue 17, item 5)."""
    with PluginEngine(org.config, fresh_plugin_per_operation=False) as engine:
        assert engine.up(hundred).errors == {}
        org.okta.clear_journal()
        yield engine


def stored_matches_okta(org: Org, engine: PluginEngine) -> bool:
    stored = [without_provider(resource.outputs) for resource in engine.state.values()]
    return stored == [live_outputs(org.live(outputs["token_id"])) for outputs in stored]


def test_in_one_plugin_process_a_refresh_after_up_sees_console_renames_and_revocations(
    org: Org, one_process: PluginEngine, hundred: dict[str, Any]
) -> None:
    renamed, revoked = hundred["svc-40"]["token_id"], hundred["svc-70"]["token_id"]
    org.okta.org.update_token(renamed, name="renamed-in-the-console")
    org.okta.org.revoke_token(revoked)

    result = one_process.refresh()

    assert result.errors == {}
    assert result.ops()["svc-70"] == "gone"
    assert one_process.state["svc-40"].outputs["name"] == "renamed-in-the-console"
    assert stored_matches_okta(org, one_process)


def test_in_one_plugin_process_a_second_refresh_sees_what_changed_after_the_first(
    org: Org, one_process: PluginEngine, hundred: dict[str, Any]
) -> None:
    assert one_process.refresh().errors == {}
    renamed, revoked = hundred["svc-41"]["token_id"], hundred["svc-71"]["token_id"]
    org.okta.org.update_token(renamed, name="renamed-between-refreshes")
    org.okta.org.revoke_token(revoked)

    result = one_process.refresh()

    assert (result.errors, result.ops()["svc-71"]) == ({}, "gone")
    assert one_process.state["svc-41"].outputs["name"] == "renamed-between-refreshes"
    assert stored_matches_okta(org, one_process)


def test_in_one_plugin_process_an_up_adopting_more_after_an_up_reads_them_anew(
    org: Org, hundred: dict[str, Any]
) -> None:
    org.okta.set_full_list_entries()  # an adoption reads from the list only when its entries are whole
    late = [org.okta.org.add_token(name=f"late-{n}", user_id=org.user) for n in range(10)]
    with PluginEngine(org.config, fresh_plugin_per_operation=False) as engine:
        assert engine.up(hundred).errors == {}  # its list holds the ten late ones as they are now
        org.okta.org.update_token(late[7].id, network={"connection": "ZONE", "include": [org.office]})
        program = {**hundred, **{f"late-{n}": {"token_id": token.id} for n, token in enumerate(late)}}

        result = engine.up(program)

        assert result.errors == {}
        assert without_provider(engine.state["late-7"].outputs) == live_outputs(org.live(late[7].id))


def test_a_list_giving_one_id_twice_with_different_content_answers_no_read(
    org: Org, adopted: PluginEngine, hundred: dict[str, Any]
) -> None:
    org.okta.inject_fault(path=LIST, list_duplicate=hundred["svc-50"]["token_id"], duplicate_name="a-lie")

    result = adopted.refresh()

    assert result.errors == {}
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, HUNDRED)
    assert stored_matches_okta(org, adopted)


@pytest.mark.parametrize(
    "fault",
    [{"malformed_link": True}, {"nested_json": 100_000}, {"body_bytes": 17 * 1024 * 1024}],
    ids=["unreadable-link", "json-nested-too-deep", "body-over-the-cap"],
)
def test_a_list_page_that_fails_in_any_way_falls_back_to_gets(
    org: Org, adopted: PluginEngine, fault: dict[str, Any]
) -> None:
    org.okta.inject_fault(path=LIST, **fault)

    result = adopted.refresh()

    assert result.errors == {}
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, HUNDRED)
    assert stored_matches_okta(org, adopted)
