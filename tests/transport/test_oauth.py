"""Private key authentication: client credentials with a private_key_jwt, against the fake Okta."""

from __future__ import annotations

import asyncio
import logging
import pickle
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest

from pulumi_okta_token._settings import PrivateKeyAuth, load_settings
from pulumi_okta_token._transport import OktaApiTokens, _oauth
from pulumi_okta_token.errors import OktaTokenError, Unauthorized, ValidationFailed
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeServiceApp

TOKEN_ENDPOINT = "/oauth2/v1/token"


@pytest.fixture(autouse=True)
def empty_token_cache() -> Iterator[None]:
    _oauth.CACHE.clear()
    yield
    _oauth.CACHE.clear()


@pytest.fixture
def app(fake_okta: FakeOkta) -> FakeServiceApp:
    return fake_okta.org.add_service_app()


def auth_for(app: FakeServiceApp, **changes: object) -> PrivateKeyAuth:
    values: dict[str, object] = {
        "client_id": app.client_id,
        "private_key": app.private_key_pem,
        "key_id": app.key_id,
    }
    values.update(changes)
    return PrivateKeyAuth(**values)  # type: ignore[arg-type]


def client(okta: FakeOkta, auth: PrivateKeyAuth) -> OktaApiTokens:
    from pulumi_okta_token._settings import OktaSettings

    return OktaApiTokens(OktaSettings(org_url=okta.url, auth=auth))


def test_private_key_auth_gets_an_access_token_then_calls_with_bearer(
    fake_okta: FakeOkta, app: FakeServiceApp
) -> None:
    token = fake_okta.org.add_token(name="ci")
    assert client(fake_okta, auth_for(app)).get(token.id).id == token.id
    assert [(entry.method, entry.path, entry.auth_scheme, entry.status) for entry in fake_okta.journal] == [
        ("POST", TOKEN_ENDPOINT, None, 200),
        ("GET", f"/api/v1/api-tokens/{token.id}", "Bearer", 200),
    ]


