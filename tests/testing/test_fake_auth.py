"""Authentication as Okta does it: SSWS secrets, Bearer access tokens, scopes, the token endpoint."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fake_okta_support import TOKENS, Answer, Api
from seeded_org import Org

from pulumi_okta_token.testing.backend import FakeServiceApp

READ = "okta.apiTokens.read"
MANAGE = "okta.apiTokens.manage"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def assert_invalid_token(answer: Answer) -> None:
    assert answer.status == 401
    assert answer.data["errorCode"] == "E0000011" and answer.data["errorSummary"] == "Invalid token provided"


# -- SSWS -----------------------------------------------------------------------------------


def test_ssws_with_a_space_and_an_active_secret_is_accepted(api: Api, org: Org) -> None:
    assert api.call("GET", TOKENS, auth=f"SSWS {org.admin.secret}").status == 200


def test_ssws_without_the_space_is_401_like_okta(api: Api, org: Org) -> None:
    assert_invalid_token(api.call("GET", TOKENS, auth=f"SSWS{org.admin.secret}"))


def test_a_revoked_tokens_secret_is_401(api: Api, org: Org) -> None:
    org.okta.org.revoke_token(org.admin.id)
    assert_invalid_token(api.call("GET", TOKENS, auth=org.auth))


def test_no_authorization_header_is_401(api: Api, org: Org) -> None:
    assert_invalid_token(api.call("GET", TOKENS))


@pytest.mark.parametrize("header", ["SSWS ", "SSWS  x", "Basic abc", "ssws {secret}"])
def test_malformed_authorization_headers_are_401(api: Api, org: Org, header: str) -> None:
    assert_invalid_token(api.call("GET", TOKENS, auth=header.format(secret=org.admin.secret)))


def test_an_unknown_secret_is_401_and_changes_nothing(api: Api, org: Org) -> None:
    answer = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth="SSWS 00notasecret")
    assert_invalid_token(answer)
    assert org.okta.org.token(org.token.id) is not None


def test_an_ssws_call_moves_the_callers_expiry(api: Api, org: Org) -> None:
    org.okta.org.revoke_token(org.admin.id)
    old = org.okta.org.add_token(user_id=org.user, last_used=datetime.now(timezone.utc) - timedelta(days=10))
    assert api.call("GET", TOKENS, auth=f"SSWS {old.secret}").status == 200
    live = org.okta.org.token(old.id)
    assert live is not None and (live.expires_at or "") > (old.metadata.expires_at or "")


def test_an_expired_tokens_secret_is_401(api: Api, org: Org) -> None:
    stale = org.okta.org.add_token(
        user_id=org.user, last_used=datetime.now(timezone.utc) - timedelta(days=31)
    )
    assert_invalid_token(api.call("GET", TOKENS, auth=f"SSWS {stale.secret}"))


# -- Bearer and scopes ----------------------------------------------------------------------


def bearer(org: Org, *scopes: str) -> str:
    return "Bearer " + org.okta.org.issue_access_token(scopes=list(scopes))


def test_bearer_with_read_scope_can_get(api: Api, org: Org) -> None:
    assert api.call("GET", f"{TOKENS}/{org.token.id}", auth=bearer(org, READ)).status == 200


def test_bearer_with_manage_scope_can_also_list(api: Api, org: Org) -> None:
    assert api.call("GET", TOKENS, auth=bearer(org, MANAGE)).status == 200


def test_bearer_with_read_scope_cannot_revoke_and_gets_403(api: Api, org: Org) -> None:
    answer = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=bearer(org, READ))
    assert answer.status == 403 and answer.data["errorCode"] == "E0000006"
    assert answer.data["errorSummary"] == "You do not have permission to perform the requested action"
    assert org.okta.org.token(org.token.id) is not None


def test_bearer_with_read_scope_cannot_put(api: Api, org: Org) -> None:
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=bearer(org, READ), body={"name": "x"})
    assert answer.status == 403 and org.okta.org.token(org.token.id) == org.token.metadata


def test_bearer_without_api_token_scopes_cannot_read(api: Api, org: Org) -> None:
    assert api.call("GET", TOKENS, auth=bearer(org, "okta.users.read")).status == 403


def test_bearer_with_manage_scope_can_revoke(api: Api, org: Org) -> None:
    assert api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=bearer(org, MANAGE)).status == 204


def test_an_unknown_access_token_is_401(api: Api, org: Org) -> None:
    assert_invalid_token(api.call("GET", TOKENS, auth="Bearer nope"))


def test_bearer_without_the_space_is_401(api: Api, org: Org) -> None:
    assert_invalid_token(api.call("GET", TOKENS, auth=bearer(org, READ).replace(" ", "")))


def test_delete_current_with_a_bearer_token_is_403_and_revokes_nothing(api: Api, org: Org) -> None:
    answer = api.call("DELETE", f"{TOKENS}/current", auth=bearer(org, MANAGE))
    assert answer.status == 403 and len(org.okta.org.tokens()) == 2


# -- the token endpoint ---------------------------------------------------------------------


def assertion(app: FakeServiceApp, audience: str, key: bytes | str | None = None, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": app.client_id,
        "sub": app.client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return jwt.encode(claims, key or app.private_key_pem, algorithm="RS256", headers={"kid": app.key_id})


def token_request(api: Api, form: dict[str, str]) -> Answer:
    return api.call(
        "POST",
        "/oauth2/v1/token",
        raw=urlencode(form).encode(),
        content_type="application/x-www-form-urlencoded",
    )


def form_for(
    api: Api, app: FakeServiceApp, scope: str = f"{READ} {MANAGE}", **overrides: Any
) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "scope": scope,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion(app, api.okta.url + "/oauth2/v1/token", **overrides),
    }


@pytest.fixture
def app(org: Org) -> FakeServiceApp:
    return org.okta.org.add_service_app(scopes=[READ, MANAGE])


def test_a_signed_client_assertion_gets_a_bearer_token_that_works(
    api: Api, org: Org, app: FakeServiceApp
) -> None:
    answer = token_request(api, form_for(api, app))
    assert answer.status == 200
    assert answer.data["token_type"] == "Bearer" and answer.data["expires_in"] == 3600
    assert answer.data["scope"] == f"{READ} {MANAGE}"
    revoke = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth="Bearer " + answer.data["access_token"])
    assert revoke.status == 204


def test_an_access_token_gets_only_the_scopes_it_asked_for(api: Api, org: Org, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, scope=READ))
    revoke = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth="Bearer " + answer.data["access_token"])
    assert revoke.status == 403


def test_asking_for_a_scope_the_app_was_not_granted_is_invalid_scope(api: Api, org: Org) -> None:
    reader = org.okta.org.add_service_app(scopes=[READ])
    answer = token_request(api, form_for(api, reader))
    assert answer.status == 400 and answer.data["error"] == "invalid_scope"
    assert MANAGE in answer.data["error_description"]


def test_asking_for_no_scope_is_invalid_scope(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, scope=""))
    assert answer.status == 400 and answer.data["error"] == "invalid_scope"


def test_an_assertion_signed_with_another_key_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    answer = token_request(api, form_for(api, app, key=other))
    assert answer.status == 401 and answer.data["error"] == "invalid_client"


def test_an_assertion_for_another_audience_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, aud="https://acme.okta.com/oauth2/v1/token"))
    assert answer.status == 401 and "audience" in answer.data["error_description"]


def test_an_expired_assertion_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, exp=int(time.time()) - 60))
    assert answer.status == 401 and answer.data["error"] == "invalid_client"


def test_an_assertion_valid_for_more_than_an_hour_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, exp=int(time.time()) + 7200))
    assert answer.status == 401 and "too far in the future" in answer.data["error_description"]


def test_an_assertion_with_sub_other_than_iss_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, sub="someone-else"))
    assert answer.status == 401 and answer.data["error"] == "invalid_client"


def test_a_replayed_assertion_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    form = form_for(api, app)
    assert token_request(api, form).status == 200
    answer = token_request(api, form)
    assert answer.status == 401 and "already been used" in answer.data["error_description"]


def test_an_unknown_client_is_invalid_client(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, form_for(api, app, iss="0oaunknown", sub="0oaunknown"))
    assert answer.status == 401 and answer.data["error"] == "invalid_client"


def test_a_grant_other_than_client_credentials_is_unsupported(api: Api, app: FakeServiceApp) -> None:
    answer = token_request(api, {**form_for(api, app), "grant_type": "password"})
    assert answer.status == 400 and answer.data["error"] == "unsupported_grant_type"


def test_a_token_request_that_is_not_a_form_is_invalid_request(api: Api, app: FakeServiceApp) -> None:
    answer = api.call("POST", "/oauth2/v1/token", body=form_for(api, app))
    assert answer.status == 400 and answer.data["error"] == "invalid_request"


def test_the_journal_never_holds_the_client_assertion_or_access_token(api: Api, app: FakeServiceApp) -> None:
    form = form_for(api, app)
    answer = token_request(api, form)
    text = repr(api.okta.journal)
    assert form["client_assertion"] not in text and answer.data["access_token"] not in text
    assert api.okta.calls("POST", "/oauth2/v1/token")[0].body["client_assertion"] == "<redacted>"


# -- admin roles of SSWS tokens ---------------------------------------------------------------


def test_a_read_only_admins_token_can_read(api: Api, org: Org) -> None:
    reader = org.okta.org.add_token(user_id=org.okta.org.add_user(role="READ_ONLY_ADMIN"))
    assert api.call("GET", f"{TOKENS}/{org.token.id}", auth=f"SSWS {reader.secret}").status == 200


def test_a_read_only_admins_token_cannot_revoke(api: Api, org: Org) -> None:
    reader = org.okta.org.add_token(user_id=org.okta.org.add_user(role="READ_ONLY_ADMIN"))
    answer = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=f"SSWS {reader.secret}")
    assert answer.status == 403 and answer.data["errorCode"] == "E0000006"
    assert org.okta.org.token(org.token.id) is not None


def test_a_token_of_a_user_without_admin_role_cannot_even_list(api: Api, org: Org) -> None:
    plain = org.okta.org.add_token(user_id=org.okta.org.add_user(role=None))
    assert api.call("GET", TOKENS, auth=f"SSWS {plain.secret}").status == 403


def test_any_token_may_revoke_itself(api: Api, org: Org) -> None:
    plain = org.okta.org.add_token(user_id=org.okta.org.add_user(role=None))
    assert api.call("DELETE", f"{TOKENS}/current", auth=f"SSWS {plain.secret}").status == 204


def test_an_unknown_role_is_refused(org: Org) -> None:
    with pytest.raises(ValueError, match="role"):
        org.okta.org.add_user(role="GOD")
