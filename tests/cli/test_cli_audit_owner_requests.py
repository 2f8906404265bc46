"""``pulumi-okta-token audit`` looks owners up at once, each once, two requests each: the console script
against a fake Okta 50 ms of round trip away, its journal and connection count read afterwards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import CliOrg

from pulumi_okta_token.cli._owners import OWNERS_AT_ONCE
from pulumi_okta_token.testing import FakeOkta

OWNERS = 40
OWNER_RULES = ("--rule", "owner-inactive", "--rule", "owner-super-admin")


@pytest.fixture
def far_org() -> Iterator[CliOrg]:
    """An org behind 50 ms of round trip, its admin token (a super admin's) and 200 tokens owned by 40
    other users, 5 each."""
    with FakeOkta(rtt=0.05) as okta:
        admin_user = okta.org.add_user(login="ops@example.com")
        org = CliOrg(okta, okta.org.add_token("pulumi-automation", user_id=admin_user), admin_user)
        for number in range(OWNERS):
            user = okta.org.add_user(role=None, status="SUSPENDED" if number % 4 == 0 else "ACTIVE")
            for copy in range(5):
                org.add(f"svc-{number:02d}-{copy}", user_id=user)
        okta.clear_journal()
        yield org


def owner_requests(org: CliOrg) -> Counter[str]:
    """Requests per owner (the user's own, ``/me`` left out), user and roles reads together."""
    paths = [entry.path for entry in org.okta.calls("GET", "/api/v1/users/*")]
    return Counter(path.split("/")[4] for path in paths if path != "/api/v1/users/me")


def test_audit_asks_each_owner_once_for_its_user_and_once_for_its_roles(far_org: CliOrg) -> None:
    run = far_org.run("audit", "--format", "json", "--fail-on", "never", *OWNER_RULES)

    assert run.code == 0, run.stderr
    assert owner_requests(far_org) == Counter({user: 2 for user in owner_requests(far_org)})
    assert len(owner_requests(far_org)) == OWNERS + 1
    roles = [
        entry.path for entry in far_org.okta.calls("GET", "/api/v1/users/*") if entry.path.endswith("/roles")
    ]
    assert len(set(roles)) == len(roles) == OWNERS + 1


def test_audit_owner_look_ups_overlap_on_many_connections_within_the_bound(far_org: CliOrg) -> None:
    """Requests one after another reuse one kept-alive connection; a new one is opened only while every
    open one is busy: the connections the fake accepted are the most requests that were in flight."""
    run = far_org.run("audit", "--format", "json", "--fail-on", "never", *OWNER_RULES)

    assert run.code == 0, run.stderr
    assert OWNERS_AT_ONCE < far_org.okta.connections <= 2 * OWNERS_AT_ONCE + 1


def test_audit_owner_findings_come_from_the_concurrent_look_ups(far_org: CliOrg) -> None:
    run = far_org.run("audit", "--format", "json", "--fail-on", "never", *OWNER_RULES)

    findings = run.json()["findings"]
    assert sum(f["rule"] == "owner-inactive" for f in findings) == 5 * OWNERS // 4
    assert [f["tokenId"] for f in findings if f["rule"] == "owner-super-admin"] == [far_org.admin.id]


def test_an_audit_whose_list_is_refused_ends_with_the_list_error_though_owners_are_asked_ahead(
    far_org: CliOrg,
) -> None:
    far_org.okta.set_page_cap(50)
    last = sorted(token.id for token in far_org.okta.org.tokens())[-1]
    far_org.okta.inject_fault(path="/api/v1/api-tokens", list_duplicate=last, duplicate_name="a-second-name")

    run = far_org.run("audit", "--format", "json", *OWNER_RULES)

    assert run.code not in (0, 1) and run.stdout == "" and "Traceback" not in run.stderr
    assert "twice with different content" in run.stderr