def test_token_request_asks_for_the_api_token_scopes(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    client(fake_okta, auth_for(app)).list()
    (request,) = fake_okta.calls("POST", TOKEN_ENDPOINT)
    assert request.body["scope"] == "okta.apiTokens.read okta.apiTokens.manage"
    assert request.body["grant_type"] == "client_credentials"


def test_access_token_is_reused_across_calls_and_clients(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    client(fake_okta, auth_for(app)).list()
    client(fake_okta, auth_for(app)).list()
    assert len(fake_okta.calls("POST", TOKEN_ENDPOINT)) == 1
    assert len(fake_okta.calls("GET")) == 2


def test_access_token_is_renewed_once_it_is_due(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    auth = auth_for(app)
    client(fake_okta, auth).list()
    key = _oauth.AccessTokenCache.key(auth, _oauth.token_url(fake_okta.url))
    cached = _oauth.CACHE.get(key)
    assert cached is not None
    _oauth.CACHE.put(key, _oauth.AccessToken(value=cached.value, token_type="Bearer", renew_at=0.0))
    client(fake_okta, auth).list()
    assert len(fake_okta.calls("POST", TOKEN_ENDPOINT)) == 2


def test_access_token_is_due_a_minute_before_okta_says_it_expires() -> None:
    token = _oauth.parse_token_response('{"access_token": "x", "expires_in": 3600}', "url", now=100.0)
    assert token.renew_at == 100.0 + 3600 - 60


def test_an_access_token_refused_with_401_is_replaced_once(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    auth = auth_for(app)
    key = _oauth.AccessTokenCache.key(auth, _oauth.token_url(fake_okta.url))
    _oauth.CACHE.put(
        key, _oauth.AccessToken(value="revoked-token", token_type="Bearer", renew_at=float("inf"))
    )
    client(fake_okta, auth).list()
    assert [(entry.method, entry.status) for entry in fake_okta.journal] == [
        ("GET", 401),
        ("POST", 200),
        ("GET", 200),
    ]


def test_a_key_the_app_does_not_hold_raises_unauthorized_without_retrying(
    fake_okta: FakeOkta, app: FakeServiceApp
) -> None:
    other = fake_okta.org.add_service_app()
    with pytest.raises(Unauthorized) as caught:
        client(fake_okta, auth_for(app, private_key=other.private_key_pem)).list()
    assert caught.value.error_code == "invalid_client"
    assert len(fake_okta.calls("POST", TOKEN_ENDPOINT)) == 1
    assert fake_okta.calls("GET") == []


def test_a_scope_the_app_was_not_granted_raises_validation_failed(fake_okta: FakeOkta) -> None:
    app = fake_okta.org.add_service_app(scopes=["okta.apiTokens.read"])
    with pytest.raises(ValidationFailed) as caught:
        client(fake_okta, auth_for(app)).list()
    assert caught.value.error_code == "invalid_scope"


def test_a_503_from_the_token_endpoint_is_retried(
    fake_okta: FakeOkta, app: FakeServiceApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_wait(seconds: float) -> None:
        return None

    from pulumi_okta_token._transport import _request

    monkeypatch.setattr(_request, "_sleep", no_wait)
    fake_okta.inject_fault("POST", TOKEN_ENDPOINT, status=503)
    client(fake_okta, auth_for(app)).list()
    assert [entry.status for entry in fake_okta.calls("POST", TOKEN_ENDPOINT)] == [503, 200]


def test_a_502_from_the_token_endpoint_is_retried(
    fake_okta: FakeOkta, app: FakeServiceApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_wait(seconds: float) -> None:
        return None

    from pulumi_okta_token._transport import _request

    monkeypatch.setattr(_request, "_sleep", no_wait)
    fake_okta.inject_fault("POST", TOKEN_ENDPOINT, status=502)
    client(fake_okta, auth_for(app)).list()
    assert [entry.status for entry in fake_okta.calls("POST", TOKEN_ENDPOINT)] == [502, 200]


def test_settings_loaded_from_stack_config_authenticate(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    config = {
        "okta:orgUrl": fake_okta.url,
        "okta:clientId": app.client_id,
        "okta:privateKey": app.private_key_pem,
        "okta:privateKeyId": app.key_id,
    }
    settings = load_settings(config.get, {})
    assert OktaApiTokens(settings).list() == []


def test_client_assertion_names_the_client_the_audience_and_the_key() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    audience = "https://acme.okta.com/oauth2/v1/token"
    assertion = _oauth.client_assertion(PrivateKeyAuth("0oa1", pem, key_id="kid-1"), audience, now=1_000_000)
    claims = jwt.decode(
        assertion, key.public_key(), algorithms=["RS256"], audience=audience, options={"verify_exp": False}
    )
    assert (claims["iss"], claims["sub"], claims["aud"]) == ("0oa1", "0oa1", audience)
    assert claims["exp"] - claims["iat"] == _oauth.ASSERTION_LIFETIME
    assert claims["jti"]
    assert jwt.get_unverified_header(assertion)["kid"] == "kid-1"


def test_each_client_assertion_has_a_fresh_jti(app: FakeServiceApp) -> None:
    first = jwt.decode(_oauth.client_assertion(auth_for(app), "aud"), options={"verify_signature": False})
    second = jwt.decode(_oauth.client_assertion(auth_for(app), "aud"), options={"verify_signature": False})
    assert first["jti"] != second["jti"]


def test_a_dpop_token_type_is_refused_with_a_fix() -> None:
    with pytest.raises(OktaTokenError, match=r"Turn off 'Require Demonstrating Proof of Possession"):
        _oauth.parse_token_response('{"access_token": "x", "token_type": "DPoP", "expires_in": 3600}', "url")


def test_a_token_answer_without_access_token_is_a_clear_error() -> None:
    with pytest.raises(OktaTokenError, match=r"without an access_token"):
        _oauth.parse_token_response("<html>login</html>", "https://acme.okta.com/oauth2/v1/token")


def test_access_tokens_and_the_cache_refuse_to_be_pickled() -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(_oauth.AccessToken(value="secret", token_type="Bearer", renew_at=0.0))
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(_oauth.CACHE)


def test_no_log_line_holds_the_key_the_assertion_or_the_access_token(
    fake_okta: FakeOkta, app: FakeServiceApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    auth = auth_for(app)
    client(fake_okta, auth).list()
    cached = _oauth.CACHE.get(_oauth.AccessTokenCache.key(auth, _oauth.token_url(fake_okta.url)))
    assert cached is not None
    assert caplog.records
    assert cached.value not in caplog.text
    assert "PRIVATE KEY" not in caplog.text
    assert "client_assertion=" not in caplog.text


# -- one token request for many threads ------------------------------------------------------


def test_threads_asking_at_once_share_one_token_request(fake_okta: FakeOkta, app: FakeServiceApp) -> None:
    fake_okta.inject_fault("POST", TOKEN_ENDPOINT, latency=0.5)  # all four threads ask while it runs
    api = client(fake_okta, auth_for(app))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: api.list(), range(4)))
    assert results == [[], [], [], []]
    assert len(fake_okta.calls("POST", TOKEN_ENDPOINT)) == 1
    assert len(fake_okta.calls("GET")) == 4


def test_a_failed_token_request_leaves_nothing_pending() -> None:
    cache = _oauth.AccessTokenCache()
    fetches: list[str] = []

    async def failing() -> _oauth.AccessToken:
        fetches.append("failing")
        raise ValueError("refused")

    async def working() -> _oauth.AccessToken:
        fetches.append("working")
        return _oauth.AccessToken(value="v", token_type="Bearer", renew_at=float("inf"))

    with pytest.raises(ValueError, match="refused"):
        asyncio.run(cache.obtain(("k",), failing))
    assert asyncio.run(cache.obtain(("k",), working)).value == "v"
    assert fetches == ["failing", "working"]


def test_a_waiter_giving_up_does_not_cancel_the_shared_request() -> None:
    cache = _oauth.AccessTokenCache()
    started, release = threading.Event(), threading.Event()
    outcome: list[object] = []

    async def slow() -> _oauth.AccessToken:
        started.set()
        await asyncio.get_running_loop().run_in_executor(None, release.wait)
        return _oauth.AccessToken(value="v", token_type="Bearer", renew_at=float("inf"))

    def owner() -> None:
        outcome.append(asyncio.run(cache.obtain(("k",), slow)))

    thread = threading.Thread(target=owner)
    thread.start()
    started.wait()

    async def never() -> _oauth.AccessToken:
        raise AssertionError("a waiter must not fetch")

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(cache.obtain(("k",), never), 0.05))
    release.set()
    thread.join()
    assert [token.value for token in outcome] == ["v"]  # type: ignore[attr-defined]
    token = cache.get(("k",))
    assert token is not None
    assert token.value == "v"
