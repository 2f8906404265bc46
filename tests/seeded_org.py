"""The seeded org the tests start from (the ``org`` fixture of ``tests/conftest.py``), and what they ask
of it: the stack config, the declared ``ci`` token, the live token, the API calls counted.

pytest puts ``tests/`` on ``sys.path`` for ``tests/conftest.py``, so any test imports ``Org`` from here
for its annotations.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_okta_token import ApiTokenProvider
    from pulumi_okta_token.testing import FakeOkta
    from pulumi_okta_token.testing.backend import FakeToken

TOKENS = "/api/v1/api-tokens/*"
"""Every token path, for counting calls in the journal."""


class Org:
    """A fake org with one user, two zones (``office``, ``vpn``), the admin token API calls sign in with
    (``pulumi-automation``), and the token the tests manage (``ci``: ZONE include office). The journal
    starts empty."""

    def __init__(self, okta: FakeOkta) -> None:
        self.okta = okta
        self.user = okta.org.add_user()
        self.office = okta.org.add_zone(name="office")
        self.vpn = okta.org.add_zone(name="vpn")
        self.admin: FakeToken = okta.org.add_token(name="pulumi-automation", user_id=self.user)
        self.token: FakeToken = okta.org.add_token(
            name="ci", user_id=self.user, network={"connection": "ZONE", "include": [self.office]}
        )
        okta.clear_journal()

    @property
    def config(self) -> dict[str, str]:
        """The stack config: org URL and the admin token (sent as a secret)."""
        return {"okta:orgUrl": self.okta.url, "okta:apiToken": self.admin.secret}

    @property
    def auth(self) -> str:
        """The ``Authorization`` header of the admin token."""
        return f"SSWS {self.admin.secret}"

    def declared(self, **overrides: Any) -> dict[str, Any]:
        """The ``ci`` token declared as it is in Okta (``overrides`` change or add inputs)."""
        inputs: dict[str, Any] = {
            "token_id": self.token.id,
            "name": "ci",
            "network": {"connection": "ZONE", "include": [self.office]},
        }
        return {**inputs, **overrides}

    def live(self, token_id: str | None = None) -> Any:
        """The token as the org has it now (``ci`` unless told), ``None`` once revoked."""
        return self.okta.org.token(token_id or self.token.id)

    def calls(self, method: str) -> int:
        """How many ``method`` requests to a token path the fake served."""
        return len(self.okta.calls(method, TOKENS))

    def writes(self) -> int:
        return self.calls("PUT") + self.calls("DELETE")

    @cached_property
    def provider(self) -> ApiTokenProvider:
        """An ``ApiTokenProvider`` configured for this org, in this process (no plugin)."""
        return configured(self.config)

    def outputs(self) -> dict[str, Any]:
        """The outputs of adopting ``ci`` with :attr:`provider` (one GET)."""
        return self.provider.create({"token_id": self.token.id}).outs or {}


def configured(config: dict[str, Any]) -> ApiTokenProvider:
    """An ``ApiTokenProvider`` configured with the stack ``config``, as the plugin configures it."""
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    from pulumi_okta_token import ApiTokenProvider

    provider = ApiTokenProvider()
    provider.configure(ConfigureRequest(Config(raw_config=config, project_name="test")))
    return provider
