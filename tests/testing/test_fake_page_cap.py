"""``FakeOkta.set_page_cap``: pages hold at most the cap whatever ``limit`` asks, and the next link keeps
the ``limit`` asked."""

from __future__ import annotations

import urllib.request

from pulumi_okta_token.testing import FakeOkta


def test_a_page_cap_serves_fewer_than_the_limit_asked_and_links_with_the_limit_asked() -> None:
    with FakeOkta(rate_limit=None) as okta:
        admin = okta.org.add_token("admin")
        for _ in range(4):
            okta.org.add_token()
        okta.set_page_cap(2)
        request = urllib.request.Request(
            f"{okta.url}/api/v1/api-tokens?limit=200", headers={"Authorization": f"SSWS {admin.secret}"}
        )
        with urllib.request.urlopen(request) as answer:
            links = answer.headers.get_all("Link")
            body = answer.read()

    assert body.count(b'"id"') == 2
    assert any('rel="next"' in link and "limit=200" in link for link in links)
