"""Who an audit ran as: what Okta (or the settings) say of the credential, never its secret."""

from __future__ import annotations

from types import SimpleNamespace

from pulumi_okta_token._settings import AccessTokenAuth, ApiTokenAuth, OktaSettings, PrivateKeyAuth
from pulumi_okta_token.cli._audit_meta import principal_of
from pulumi_okta_token.errors import Forbidden

SECRET = "00secret-never-shown-anywhere-0000000000"


def settings(auth: object) -> OktaSettings:
    return OktaSettings(org_url="https://acme.okta.com", auth=auth)  # type: ignore[arg-type]


def test_an_api_tokens_principal_is_its_owner_by_login() -> None:
    user = SimpleNamespace(id="00uowner000000000001", login="ops@example.com")

    principal = principal_of(settings(ApiTokenAuth(SECRET)), current_user=lambda: user)

    assert principal.shown == "ops@example.com (00uowner000000000001, owner of the API token)"
    assert SECRET not in repr(principal.to_json())


def test_when_okta_does_not_say_the_principal_is_unknown_with_why() -> None:
    def refused() -> object:
        raise Forbidden(status=403, error_code="E0000006", error_summary="You do not have permission")

    principal = principal_of(settings(ApiTokenAuth(SECRET)), current_user=refused)

    assert principal.id is None
    assert principal.shown == "unknown (Okta did not say whose API token this is: You do not have permission)"


def test_an_access_tokens_principal_is_not_guessed() -> None:
    principal = principal_of(settings(AccessTokenAuth(SECRET)), current_user=lambda: None)

    assert (principal.kind, principal.id) == ("access-token", None)


def test_a_service_apps_principal_is_its_client_id(monkeypatch: object) -> None:
    auth = PrivateKeyAuth.__new__(PrivateKeyAuth)
    object.__setattr__(auth, "client_id", "0oaclient00000000001")

    principal = principal_of(settings(auth), current_user=lambda: None)

    assert principal.shown == "OAuth service app 0oaclient00000000001"
