"""``FakeOrg``: the org's state and its rules, without HTTP."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pulumi_okta_token._models import NetworkCondition
from pulumi_okta_token._okta_time import parse_okta_time
from pulumi_okta_token.testing.backend import FakeOrg, InvalidRequest, InvalidUpdate, TokenNotFound

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
ZONE = "nzo" + "A" * 17


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def org(clock: Clock) -> FakeOrg:
    return FakeOrg(seed=7, clock=clock)


def fields_of(causes: list[Any]) -> list[str]:
    return [cause.field for cause in causes]


# -- ids and realistic values ----------------------------------------------------------------


def test_ids_have_okta_prefixes_and_seventeen_alphanumerics(org: FakeOrg) -> None:
    user = org.add_user()
    zone = org.add_zone(name="office")
    token = org.add_token(name="ci", user_id=user)
    assert re.fullmatch(r"00u[0-9A-Za-z]{17}", user)
    assert re.fullmatch(r"nzo[0-9A-Za-z]{17}", zone)
    assert re.fullmatch(r"00T[0-9A-Za-z]{17}", token.id)


def test_the_same_seed_makes_the_same_ids_and_secrets(clock: Clock) -> None:
    first, second = FakeOrg(seed=1, clock=clock), FakeOrg(seed=1, clock=clock)
    made = [(org.add_user(), org.add_token().id, org.add_token().secret) for org in (first, second)]
    assert made[0] == made[1]


def test_a_new_token_gets_realistic_defaults(org: FakeOrg) -> None:
    token = org.add_token(name="ci").metadata
    assert token.client_name == "Okta API"
    assert token.token_window == "P30D"
    assert token.network == NetworkCondition(connection="ANYWHERE")
    assert token.created == token.last_updated == "2026-01-05T12:00:00.000Z"


def test_expires_at_is_last_use_plus_thirty_days(org: FakeOrg) -> None:
    token = org.add_token(last_used="2026-01-01T00:00:00.000Z").metadata
    assert token.expires_at == "2026-01-31T00:00:00.000Z"


def test_add_token_without_user_makes_a_new_owner(org: FakeOrg) -> None:
    token = org.add_token().metadata
    assert token.user_id is not None and org.has_user(token.user_id)


def test_add_token_with_unknown_zone_adds_that_zone(org: FakeOrg) -> None:
    zone = "nzo" + "Z" * 17
    org.add_token(network={"connection": "ZONE", "exclude": [zone]})
    assert org.has_zone(zone)


def test_add_token_with_a_taken_id_is_refused(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(ValueError, match=token.id):
        org.add_token(id=token.id)


def test_the_secret_is_not_in_the_token_repr(org: FakeOrg) -> None:
    token = org.add_token()
    assert token.secret not in repr(token)


# -- out-of-band changes --------------------------------------------------------------------


def test_update_token_changes_name_and_bumps_last_updated(org: FakeOrg, clock: Clock) -> None:
    token = org.add_token(name="ci")
    clock.now = START + timedelta(hours=1)
    updated = org.update_token(token.id, name="renamed")
    assert updated.name == "renamed" and updated.last_updated == "2026-01-05T13:00:00.000Z"


def test_last_updated_moves_forward_even_when_the_clock_stands_still(org: FakeOrg) -> None:
    token = org.add_token()
    updated = org.update_token(token.id, name="x")
    assert parse_okta_time(updated.last_updated or "") > parse_okta_time(token.metadata.last_updated or "")


def test_last_updated_moves_forward_when_the_clock_moves_within_the_same_millisecond(
    org: FakeOrg, clock: Clock
) -> None:
    token = org.add_token()
    clock.now = START + timedelta(microseconds=400)
    updated = org.update_token(token.id, name="x")
    assert parse_okta_time(updated.last_updated or "") > parse_okta_time(token.metadata.last_updated or "")


def test_revoked_token_is_gone(org: FakeOrg) -> None:
    token = org.add_token()
    org.revoke_token(token.id)
    assert org.token(token.id) is None and org.tokens() == []


def test_revoking_an_unknown_token_raises_token_not_found(org: FakeOrg) -> None:
    with pytest.raises(TokenNotFound):
        org.revoke_token("00T" + "x" * 17)


# -- PUT validation -------------------------------------------------------------------------


def test_put_moves_a_token_to_a_zone_and_bumps_last_updated(org: FakeOrg, clock: Clock) -> None:
    zone = org.add_zone()
    token = org.add_token()
    clock.now = START + timedelta(minutes=5)
    updated = org.apply_update(token.id, {"network": {"connection": "ZONE", "include": [zone]}})
    assert updated.network == NetworkCondition(connection="ZONE", include=(zone,))
    assert updated.last_updated == "2026-01-05T12:05:00.000Z"


def test_put_ignores_read_only_client_name_and_created(org: FakeOrg) -> None:
    token = org.add_token(name="ci")
    updated = org.apply_update(
        token.id, {"name": "ci", "clientName": "Other", "created": "2000-01-01T00:00:00.000Z"}
    )
    assert (updated.client_name, updated.created) == (token.metadata.client_name, token.metadata.created)


def test_put_without_network_keeps_the_network(org: FakeOrg) -> None:
    zone = org.add_zone()
    token = org.add_token(network={"connection": "ZONE", "include": [zone]})
    assert org.apply_update(token.id, {"name": "new"}).network == token.metadata.network


@pytest.mark.parametrize(
    ("network", "field"),
    [
        ({"connection": "SOMEWHERE"}, "network.connection"),
        ({}, "network.connection"),
        ({"connection": "ZONE"}, "network.include"),
        ({"connection": "ZONE", "include": []}, "network.include"),
        ({"connection": "ANYWHERE", "include": [ZONE]}, "network.include"),
        ({"connection": "ZONE", "include": ZONE}, "network.include"),
        ({"connection": "zone", "include": [ZONE]}, "network.connection"),
        ("ANYWHERE", "network"),
    ],
)
def test_put_with_a_bad_network_is_refused_naming_the_field(org: FakeOrg, network: Any, field: str) -> None:
    org.add_zone(id=ZONE)
    token = org.add_token()
    with pytest.raises(InvalidUpdate) as refused:
        org.apply_update(token.id, {"network": network})
    assert fields_of(refused.value.causes) == [field]


def test_put_with_both_include_and_exclude_is_refused(org: FakeOrg) -> None:
    office, vpn = org.add_zone(), org.add_zone()
    token = org.add_token()
    with pytest.raises(InvalidUpdate, match="both include and exclude"):
        org.apply_update(token.id, {"network": {"connection": "ZONE", "include": [office], "exclude": [vpn]}})


def test_put_with_unknown_zone_is_refused_naming_the_zone(org: FakeOrg) -> None:
    token = org.add_token()
    unknown = "nzo" + "q" * 17
    with pytest.raises(InvalidUpdate, match=unknown) as refused:
        org.apply_update(token.id, {"network": {"connection": "ZONE", "exclude": [unknown]}})
    assert fields_of(refused.value.causes) == ["network.exclude"]


@pytest.mark.parametrize("name", ["", "   ", None, 7])
def test_put_with_a_blank_or_non_string_name_is_refused(org: FakeOrg, name: Any) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate) as refused:
        org.apply_update(token.id, {"name": name})
    assert fields_of(refused.value.causes) == ["name"]


def test_put_with_an_unknown_user_id_is_refused(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate, match="Could not find a user") as refused:
        org.apply_update(token.id, {"userId": "00u" + "n" * 17})
    assert fields_of(refused.value.causes) == ["userId"]


def test_put_with_another_users_id_is_refused_because_the_owner_cannot_change(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate, match="owner of an API token cannot be changed"):
        org.apply_update(token.id, {"userId": org.add_user()})


def test_put_with_the_owners_user_id_is_accepted(org: FakeOrg) -> None:
    token = org.add_token(name="ci")
    assert org.apply_update(token.id, {"userId": token.metadata.user_id, "name": "cd"}).name == "cd"


def test_put_body_that_is_not_an_object_is_refused(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate) as refused:
        org.apply_update(token.id, ["name"])
    assert fields_of(refused.value.causes) == ["body"]


def test_a_refused_put_changes_nothing_even_when_some_fields_were_valid(org: FakeOrg) -> None:
    token = org.add_token(name="ci")
    with pytest.raises(InvalidUpdate):
        org.apply_update(token.id, {"name": "renamed", "network": {"connection": "NOWHERE"}})
    assert org.token(token.id) == token.metadata


def test_put_reports_every_bad_field(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate) as refused:
        org.apply_update(token.id, {"name": "", "userId": "00u" + "n" * 17, "network": {}})
    assert fields_of(refused.value.causes) == ["name", "userId", "network.connection"]


def test_put_of_an_unknown_token_raises_token_not_found(org: FakeOrg) -> None:
    with pytest.raises(TokenNotFound):
        org.apply_update("00T" + "x" * 17, {"name": "x"})


# -- listing --------------------------------------------------------------------------------


def test_list_pages_follow_each_other_in_creation_order(org: FakeOrg) -> None:
    ids = [org.add_token().id for _ in range(5)]
    first, after = org.list_tokens(limit=2)
    second, after2 = org.list_tokens(after=after, limit=2)
    third, end = org.list_tokens(after=after2, limit=2)
    assert [t.id for t in first + second + third] == ids and end is None


def test_list_continues_after_a_cursor_token_that_was_revoked(org: FakeOrg) -> None:
    ids = [org.add_token().id for _ in range(3)]
    _, after = org.list_tokens(limit=1)
    org.revoke_token(ids[0])
    rest, _ = org.list_tokens(after=after, limit=5)
    assert [t.id for t in rest] == ids[1:]


def test_list_with_an_unknown_cursor_is_refused(org: FakeOrg) -> None:
    with pytest.raises(InvalidRequest, match="after"):
        org.list_tokens(after="nonsense")


# -- authentication -------------------------------------------------------------------------


def test_a_token_secret_authenticates_as_its_user(org: FakeOrg) -> None:
    token = org.add_token()
    principal = org.authenticate(token.secret)
    assert principal is not None and (principal.user_id, principal.token_id) == (
        token.metadata.user_id,
        token.id,
    )


def test_using_a_token_moves_its_expiry_to_thirty_days_after_the_use(org: FakeOrg, clock: Clock) -> None:
    token = org.add_token()
    clock.now = START + timedelta(days=3)
    org.authenticate(token.secret)
    assert org.token(token.id).expires_at == "2026-02-07T12:00:00.000Z"  # type: ignore[union-attr]


def test_an_expired_token_does_not_authenticate(org: FakeOrg, clock: Clock) -> None:
    token = org.add_token()
    clock.now = START + timedelta(days=30)
    assert org.authenticate(token.secret) is None


def test_a_revoked_tokens_secret_does_not_authenticate(org: FakeOrg) -> None:
    token = org.add_token()
    org.revoke_token(token.id)
    assert org.authenticate(token.secret) is None


def test_an_access_token_grants_its_scopes_until_it_expires(org: FakeOrg, clock: Clock) -> None:
    access = org.issue_access_token(scopes=["okta.apiTokens.read"], lifetime=60)
    grant = org.access_grant(access)
    assert grant is not None and grant.scopes == {"okta.apiTokens.read"}
    clock.now = START + timedelta(seconds=60)
    assert org.access_grant(access) is None


def test_a_service_app_has_a_pkcs8_rsa_key_and_its_scopes(org: FakeOrg) -> None:
    app = org.add_service_app(scopes=["okta.apiTokens.read"])
    assert app.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert org.service_app(app.client_id) == app and app.scopes == ("okta.apiTokens.read",)
    assert app.private_key_pem not in repr(app)


# -- whole org ------------------------------------------------------------------------------


def test_reset_empties_the_org(org: FakeOrg) -> None:
    token = org.add_token()
    access = org.issue_access_token()
    org.reset()
    assert org.tokens() == [] and org.authenticate(token.secret) is None and org.access_grant(access) is None


def test_a_seed_fills_missing_values_and_keeps_given_ones(org: FakeOrg) -> None:
    tokens = org.load_seed(
        {
            "users": [{"id": "00u" + "a" * 17}],
            "zones": [{"id": "nzo" + "b" * 17, "name": "office"}],
            "tokens": [
                {
                    "id": "00T" + "c" * 17,
                    "name": "ci",
                    "userId": "00u" + "a" * 17,
                    "network": {"connection": "ZONE", "include": ["nzo" + "b" * 17]},
                    "expiresAt": "2026-02-01T00:00:00.000Z",
                    "secret": "00seeded-secret",
                },
                {},
            ],
        }
    )
    seeded = org.token("00T" + "c" * 17)
    assert seeded is not None and seeded.expires_at == "2026-02-01T00:00:00.000Z"
    assert org.authenticate("00seeded-secret") is not None
    assert tokens[1].metadata.name and tokens[1].metadata.user_id and len(org.tokens()) == 2


def test_a_seed_that_is_not_an_object_is_refused(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="seed"):
        org.load_seed([])  # type: ignore[arg-type]


def test_tokens_added_from_many_threads_all_exist_with_distinct_ids(org: FakeOrg) -> None:
    made: list[str] = []

    def add() -> None:
        for _ in range(50):
            made.append(org.add_token().id)

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 200 and len(org.tokens()) == 200


# -- ALL_IP_ZONES: "any network zone" -------------------------------------------------------

ALL = "ALL_IP_ZONES"


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_a_token_can_hold_all_ip_zones_as_its_only_zone(org: FakeOrg, key: str) -> None:
    token = org.add_token(network={"connection": "ZONE", key: [ALL]})
    assert token.metadata.network is not None
    assert token.metadata.network.to_okta_json() == {"connection": "ZONE", key: [ALL]}


def test_all_ip_zones_is_not_added_to_the_org_as_a_zone(org: FakeOrg) -> None:
    org.add_token(network={"connection": "ZONE", "include": [ALL]})
    assert not org.has_zone(ALL)


def test_a_seed_can_hold_a_token_with_all_ip_zones(org: FakeOrg) -> None:
    (token,) = org.load_seed(
        {"tokens": [{"name": "ci", "network": {"connection": "ZONE", "exclude": [ALL]}}]}
    )
    stored = org.token(token.id)
    assert stored is not None and stored.network is not None and stored.network.exclude == (ALL,)


def test_a_console_change_can_set_all_ip_zones(org: FakeOrg) -> None:
    token = org.add_token()
    updated = org.update_token(token.id, network={"connection": "ZONE", "include": [ALL]})
    assert updated.network is not None and updated.network.include == (ALL,)


def test_add_token_refuses_all_ip_zones_mixed_with_zone_ids(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match=r"network\.include: ALL_IP_ZONES .* must be the only value"):
        org.add_token(network={"connection": "ZONE", "include": [ALL, ZONE]})


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_put_accepts_all_ip_zones_as_the_only_value(org: FakeOrg, key: str) -> None:
    token = org.add_token()
    updated = org.apply_update(token.id, {"network": {"connection": "ZONE", key: [ALL]}})
    assert updated.network is not None and updated.network.to_okta_json() == {
        "connection": "ZONE",
        key: [ALL],
    }


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_put_refuses_all_ip_zones_mixed_with_zone_ids_naming_the_field(org: FakeOrg, key: str) -> None:
    org.add_zone(id=ZONE)
    token = org.add_token()
    with pytest.raises(InvalidUpdate, match="must be the only value") as refused:
        org.apply_update(token.id, {"network": {"connection": "ZONE", key: [ZONE, ALL]}})
    assert fields_of(refused.value.causes) == [f"network.{key}"]
    assert org.token(token.id) == token.metadata


def test_put_refuses_all_ip_zones_with_connection_anywhere(org: FakeOrg) -> None:
    token = org.add_token()
    with pytest.raises(InvalidUpdate, match="not allowed with connection ANYWHERE") as refused:
        org.apply_update(token.id, {"network": {"connection": "ANYWHERE", "include": [ALL]}})
    assert fields_of(refused.value.causes) == ["network.include"]
