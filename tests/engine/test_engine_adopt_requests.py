"""Requests of an ``up`` adopting 50 tokens of which 10 drift from the declaration (a name; ``network``
undeclared), counted in the fake's journal, for both list shapes (issue 19, "adopt with undeclared fields").

* Whole list entries: the first ``GETS_FIRST`` reads GET, one page answers the rest, and each drifting token
  whose entry came from a page requested before its read is GOT again before its PUT (the undeclared
  network is never written from an entry older than the read).
* Real-shaped list entries (``tokenWindow: null``): an adoption has no state to complete an entry with, so
  every read is a GET (the fifth read's one page shows it); the drifting tokens were GOT, and are not GOT
  again.
"""

from __future__ import annotations

from typing import Any

import pytest
from seeded_org import Org

from pulumi_okta_token._transport.snapshot import GETS_FIRST
from pulumi_okta_token.testing.engine import PluginEngine

LIST = "/api/v1/api-tokens"
TOKENS = 50
DRIFTING = 10


@pytest.fixture
def program(org: Org) -> dict[str, Any]:
    """50 tokens declared by name; the last 10 renamed in the declaration (read from the list, not first)."""
    tokens = [org.okta.org.add_token(name=f"svc-{n}", user_id=org.user) for n in range(TOKENS)]
    return {
        f"svc-{n}": {"token_id": token.id, "name": f"svc-{n}" if n < TOKENS - DRIFTING else f"renamed-{n}"}
        for n, token in enumerate(tokens)
    }


def adopt(org: Org, program: dict[str, Any]) -> tuple[int, int, int]:
    """(list pages, GETs of one token, PUTs) of one ``up`` adopting ``program``; every token adopted."""
    org.okta.clear_journal()
    with PluginEngine(org.config) as engine:
        assert engine.up(program).errors == {}
        assert {engine.state[name].outputs["name"] for name in program} == {
            d["name"] for d in program.values()
        }
    okta = org.okta
    return len(okta.calls("GET", LIST)), org.calls("GET"), org.calls("PUT")


def test_adopting_50_with_10_drifting_against_whole_list_entries_gets_each_drifting_one_again(
    org: Org, program: dict[str, Any]
) -> None:
    org.okta.set_full_list_entries()
    assert adopt(org, program) == (1, GETS_FIRST + DRIFTING, DRIFTING)


def test_adopting_50_with_10_drifting_against_real_shaped_lists_gets_each_token_once(
    org: Org, program: dict[str, Any]
) -> None:
    assert adopt(org, program) == (1, TOKENS, DRIFTING)
