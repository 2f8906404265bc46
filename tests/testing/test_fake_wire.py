"""How the fake renders a token on the wire: the package's Okta JSON plus what only Okta's answers carry."""

from __future__ import annotations

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token.testing.wire import token_json

TOKEN = "00T1gtr35t8ZbfBfV1d7"
USER = "00unkw1sfbTw08c0g1d7"


def test_a_token_renders_with_links_to_itself_and_its_owner() -> None:
    body = token_json(TokenMetadata(id=TOKEN, user_id=USER), "https://acme.okta.com/")
    assert body["_links"]["self"] == {
        "href": f"https://acme.okta.com/api/v1/api-tokens/{TOKEN}",
        "hints": {"allow": ["GET", "DELETE"]},
    }
    assert body["_links"]["user"]["href"] == f"https://acme.okta.com/api/v1/users/{USER}"


def test_a_token_without_an_owner_renders_no_user_link() -> None:
    assert "user" not in token_json(TokenMetadata(id=TOKEN), "https://acme.okta.com")["_links"]


def test_a_token_without_a_name_renders_name_null_as_okta_does() -> None:
    body = token_json(TokenMetadata(id=TOKEN), "https://acme.okta.com")
    assert list(body)[:2] == ["id", "name"] and body["name"] is None
