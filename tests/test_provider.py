"""``ApiTokenProvider`` against the fake Okta org: each row of the semantics table, API calls counted."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.rpc import UNKNOWN
from seeded_org import Org, configured

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token.errors import (
    AdoptionError,
    ChangeNotApplied,
    Forbidden,
    NotFound,
    OktaTokenError,
    ServerError,
    Unauthorized,
    WrongTokenAnswer,
)

TOKENS = "/api/v1/api-tokens/*"
ABSENT = "00T0000000000000000z"


def okta_does_not_apply_puts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every PUT is answered as Okta answers one it accepts but does not apply: 200 with the token unchanged.

    (Stands in for the fake's ``inject_fault(not_applied=True)``: the client reads the token instead.)
    """
    monkeypatch.setattr(OktaApiTokens, "update", lambda self, token_id, _body: self.get(token_id))


def okta_answers_about(org: Org, method: str, other_id: str) -> None:
    """The next answer to ``method`` on the ``ci`` token carries another token's JSON (a misrouting proxy
    or cache): the fake's ``answer_with_token`` fault."""
    org.okta.inject_fault(method, f"/api/v1/api-tokens/{org.token.id}", answer_with_token=other_id)


# -- create (adopt) ---------------------------------------------------------------------------


def test_create_adopts_a_matching_token_with_one_get_and_no_put(org: Org) -> None:
    result = org.provider.create({"token_id": org.token.id, "name": "ci"})
    assert result.id == org.token.id
    assert (org.calls("GET"), org.calls("PUT")) == (1, 0)


def test_create_returns_every_output_as_the_live_token_has_it(org: Org) -> None:
    outs = org.provider.create({"token_id": org.token.id}).outs or {}
    live = org.live()
    assert outs["name"] == live.name and outs["user_id"] == org.user
    assert outs["network"] == {"connection": "ZONE", "include": [org.office], "exclude": []}
    assert (outs["expires_at"], outs["token_window"], outs["client_name"]) == (
        live.expires_at,
        live.token_window,
        live.client_name,
    )


def test_create_renames_with_one_put_when_the_name_differs(org: Org) -> None:
    outs = org.provider.create({"token_id": org.token.id, "name": "ci-deployer"}).outs or {}
    assert outs["name"] == org.live().name == "ci-deployer"
    assert (org.calls("GET"), org.calls("PUT")) == (1, 1)


def test_create_sets_the_declared_network_and_keeps_the_name(org: Org) -> None:
    network = {"connection": "ZONE", "exclude": [org.vpn]}
    org.provider.create({"token_id": org.token.id, "network": network})
    live = org.live()
    assert (live.name, live.network.connection, live.network.exclude) == ("ci", "ZONE", (org.vpn,))
    assert org.calls("PUT") == 1


