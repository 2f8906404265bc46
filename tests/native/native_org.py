"""The org the native-plugin tests manage, and what a program declares for its tokens."""

from __future__ import annotations

from typing import Any

from pulumi_okta_token._models import outputs_from_token
from pulumi_okta_token._rules import refreshed_inputs

TOKENS = "/api/v1/api-tokens/*"
ABSENT_TOKEN = "00T0000000000000000z"


class NativeOrg:
    """A fake org with one user, two zones, the admin token the provider signs in with, and the tokens
    the tests import: ``ci`` (ZONE include office) and ``backup`` (ANYWHERE). The journal starts empty."""

    def __init__(self, okta: Any) -> None:
        self.okta = okta
        self.user = okta.org.add_user()
        self.office = okta.org.add_zone(name="office")
        self.vpn = okta.org.add_zone(name="vpn")
        self.admin = okta.org.add_token(name="pulumi-automation", user_id=self.user)
        self.token = okta.org.add_token(
            name="ci", user_id=self.user, network={"connection": "ZONE", "include": [self.office]}
        )
        self.backup = okta.org.add_token(name="backup", user_id=self.user)
        okta.clear_journal()

    @property
    def config(self) -> dict[str, str]:
        """The stack config of a native program: org URL and the admin token (a secret)."""
        return {"okta-token:orgUrl": self.okta.url, "okta-token:apiToken": self.admin.secret}

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

    def outputs(self, token_id: str | None = None) -> dict[str, Any]:
        """The outputs a resource has for the live token (no ``None`` values, as the engine stores them)."""
        return {k: v for k, v in outputs_from_token(self.live(token_id)).items() if v is not None}

    def import_inputs(self, token_id: str | None = None) -> dict[str, Any]:
        """The inputs an import records for the live token."""
        return refreshed_inputs(self.live(token_id))

    def calls(self, method: str) -> int:
        return len(self.okta.calls(method, TOKENS))

    def writes(self) -> int:
        return self.calls("PUT") + self.calls("DELETE")
