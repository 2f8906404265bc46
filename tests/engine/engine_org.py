"""Helpers of the engine tests: comparing the stack state with the seeded org (``seeded_org.Org``,
re-exported here for the tests that import it from this module)."""

from __future__ import annotations

from typing import Any

from seeded_org import TOKENS, Org

from pulumi_okta_token._models import outputs_from_token
from pulumi_okta_token.testing.engine import PROVIDER_KEY

__all__ = ["ABSENT_TOKEN", "TOKENS", "Org", "live_outputs", "without_provider"]

ABSENT_TOKEN = "00T0000000000000000z"


def live_outputs(token: Any) -> dict[str, Any]:
    """The outputs a resource should have for ``token``, as the engine stores them (no ``None`` values)."""
    return {key: value for key, value in outputs_from_token(token).items() if value is not None}


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key != PROVIDER_KEY}
