"""What the settings' tests share: a stack config getter, loading, and the text of a refusal."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from pulumi_okta_token._settings import OktaSettings, load_settings
from pulumi_okta_token.errors import ConfigurationError

SECRET = "00abcdefSECRETtoken1234567890"
"""A credential-like value that no error, ``repr`` or traceback may show."""


def stack(**values: Any) -> Callable[[str], Any]:
    """A getter like pulumi's ``Config.get`` over ``okta:<key>`` values."""
    return {f"okta:{key}": value for key, value in values.items()}.get


def load(config: Mapping[str, Any] | None = None, **env: str) -> OktaSettings:
    return load_settings(stack(**(config or {})), env)


def refusal(config: Mapping[str, Any] | None = None, **env: str) -> str:
    """Everything a user could see of the error ``load`` raises: its message and its whole traceback
    (chained exceptions included), as the plugin sends it to the engine."""
    with pytest.raises(ConfigurationError) as caught:
        load(config, **env)
    return "".join(traceback.format_exception(caught.value))


def key_body(pem: str) -> str:
    """The key without its ``-----BEGIN``/``-----END`` lines, as it is often pasted."""
    return "\n".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
