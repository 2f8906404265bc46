"""``okta:httpProxy``: a proxy URL, its user info never shown."""

from __future__ import annotations

import pytest
from settings_support import SECRET, load, refusal

from pulumi_okta_token._settings import redact_url


def test_http_proxy_comes_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "httpProxy": "http://proxy:3128"})
    assert settings.http_proxy == "http://proxy:3128"


def test_http_proxy_with_user_info_is_accepted() -> None:
    proxy = f"http://user:{SECRET}@proxy.example.com:3128"
    assert load({"orgName": "acme", "apiToken": "00x", "httpProxy": proxy}).http_proxy == proxy


@pytest.mark.parametrize(
    "proxy",
    [f"ftp://user:{SECRET}@proxy:21", f"http://user:{SECRET}@proxy:port", f"http://user:{SECRET}@proxy/p",
     f"user:{SECRET}@proxy:3128"],
)  # fmt: skip
def test_http_proxy_that_is_not_a_proxy_url_is_refused_without_showing_it(proxy: str) -> None:
    text = refusal({"orgName": "acme", "apiToken": "00x", "httpProxy": proxy})
    assert "okta:httpProxy must be a proxy URL" in text
    assert SECRET not in text


def test_settings_repr_never_shows_the_proxy_user_info() -> None:
    settings = load({"orgName": "acme", "apiToken": "00x", "httpProxy": f"http://u:{SECRET}@proxy:3128"})
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("url", "shown"),
    [(f"http://user:{SECRET}@proxy:3128", "http://***@proxy:3128"),
     (f"https://{SECRET}@proxy", "https://***@proxy"),
     ("http://proxy:3128", "http://proxy:3128"),
     (f"http://user:{SECRET}@proxy:port", "<not a URL>")],
)  # fmt: skip
def test_redact_url_replaces_user_info(url: str, shown: str) -> None:
    assert redact_url(url) == shown
