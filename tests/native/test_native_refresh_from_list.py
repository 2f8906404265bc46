"""A refresh of 30 tokens through the native plugin against real-shaped lists (``tokenWindow: null``): the
plugin's ``Read`` hands the state's outputs to the provider, so the reads from the fifth on are answered
by one list page completed from the state (``_transport/stable_fields.py``), and the state matches Okta."""

from __future__ import annotations

from native_org import NativeOrg

from pulumi_okta_token._models import outputs_from_token
from pulumi_okta_token._transport.snapshot import GETS_FIRST
from pulumi_okta_token.testing.engine import NativeEngine

LIST = "/api/v1/api-tokens"
THIRTY = 30


def test_a_refresh_of_30_tokens_against_real_shaped_lists_costs_one_page_and_the_first_gets(
    engine: NativeEngine, org: NativeOrg
) -> None:
    tokens = [org.okta.org.add_token(name=f"svc-{n}", user_id=org.user) for n in range(THIRTY)]
    assert (
        engine.up(
            {f"svc-{n}": {"token_id": token.id, "name": f"svc-{n}"} for n, token in enumerate(tokens)}
        ).errors
        == {}
    )
    org.okta.clear_journal()

    result = engine.refresh()

    assert result.errors == {}
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, GETS_FIRST)
    for n, token in enumerate(tokens):
        live = org.okta.org.token(token.id)
        assert live is not None
        expected = {key: value for key, value in outputs_from_token(live).items() if value is not None}
        assert engine.state[f"svc-{n}"].outputs == expected
