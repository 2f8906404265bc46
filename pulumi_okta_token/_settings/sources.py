"""The settings and where their values come from: the stack config first, then the environment.

Each setting has a stack config key (``okta:<key>``) and an environment variable; the names are the
ones pulumi-okta and Terraform use (FACTS.md §4), plus ``okta:orgUrl`` / ``OKTA_ORG_URL`` for custom
domains and the local fake. Every setting the package reads is a ``Setting`` in the table below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ACCESS_TOKEN",
    "API_TOKEN",
    "BACKOFF",
    "BASE_URL",
    "CA_FILE",
    "CLIENT_ID",
    "DEFAULT_BASE_URL",
    "DEFAULT_SCOPES",
    "HTTP_PROXY",
    "MAX_API_CAPACITY",
    "MAX_RESPONSE_BYTES",
    "MAX_RETRIES",
    "MAX_WAIT_SECONDS",
    "MIN_WAIT_SECONDS",
    "ORG_NAME",
    "ORG_URL",
    "PRIVATE_KEY",
    "PRIVATE_KEY_ID",
    "RATE_LIMIT_HEADROOM",
    "RATE_LIMIT_WAIT",
    "REQUEST_TIMEOUT",
    "SCOPES",
    "ConfigGetter",
    "Setting",
    "Sources",
]

ConfigGetter = Callable[[str], Any]
"""The stack config: ``config("okta:<key>")`` gives a setting's value or None (pulumi's ``Config.get``)."""


@dataclass(frozen=True)
class Setting:
    """One setting: its stack config key and the environment variable that backs it."""

    key: str
    env: str

    def describe(self) -> str:
        return f"okta:{self.key} / {self.env}"


ORG_URL = Setting("orgUrl", "OKTA_ORG_URL")
ORG_NAME = Setting("orgName", "OKTA_ORG_NAME")
BASE_URL = Setting("baseUrl", "OKTA_BASE_URL")
API_TOKEN = Setting("apiToken", "OKTA_API_TOKEN")
ACCESS_TOKEN = Setting("accessToken", "OKTA_ACCESS_TOKEN")
CLIENT_ID = Setting("clientId", "OKTA_API_CLIENT_ID")
PRIVATE_KEY = Setting("privateKey", "OKTA_API_PRIVATE_KEY")
PRIVATE_KEY_ID = Setting("privateKeyId", "OKTA_API_PRIVATE_KEY_ID")
SCOPES = Setting("scopes", "OKTA_API_SCOPES")
MAX_RETRIES = Setting("maxRetries", "OKTA_MAX_RETRIES")
REQUEST_TIMEOUT = Setting("requestTimeout", "OKTA_REQUEST_TIMEOUT")
RATE_LIMIT_HEADROOM = Setting("rateLimitHeadroom", "OKTA_RATE_LIMIT_HEADROOM")
RATE_LIMIT_WAIT = Setting("rateLimitWait", "OKTA_RATE_LIMIT_WAIT")
HTTP_PROXY = Setting("httpProxy", "OKTA_HTTP_PROXY")
CA_FILE = Setting("caFile", "OKTA_CA_FILE")
# pulumi-okta's rate-limit settings (``parity``): the same key and variable names as there.
MAX_API_CAPACITY = Setting("maxApiCapacity", "OKTA_MAX_API_CAPACITY")
BACKOFF = Setting("backoff", "OKTA_BACKOFF")
MIN_WAIT_SECONDS = Setting("minWaitSeconds", "OKTA_MIN_WAIT_SECONDS")
MAX_WAIT_SECONDS = Setting("maxWaitSeconds", "OKTA_MAX_WAIT_SECONDS")
MAX_RESPONSE_BYTES = Setting("maxResponseBytes", "OKTA_MAX_RESPONSE_BYTES")

DEFAULT_BASE_URL = "okta.com"
"""What ``baseUrl`` is when only ``orgName`` is given."""
DEFAULT_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")
"""What ``scopes`` is when a private key is given without it."""


class Sources:
    """Reads settings from the stack config getter first, then the environment; blank means unset."""

    def __init__(self, config: ConfigGetter | None, environ: Mapping[str, str]) -> None:
        self._config = config
        self._environ = environ

    def from_config(self, setting: Setting) -> str | None:
        if self._config is None:
            return None
        return _text(self._config(f"okta:{setting.key}"))

    def from_env(self, setting: Setting) -> str | None:
        return _text(self._environ.get(setting.env))

    def get(self, setting: Setting) -> tuple[str, str] | None:
        """``(value, where it came from)`` or None."""
        value = self.from_config(setting)
        if value is not None:
            return value, f"okta:{setting.key}"
        value = self.from_env(setting)
        if value is not None:
            return value, setting.env
        return None

    def value(self, setting: Setting) -> str | None:
        found = self.get(setting)
        return found[0] if found else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    return text or None
