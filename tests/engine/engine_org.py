"""The org the ApiToken engine tests manage, and helpers to compare the state with it."""

from __future__ import annotations

from typing import Any

from pulumi_okta_token._models import outputs_from_token
from pulumi_okta_token.testing.engine import PROVIDER_KEY

TOKENS = "/api/v1/api-tokens/*"
ABSENT_TOKEN = "00T0000000000000000z"


class Org:
    """A fake org with one user, two zones, the admin token the provider signs in with, and the token
    the tests manage (``ci``: ZONE include office). The journal starts empty."""

    def __init__(self, okta: Any) -> None:
        self.okta = okta
        self.user = okta.org.add_user()
        self.office = okta.org.add_zone(name="office")
        self.vpn = okta.org.add_zone(name="vpn")
        self.admin = okta.org.add_token(name="pulumi-automation", user_id=self.user)
        self.token = okta.org.add_token(
            name="ci", user_id=self.user, network={"connection": "ZONE", "include": [self.office]}
        )
        okta.clear_journal()

    @property
    def config(self) -> dict[str, str]:
        """The stack config: org URL and the admin token (sent as a secret)."""
        return {"okta:orgUrl": self.okta.url, "okta:apiToken": self.admin.secret}

    def declared(self, **overrides: Any) -> dict[str, Any]:
        """The ``ci`` token declared as it is in Okta."""
        inputs: dict[str, Any] = {
            "token_id": self.token.id,
            "name": "ci",
            "network": {"connection": "ZONE", "include": [self.office]},
        }
        return {**inputs, **overrides}

    def live(self, token_id: str | None = None) -> Any:
        return self.okta.org.token(token_id or self.token.id)

    def calls(self, method: str) -> int:
        return len(self.okta.calls(method, TOKENS))

    def writes(self) -> int:
        return self.calls("PUT") + self.calls("DELETE")


def live_outputs(token: Any) -> dict[str, Any]:
    """The outputs a resource should have for ``token``, as the engine stores them (no ``None`` values)."""
    return {key: value for key, value in outputs_from_token(token).items() if value is not None}


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key != PROVIDER_KEY}