def test_create_fails_when_okta_does_not_apply_the_adopted_name(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    okta_does_not_apply_puts(monkeypatch)
    with pytest.raises(ChangeNotApplied) as caught:
        org.provider.create({"token_id": org.token.id, "name": "ci-deployer"})
    assert caught.value.fields == ["name"] and caught.value.token_id == org.token.id
    text = str(caught.value)
    assert "did not apply" in text and "'ci-deployer'" in text and "'ci'" in text
    assert "next `pulumi up` adopts it again" in text


def test_create_refuses_a_token_id_followed_by_a_newline_without_a_request(org: Org) -> None:
    with pytest.raises(ValueError, match="token_id"):
        org.provider.create({"token_id": org.token.id + "\n"})
    assert len(org.okta.journal) == 0


def test_create_refuses_an_answer_about_another_token(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    okta_answers_about(org, "GET", org.admin.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        org.provider.create({"token_id": org.token.id, "name": "renamed"})
    assert (caught.value.asked_id, caught.value.answered_id) == (org.token.id, org.admin.id)
    assert org.calls("PUT") == 0


def test_create_of_an_absent_token_names_the_id_the_org_and_the_admin_console(org: Org) -> None:
    with pytest.raises(AdoptionError) as caught:
        org.provider.create({"token_id": ABSENT, "name": "ci"})
    text = str(caught.value)
    assert ABSENT in text and org.okta.url in text and "Security > API > Tokens" in text
    assert org.calls("PUT") == 0


@pytest.mark.parametrize(
    ("field", "declared"),
    [
        ("user_id", "00u0000000000000000a"),
        ("client_name", "Terraform"),
        ("created", "2001-01-01T00:00:00.000Z"),
    ],
)
def test_create_refuses_a_differing_assertion_and_changes_nothing(
    org: Org, field: str, declared: str
) -> None:
    before = org.live()
    with pytest.raises(AdoptionError) as caught:
        org.provider.create({"token_id": org.token.id, "name": "renamed", field: declared})
    assert (
        field in str(caught.value)
        and declared in str(caught.value)
        and "Nothing was changed" in str(caught.value)
    )
    assert org.calls("PUT") == 0 and org.live() == before


# -- read (refresh) ---------------------------------------------------------------------------


def test_read_follows_a_change_made_in_okta(org: Org) -> None:
    outs = org.outputs()
    org.okta.org.update_token(org.token.id, name="renamed-in-console")
    org.okta.clear_journal()
    result = org.provider.read(org.token.id, outs)
    assert result.outs is not None and result.outs["name"] == "renamed-in-console"
    assert result.inputs is not None and result.inputs["name"] == "renamed-in-console"
    assert org.calls("GET") == 1


def test_read_of_a_revoked_token_drops_it_from_the_state(org: Org) -> None:
    outs = org.outputs()
    org.okta.org.revoke_token(org.token.id)
    result = org.provider.read(org.token.id, outs)
    assert result.id is None and result.outs == {}


@pytest.mark.parametrize("bad_id", ["..", "", "00T1fxzubpqiepH11d38\n", "00T1fxzubpqiepH11d38/../x"])
def test_read_refuses_an_id_that_is_not_a_token_id_without_a_request(org: Org, bad_id: str) -> None:
    with pytest.raises(OktaTokenError, match="not an Okta API token id") as caught:
        org.provider.read(bad_id, {})
    assert "no request was sent" in str(caught.value)
    assert len(org.okta.journal) == 0


def test_read_refuses_an_answer_about_another_token(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    outs = org.outputs()
    okta_answers_about(org, "GET", org.admin.id)
    with pytest.raises(WrongTokenAnswer, match=org.admin.id):
        org.provider.read(org.token.id, outs)


def test_read_with_only_inputs_serves_apitoken_get(org: Org) -> None:
    result = org.provider.read(org.token.id, {"token_id": org.token.id})
    assert result.id == org.token.id and result.outs is not None and result.outs["name"] == "ci"


# -- diff ---------------------------------------------------------------------------------------


def test_diff_finds_no_change_when_the_declaration_matches(org: Org) -> None:
    outs = org.outputs()
    news = {
        "token_id": org.token.id,
        "name": "ci",
        "network": {"connection": "ZONE", "include": [org.office]},
    }
    assert org.provider.diff(org.token.id, outs, news).changes is False


def test_diff_compares_zone_lists_as_sets(org: Org) -> None:
    org.okta.org.update_token(org.token.id, network={"connection": "ZONE", "include": [org.office, org.vpn]})
    outs = org.outputs()
    news = {"token_id": org.token.id, "network": {"connection": "ZONE", "include": [org.vpn, org.office]}}
    assert org.provider.diff(org.token.id, outs, news).changes is False


def test_diff_ignores_fields_the_user_did_not_declare(org: Org) -> None:
    outs = org.outputs()
    assert org.provider.diff(org.token.id, outs, {"token_id": org.token.id}).changes is False


def test_diff_ignores_a_new_serialized_provider(org: Org) -> None:
    outs = {**org.outputs(), "__provider": "old-version"}
    news = {"token_id": org.token.id, "__provider": "new-version"}
    assert org.provider.diff(org.token.id, outs, news).changes is False


def test_diff_of_a_name_is_an_update_not_a_replace(org: Org) -> None:
    result = org.provider.diff(org.token.id, org.outputs(), {"token_id": org.token.id, "name": "other"})
    assert result.changes is True and result.replaces == []


def test_diff_of_token_id_is_a_replace_that_creates_first(org: Org) -> None:
    result = org.provider.diff(org.token.id, org.outputs(), {"token_id": org.admin.id})
    assert (
        result.changes is True and result.replaces == ["token_id"] and result.delete_before_replace is False
    )


def test_diff_of_an_unknown_name_is_a_change(org: Org) -> None:
    result = org.provider.diff(org.token.id, org.outputs(), {"token_id": org.token.id, "name": UNKNOWN})
    assert result.changes is True and result.replaces == []


def test_diff_calls_no_api(org: Org) -> None:
    outs = org.outputs()
    org.okta.clear_journal()
    org.provider.diff(org.token.id, outs, {"token_id": org.token.id, "name": "x"})
    assert len(org.okta.journal) == 0


# -- update ---------------------------------------------------------------------------------------


def test_update_of_name_and_network_makes_exactly_one_put_and_returns_every_output(org: Org) -> None:
    outs = org.outputs()
    org.okta.clear_journal()
    news = {"token_id": org.token.id, "name": "ci", "network": {"connection": "ANYWHERE"}}
    result = org.provider.update(org.token.id, outs, news)
    assert result.outs is not None and set(result.outs) >= {"token_id", "name", "last_updated", "expires_at"}
    assert result.outs["network"] == {"connection": "ANYWHERE", "include": [], "exclude": []}
    assert (org.calls("PUT"), org.calls("GET")) == (1, 0)


def test_update_with_a_field_undeclared_reads_the_live_token_first(org: Org) -> None:
    outs = org.outputs()
    org.okta.clear_journal()
    org.provider.update(org.token.id, outs, {"token_id": org.token.id, "network": {"connection": "ANYWHERE"}})
    assert [call.method for call in org.okta.journal] == ["GET", "PUT"]


def test_update_of_the_name_alone_keeps_a_network_set_in_the_console_since_the_last_refresh(org: Org) -> None:
    outs = org.outputs()  # stored: ZONE include office
    org.okta.org.update_token(org.token.id, network={"connection": "ZONE", "include": [org.vpn]})
    org.provider.update(org.token.id, outs, {"token_id": org.token.id, "name": "renamed"})
    live = org.live()
    assert live.name == "renamed" and live.network.include == (org.vpn,)
    assert org.okta.calls("PUT", TOKENS)[0].body == {
        "name": "renamed",
        "userId": org.user,
        "network": {"connection": "ZONE", "include": [org.vpn]},
    }


def test_update_of_the_network_alone_keeps_a_name_set_in_the_console_since_the_last_refresh(org: Org) -> None:
    outs = org.outputs()  # stored: name ci
    org.okta.org.update_token(org.token.id, name="renamed-in-console")
    org.provider.update(org.token.id, outs, {"token_id": org.token.id, "network": {"connection": "ANYWHERE"}})
    live = org.live()
    assert live.name == "renamed-in-console" and live.network.connection == "ANYWHERE"


def test_update_fails_when_okta_does_not_apply_the_name(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    outs = org.outputs()
    okta_does_not_apply_puts(monkeypatch)
    news = {
        "token_id": org.token.id,
        "name": "renamed",
        "network": {"connection": "ZONE", "include": [org.office]},
    }
    with pytest.raises(ChangeNotApplied) as caught:
        org.provider.update(org.token.id, outs, news)
    assert caught.value.fields == ["name"]
    text = str(caught.value)
    assert "accepted" in text and "did not apply" in text and "'renamed'" in text and "'ci'" in text
    assert "keeps the outputs it stored before this update" in text and "pulumi refresh" in text


def test_update_fails_when_okta_does_not_apply_the_network(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    outs = org.outputs()
    okta_does_not_apply_puts(monkeypatch)
    news = {"token_id": org.token.id, "name": "ci", "network": {"connection": "ZONE", "exclude": [org.vpn]}}
    with pytest.raises(ChangeNotApplied) as caught:
        org.provider.update(org.token.id, outs, news)
    assert caught.value.fields == ["network"] and org.vpn in str(caught.value)


def test_update_accepts_an_answer_listing_the_declared_zones_in_another_order(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = org.outputs()
    real = OktaApiTokens.update

    def reversed_zones(self: OktaApiTokens, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        live = real(self, token_id, body)
        assert live.network is not None
        network = live.network.model_copy(update={"include": tuple(reversed(live.network.include))})
        return live.model_copy(update={"network": network})

    monkeypatch.setattr(OktaApiTokens, "update", reversed_zones)
    network = {"connection": "ZONE", "include": [org.office, org.vpn]}
    result = org.provider.update(
        org.token.id, outs, {"token_id": org.token.id, "name": "ci", "network": network}
    )
    assert result.outs is not None and result.outs["network"]["include"] == [org.vpn, org.office]


def test_update_refuses_an_answer_about_another_token(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    outs = org.outputs()
    okta_answers_about(org, "PUT", org.admin.id)
    news = {"token_id": org.token.id, "name": "renamed", "network": {"connection": "ANYWHERE"}}
    with pytest.raises(WrongTokenAnswer, match=org.admin.id):
        org.provider.update(org.token.id, outs, news)


def test_update_of_a_token_revoked_since_the_last_refresh_says_to_refresh(org: Org) -> None:
    outs = org.outputs()
    org.okta.org.revoke_token(org.token.id)
    with pytest.raises(NotFound, match="pulumi refresh"):
        org.provider.update(org.token.id, outs, {"token_id": org.token.id, "name": "renamed"})
    assert org.calls("PUT") == 0


def test_update_refuses_a_changed_assertion_without_calling_okta(org: Org) -> None:
    outs = org.outputs()
    org.okta.clear_journal()
    with pytest.raises(AdoptionError, match="client_name"):
        org.provider.update(
            org.token.id, outs, {"token_id": org.token.id, "name": "x", "client_name": "Other"}
        )
    assert org.calls("PUT") == 0 and org.live().name == "ci"


# -- delete -----------------------------------------------------------------------------------------


def test_delete_revokes_the_token_with_one_delete(org: Org) -> None:
    outs = org.outputs()
    org.provider.delete(org.token.id, outs)
    assert org.live() is None and org.calls("DELETE") == 1


def test_delete_of_a_token_already_revoked_succeeds(org: Org) -> None:
    outs = org.outputs()
    org.okta.org.revoke_token(org.token.id)
    org.provider.delete(org.token.id, outs)
    assert org.calls("DELETE") == 1


@pytest.mark.parametrize("bad_id", ["..", "", "00T1fxzubpqiepH11d38\n", "*"])
def test_delete_refuses_an_id_that_is_not_a_token_id_without_a_request(org: Org, bad_id: str) -> None:
    with pytest.raises(OktaTokenError, match="not an Okta API token id") as caught:
        org.provider.delete(bad_id, {})
    assert "no request was sent" in str(caught.value)
    assert len(org.okta.journal) == 0


def test_delete_that_fails_raises_so_the_token_stays_in_state(org: Org) -> None:
    outs = org.outputs()
    org.okta.inject_fault(method="DELETE", path=TOKENS, status=500, times=10)
    with pytest.raises(ServerError, match=org.token.id):
        org.provider.delete(org.token.id, outs)
    assert org.live() is not None


# -- credentials -------------------------------------------------------------------------------------


def test_credentials_come_from_the_environment_when_stack_config_has_none(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", org.okta.url)
    monkeypatch.setenv("OKTA_API_TOKEN", org.admin.secret)
    provider = configured({})
    assert provider.create({"token_id": org.token.id}).id == org.token.id


def test_access_token_from_stack_config_authenticates_as_bearer(org: Org) -> None:
    access = org.okta.org.issue_access_token(scopes=["okta.apiTokens.read", "okta.apiTokens.manage"])
    provider = configured({"okta:orgUrl": org.okta.url, "okta:accessToken": access})
    provider.create({"token_id": org.token.id})
    assert [call.auth_scheme for call in org.okta.calls("GET", TOKENS)] == ["Bearer"]


def test_private_key_app_authenticates_through_the_token_endpoint(org: Org) -> None:
    app = org.okta.org.add_service_app(scopes=["okta.apiTokens.read", "okta.apiTokens.manage"])
    provider = configured(
        {
            "okta:orgUrl": org.okta.url,
            "okta:clientId": app.client_id,
            "okta:privateKey": app.private_key_pem,
            "okta:privateKeyId": app.key_id,
        }
    )
    provider.delete(org.token.id, {})
    assert org.live() is None
    assert [call.auth_scheme for call in org.okta.calls("DELETE", TOKENS)] == ["Bearer"]


def test_a_revoked_credential_is_reported_as_unauthorized_with_a_hint(org: Org) -> None:
    org.okta.org.revoke_token(org.admin.id)
    with pytest.raises(Unauthorized, match="okta:apiToken") as caught:
        org.provider.create({"token_id": org.token.id})
    assert "retain_on_delete" not in str(caught.value)  # this process revoked nothing


def test_unauthorized_after_this_process_revoked_a_token_says_it_may_have_been_the_credential(
    org: Org,
) -> None:
    org.provider.delete(org.admin.id, {})  # the token the provider signs in with
    with pytest.raises(Unauthorized) as caught:
        org.provider.delete(org.token.id, {})
    text = str(caught.value)
    assert org.admin.id in text and "may itself have been" in text
    assert "retain_on_delete=True" in text and "pulumi state delete" in text


def test_read_only_scopes_cannot_revoke(org: Org) -> None:
    access = org.okta.org.issue_access_token(scopes=["okta.apiTokens.read"])
    provider = configured({"okta:orgUrl": org.okta.url, "okta:accessToken": access})
    with pytest.raises(Forbidden, match=r"okta\.apiTokens\.manage"):
        provider.delete(org.token.id, {})
    assert org.live() is not None


# -- what goes into the state -------------------------------------------------------------------------


def test_a_used_provider_serializes_without_credentials_or_clients(org: Org) -> None:
    org.outputs()
    serialized = serialize_provider(org.provider)
    assert serialized == serialize_provider(ApiTokenProvider())
    assert len(serialized) < 1024
