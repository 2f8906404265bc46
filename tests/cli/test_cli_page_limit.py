"""Every listing the commands make asks Okta's largest page, ``limit=200``: the console script as a shell
runs it, against the fake, its journal read afterwards."""

from __future__ import annotations

import pytest
from conftest import CliOrg

LIST = "/api/v1/api-tokens"
COMMANDS = {
    "list": ("list", "--format", "json"),
    "audit": ("audit", "--format", "json", "--fail-on", "never"),
    "generate": ("generate",),
}


@pytest.fixture
def thousand(cli_org: CliOrg) -> CliOrg:
    """The org with 1,000 tokens: its own and 999 more."""
    for number in range(999):
        cli_org.add(f"svc-{number:03d}")
    cli_org.okta.clear_journal()
    return cli_org


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_list_request_of_a_command_asks_200_a_page(thousand: CliOrg, command: str) -> None:
    run = thousand.run(*COMMANDS[command])

    assert run.code == 0, run.stderr
    pages = thousand.okta.calls("GET", LIST)
    assert [entry.query.get("limit") for entry in pages] == ["200"] * 5


def test_a_thousand_token_org_is_listed_in_five_pages(thousand: CliOrg) -> None:
    run = thousand.run("list", "--format", "json")

    assert len(run.json()) == 1_000
    assert len(thousand.okta.calls("GET", LIST)) == 5
