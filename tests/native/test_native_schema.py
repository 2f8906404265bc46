"""The committed schema and the hand-written classes agree, property by property, and both agree with the
provider's models and settings: what ``pulumi import`` generates from the schema runs against the classes."""

from __future__ import annotations

import inspect
import subprocess
import sys
from typing import Any

import pytest
from every_setting import every_setting

import pulumi_okta_token.native as native
from pulumi_okta_token._models import OUTPUT_FIELDS, TokenSpec
from pulumi_okta_token.native.schema import PACKAGE, SECRET_CONFIG_KEYS, TYPE_TOKEN, schema
from pulumi_okta_token.testing import run_program

RESOURCE = schema()["resources"][TYPE_TOKEN]
NETWORK_TYPE = "okta-token:index:ApiTokenNetwork"
NETWORK = schema()["types"][NETWORK_TYPE]
ALIASES = {"includes", "excludes"}
"""pulumi-okta's spellings, which ``ApiTokenNetworkArgs`` also accepts (not in the schema)."""


def schema_type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if spec["type"] == "array":
        return f"array of {spec['items']['type']}"
    return str(spec["type"])


def annotation_type(annotation: str) -> str:
    """The schema type a class annotation stands for (annotations are strings here)."""
    if "ApiTokenNetwork" in annotation:
        return NETWORK_TYPE
    if "Sequence" in annotation:
        return "array of string"
    assert "[str]" in annotation or annotation == "str", annotation
    return "string"


def keyword_parameters(function: Any) -> dict[str, inspect.Parameter]:
    return {
        name: parameter
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def output_annotations(cls: type) -> dict[str, str]:
    return {name: str(value) for name, value in cls.__annotations__.items()}


def test_the_schema_names_the_package_okta_token() -> None:
    assert schema()["name"] == PACKAGE == "okta-token"
    assert list(schema()["resources"]) == [TYPE_TOKEN]


def test_the_schema_declares_every_setting_the_settings_modules_read() -> None:
    assert set(schema()["config"]["variables"]) == {setting.key for setting in every_setting()}


def test_the_schema_marks_the_credentials_secret() -> None:
    # httpProxy may carry user:password@ (issue 17, item 14)
    assert {"apiToken", "accessToken", "privateKey", "httpProxy"} == SECRET_CONFIG_KEYS


def test_the_args_class_takes_exactly_the_schemas_input_properties() -> None:
    parameters = keyword_parameters(native.ApiTokenArgs.__init__)

    assert set(parameters) == set(RESOURCE["inputProperties"])
    for name, spec in RESOURCE["inputProperties"].items():
        assert annotation_type(str(parameters[name].annotation)) == schema_type(spec), name


def test_the_args_class_requires_exactly_the_schemas_required_inputs() -> None:
    parameters = keyword_parameters(native.ApiTokenArgs.__init__)

    required = {
        name for name, parameter in parameters.items() if parameter.default is inspect.Parameter.empty
    }
    assert required == set(RESOURCE["requiredInputs"])


SAMPLES = {
    "token_id": "00T1fxzubpqiepH11d38",
    "name": "ci",
    "user_id": "00u1fxzubpqiepH11d38",
    "client_name": "Okta API",
    "created": "2025-11-02T14:47:13.000Z",
    "network": {"connection": "ZONE", "exclude": ["nzo1fxzubpqiepH11d38"]},
}


def test_the_resource_takes_every_input_property_as_a_keyword_argument() -> None:
    arguments = {name: SAMPLES[name] for name in RESOURCE["inputProperties"]}

    declared = run_program(lambda: native.ApiToken("ci", **arguments))

    assert declared.types == {"ci": TYPE_TOKEN}
    assert TokenSpec.from_props(declared.inputs["ci"]) == TokenSpec.from_props(arguments)


def test_the_resource_class_outputs_are_the_schemas_properties() -> None:
    annotations = output_annotations(native.ApiToken)

    assert set(annotations) == set(RESOURCE["properties"])
    for name, spec in RESOURCE["properties"].items():
        assert annotation_type(annotations[name]) == schema_type(spec), name


def test_an_output_is_optional_in_the_class_exactly_when_the_schema_does_not_require_it() -> None:
    annotations = output_annotations(native.ApiToken)

    optional = {name for name, annotation in annotations.items() if "Optional" in annotation}
    assert optional == set(RESOURCE["properties"]) - set(RESOURCE["required"])


def test_the_network_args_take_the_schemas_network_properties_and_the_plural_spellings() -> None:
    parameters = keyword_parameters(native.ApiTokenNetworkArgs.__init__)

    assert set(parameters) - ALIASES == set(NETWORK["properties"])
    for name, spec in NETWORK["properties"].items():
        assert annotation_type(str(parameters[name].annotation)) == schema_type(spec), name
    required = {
        name for name, parameter in parameters.items() if parameter.default is inspect.Parameter.empty
    }
    assert required == set(NETWORK["required"])


def test_the_network_output_has_the_schemas_network_properties() -> None:
    parameters = keyword_parameters(native.ApiTokenNetwork.__init__)

    assert set(parameters) == set(NETWORK["properties"])
    for name, spec in NETWORK["properties"].items():
        assert annotation_type(str(parameters[name].annotation)) == schema_type(spec), name


def test_the_schema_inputs_are_the_fields_the_provider_accepts() -> None:
    assert set(RESOURCE["inputProperties"]) == set(TokenSpec.model_fields)


def test_the_schema_outputs_are_the_outputs_the_provider_answers() -> None:
    assert list(RESOURCE["properties"]) == list(OUTPUT_FIELDS)


def test_the_python_settings_point_generated_code_at_this_package() -> None:
    python = schema()["language"]["python"]
    module = python["moduleNameOverrides"]["index"]
    alias = PACKAGE.replace("-", "_")
    # What the generated program does, in a fresh interpreter: no submodule imported by hand.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {python['packageName']} as {alias}; print({alias}.{module}.ApiToken.__module__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pulumi_okta_token.native.resource"


@pytest.mark.parametrize(
    "network",
    [
        {"connection": "ZONE", "include": ["nzo1fxzubpqiepH11d38"], "exclude": []},
        native.ApiTokenNetworkArgs(connection="ANYWHERE"),
    ],
)
def test_the_class_registers_the_schemas_type_with_the_declared_inputs(network: Any) -> None:
    declared = run_program(
        lambda: native.ApiToken("ci", token_id="00T1fxzubpqiepH11d38", name="ci", network=network)
    )

    assert declared.types == {"ci": TYPE_TOKEN}
    TokenSpec.from_props(declared.inputs["ci"])
