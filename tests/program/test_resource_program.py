"""Program-level behaviour of ``ApiToken`` under ``pulumi.runtime.set_mocks`` (the provider does not run)."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from pulumi_okta_token import ApiToken, ApiTokenArgs, ApiTokenNetwork, ApiTokenNetworkArgs

TOKEN = "00T1fxzubpqiepH11d38"
ZONE = "nzonkw1sfwwi79Hat2d7"
LIVE_NETWORK = {"connection": "ZONE", "include": [], "exclude": [ZONE]}


class RecordingMocks(pulumi.runtime.Mocks):
    """Records what each resource registers and answers like the provider would."""

    def __init__(self) -> None:
        self.registered: dict[str, pulumi.runtime.MockResourceArgs] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = args
        outputs = {key: value for key, value in args.inputs.items() if key != "__provider"}
        outputs.update(network=LIVE_NETWORK, expires_at="2026-01-01T00:00:00.000Z", token_window="P30D")
        return args.inputs.get("token_id", TOKEN), outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@pytest.fixture
def mocks() -> RecordingMocks:
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, preview=False)
    return recording


def declared(mocks: RecordingMocks, name: str) -> dict[str, Any]:
    return {key: value for key, value in mocks.registered[name].inputs.items() if key != "__provider"}


@pulumi.runtime.test
def test_apitoken_registers_the_dynamic_okta_type(mocks: RecordingMocks) -> Any:
    token = ApiToken("ci", token_id=TOKEN)
    return token.id.apply(
        lambda _: assert_equal(mocks.registered["ci"].typ, "pulumi-python:dynamic/okta:ApiToken")
    )


@pulumi.runtime.test
def test_ip_blocks_and_plural_spelling_register_the_same_props(mocks: RecordingMocks) -> Any:
    plain = ApiToken("plain", token_id=TOKEN, network={"connection": "ZONE", "exclude": [ZONE]})
    blocks = ApiToken("blocks", token_id=TOKEN, network={"connection": "ZONE", "exclude": [{"ip": ZONE}]})
    plural = ApiToken(
        "plural", token_id=TOKEN, network=ApiTokenNetworkArgs(connection="ZONE", excludes=[ZONE])
    )

    def check(_: Any) -> None:
        assert declared(mocks, "plain") == declared(mocks, "blocks") == declared(mocks, "plural")
        assert declared(mocks, "plain")["network"] == {"connection": "ZONE", "exclude": [ZONE]}

    return pulumi.Output.all(plain.id, blocks.id, plural.id).apply(check)


@pulumi.runtime.test
def test_args_class_and_keywords_register_the_same_props(mocks: RecordingMocks) -> Any:
    by_class = ApiToken("by-class", ApiTokenArgs(token_id=TOKEN, name="ci"))
    by_keywords = ApiToken("by-keywords", token_id=TOKEN, name="ci")

    def check(_: Any) -> None:
        assert (
            declared(mocks, "by-class") == declared(mocks, "by-keywords") == {"token_id": TOKEN, "name": "ci"}
        )

    return pulumi.Output.all(by_class.id, by_keywords.id).apply(check)


@pulumi.runtime.test
def test_serialized_provider_is_a_secret_input(mocks: RecordingMocks) -> Any:
    token = ApiToken("ci", token_id=TOKEN)

    def check(_: Any) -> None:
        provider = mocks.registered["ci"].inputs["__provider"]
        assert provider[rpc._special_sig_key] == rpc._special_secret_sig
        assert len(provider["value"]) < 1024

    return token.id.apply(check)


@pulumi.runtime.test
def test_network_output_is_typed(mocks: RecordingMocks) -> Any:
    token = ApiToken("ci", token_id=TOKEN, network={"connection": "ZONE", "exclude": [ZONE]})

    def check(network: Any) -> None:
        assert isinstance(network, ApiTokenNetwork)
        assert (network.connection, list(network.exclude)) == ("ZONE", [ZONE])

    return token.network.apply(check)


@pulumi.runtime.test
def test_output_only_properties_resolve(mocks: RecordingMocks) -> Any:
    token = ApiToken("ci", token_id=TOKEN)
    return pulumi.Output.all(token.expires_at, token.token_window).apply(
        lambda values: assert_equal(values, ["2026-01-01T00:00:00.000Z", "P30D"])
    )


@pulumi.runtime.test
def test_get_looks_up_by_id_without_declaring_a_change(mocks: RecordingMocks) -> Any:
    found = ApiToken.get("existing", TOKEN)
    return found.id.apply(lambda value: assert_equal(value, TOKEN))


def test_missing_token_id_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="token_id"):
        ApiToken("ci", name="no id")  # type: ignore[call-overload]


def test_include_and_includes_together_are_refused() -> None:
    with pytest.raises(TypeError, match="include or includes"):
        ApiTokenNetworkArgs(connection="ZONE", include=[ZONE], includes=[ZONE])


def assert_equal(actual: Any, expected: Any) -> None:
    assert actual == expected
