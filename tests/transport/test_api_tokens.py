"""OktaApiTokens: the four token calls, token ids checked before any URL, answers about another
token or of the wrong shape refused, next-page links kept in the org."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
from transport_support import TOKEN_PATHS, StaticServer, api, api_at, statuses

from pulumi_okta_token._models import NetworkCondition, update_body
from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token._transport.api_tokens import _NextLinks
from pulumi_okta_token.errors import OktaTokenError, WrongTokenAnswer
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

# -- the four calls ---------------------------------------------------------------------------


def test_get_returns_the_live_token_metadata(fake_okta: FakeOkta, admin: FakeToken) -> None:
    token = fake_okta.org.add_token(name="ci-deployer")
    assert api(fake_okta, admin).get(token.id) == fake_okta.org.token(token.id)


def test_get_makes_exactly_one_request(fake_okta: FakeOkta, admin: FakeToken) -> None:
    api(fake_okta, admin).get(admin.id)
    assert len(fake_okta.calls()) == 1


def test_get_parses_a_null_name_and_odd_token_window_the_sdk_model_refuses(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    odd = fake_okta.org.add_token(name=None, token_window="thirty days")  # type: ignore[arg-type]
    token = api(fake_okta, admin).get(odd.id)
    assert (token.name, token.token_window) == (None, "thirty days")


def test_list_returns_every_active_token(fake_okta: FakeOkta, admin: FakeToken) -> None:
    other = fake_okta.org.add_token(name="other")
    assert [token.id for token in api(fake_okta, admin).list()] == [admin.id, other.id]


def test_list_follows_next_links_page_by_page(fake_okta: FakeOkta, admin: FakeToken) -> None:
    for number in range(4):
        fake_okta.org.add_token(name=f"token-{number}")
    fake_okta.set_page_cap(2)
    tokens = api(fake_okta, admin).list()
    assert [token.id for token in tokens] == [token.id for token in fake_okta.org.tokens()]
    assert len(tokens) == 5
    assert len(fake_okta.calls("GET", "/api/v1/api-tokens")) == 3


def test_update_puts_the_body_and_returns_the_updated_token(fake_okta: FakeOkta, admin: FakeToken) -> None:
    zone = fake_okta.org.add_zone(name="office")
    token = fake_okta.org.add_token(name="old")
    body = update_body("new", None, NetworkCondition(connection="ZONE", include=(zone,)))
    updated = api(fake_okta, admin).update(token.id, body)
    assert (updated.name, updated.network) == ("new", NetworkCondition(connection="ZONE", include=(zone,)))
    assert [entry.body for entry in fake_okta.calls("PUT", TOKEN_PATHS)] == [body]


def test_revoke_deletes_the_token_with_one_request(fake_okta: FakeOkta, admin: FakeToken) -> None:
    token = fake_okta.org.add_token(name="doomed")
    api(fake_okta, admin).revoke(token.id)
    assert fake_okta.org.token(token.id) is None
    assert statuses(fake_okta, "DELETE") == [204]


# -- answers that are not what was asked for --------------------------------------------------


def test_json_that_is_not_a_token_is_a_clear_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(200, "application/json", '{"name": "x"}')
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaTokenError, match=r"JSON that is not an API token \(id: Field required\)"):
        client.get(admin.id)


def test_json_that_is_not_a_list_of_tokens_is_a_clear_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(200, "application/json", '{"id": "00T1"}')
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaTokenError, match=r"not a list of API tokens \(expected an array, got dict\)"):
        client.list()


def test_an_empty_success_body_is_a_clear_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(200, "application/json", "")
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaTokenError, match=r"empty body where an API token was expected"):
        client.get(admin.id)


def test_update_body_the_sdk_cannot_take_is_refused_before_sending(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    with pytest.raises(OktaTokenError, match=r"not an ApiTokenUpdate"):
        api(fake_okta, admin).update(admin.id, {"name": 5})
    assert fake_okta.calls("PUT") == []


def test_a_next_link_to_another_host_is_not_followed() -> None:
    settings = OktaSettings(org_url="https://acme.okta.com", auth=ApiTokenAuth("s"))
    links = _NextLinks(settings, "https://acme.okta.com/api/v1/api-tokens")
    with pytest.raises(OktaTokenError, match=r"leaves the org"):
        links.follow("https://evil.example/api/v1/api-tokens?after=x")


def test_a_next_link_seen_before_stops_the_listing() -> None:
    settings = OktaSettings(org_url="https://acme.okta.com", auth=ApiTokenAuth("s"))
    links = _NextLinks(settings, "https://acme.okta.com/api/v1/api-tokens")
    links.follow("https://acme.okta.com/api/v1/api-tokens?after=x")
    with pytest.raises(OktaTokenError, match=r"loop back"):
        links.follow("https://acme.okta.com/api/v1/api-tokens?after=x")


# -- answers about another token --------------------------------------------------------------


def answer_with(okta: FakeOkta, monkeypatch: pytest.MonkeyPatch, other_id: str) -> None:
    """Make the fake answer GET and PUT of any token with ``other_id``'s JSON, changing nothing (a
    misrouting proxy or cache)."""
    real_token = okta.org.token
    monkeypatch.setattr(okta.org, "token", lambda token_id: real_token(token_id) and real_token(other_id))
    monkeypatch.setattr(okta.org, "apply_update", lambda token_id, body: real_token(other_id))


def test_get_answered_with_another_tokens_json_raises_wrong_token_answer(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).get(asked.id)
    error = caught.value
    url = f"{fake_okta.url}/api/v1/api-tokens/{asked.id}"
    assert (error.asked_id, error.answered_id, error.method, error.url) == (asked.id, other.id, "GET", url)


def test_a_wrong_token_answer_names_both_ids_the_method_and_the_url(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).get(asked.id)
    text = str(caught.value)
    assert asked.id in text
    assert other.id in text
    assert f"GET {fake_okta.url}/api/v1/api-tokens/{asked.id}" in text


def test_update_answered_with_another_tokens_json_raises_wrong_token_answer(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).update(asked.id, {"name": "renamed"})
    error = caught.value
    assert (error.asked_id, error.answered_id, error.method) == (asked.id, other.id, "PUT")


def test_a_wrong_token_answer_is_not_retried(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer):
        api(fake_okta, admin).update(asked.id, {"name": "renamed"})
    assert [(entry.method, entry.path) for entry in fake_okta.calls()] == [
        ("PUT", f"/api/v1/api-tokens/{asked.id}")
    ]


# -- ids that are not token ids ---------------------------------------------------------------


NOT_TOKEN_IDS = [
    "",
    "..",
    "00T1gtr35t8ZbfBfV1d7\n",
    "00T1gtr35t8ZbfBfV1d",
    "00T1gtr35t8ZbfBfV1d7x",
    "00u1gtr35t8ZbfBfV1d7",
    "00T1gtr35t8ZbfBfV1d/",
    "00T1gtr35t8ZbfBfV1d7/../../users",
    "00T1gtr35t8ZbfBfV1d7?limit=1",
    "00T1gtr35t8ZbfBfV1\u00e97",
]


ID_SHAPE = r"'00T' followed by 17 letters or digits"


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_get_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).get(token_id)
    assert fake_okta.calls() == []


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_update_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).update(token_id, {"name": "renamed"})
    assert fake_okta.calls() == []


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_revoke_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).revoke(token_id)
    assert fake_okta.calls() == []


def test_a_refused_id_is_cut_to_a_readable_length(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(OktaTokenError) as caught:
        api(fake_okta, admin).revoke("00T" + "x" * 1_000_000)
    assert len(str(caught.value)) < 300


def test_a_refused_id_shows_characters_that_do_not_print(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(OktaTokenError) as caught:
        api(fake_okta, admin).get("00T1gtr35t8ZbfBfV1d7\n")
    assert "'00T1gtr35t8ZbfBfV1d7\\n'" in str(caught.value)


# -- the client object ------------------------------------------------------------------------


def test_the_client_refuses_to_be_pickled(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(api_at(fake_okta.url, admin.secret))


def test_repr_names_the_org_but_no_credential(fake_okta: FakeOkta, admin: FakeToken) -> None:
    text = repr(api_at(fake_okta.url, admin.secret))
    assert fake_okta.url in text
    assert admin.secret not in text
