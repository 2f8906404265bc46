"""The native provider's configuration: ``okta-token:<key>``, then the same ``OKTA_*`` variables.

The engine hands a native provider only its own namespace, without the prefix (``orgName``, not
``okta-token:orgName``: ``GetPackageConfig``, pulumi/pulumi ``pkg/resource/deploy/target.go#L46-72``).
``pulumi_okta_token._settings`` reads settings through a getter of ``okta:<key>`` names, as the dynamic
provider receives them; this module maps the native keys onto those names, so both providers share one
reading of every setting, and rewrites the setting names in error messages back to ``okta-token:<key>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from .._settings import load_settings
from ..errors import ConfigurationError
from .schema import CONFIG_KEYS, PACKAGE

__all__ = ["ENGINE_KEYS", "config_failures", "config_getter", "config_text", "namespaced"]

_DYNAMIC_PREFIX = "okta:"
"""The prefix ``pulumi_okta_token._settings`` asks its getter for."""

ENGINE_KEYS = frozenset({"version", "pluginDownloadURL", "pluginChecksums", "parameterization", "name"})
"""Keys the engine itself may add to a provider's inputs (``registry.go#L47-59``): never settings."""

_SETTING_NAME = re.compile(rf"\bokta:({'|'.join(CONFIG_KEYS)})\b")
_LEADING_SETTING = re.compile(rf"okta:({'|'.join(CONFIG_KEYS)})\b")


def config_text(value: Any) -> str | None:
    """A configuration value as the text ``pulumi_okta_token._settings`` parses.

    Stack config reaches a provider as strings; a typed value (a number from a provider resource, a
    list of scopes) is written the way ``_settings`` reads it: integers without ``.0``, lists and
    objects as JSON.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def config_getter(values: Mapping[str, Any]) -> Callable[[str], str | None]:
    """A getter of ``okta:<key>`` names (what ``load_settings`` asks for) over the native ``values``."""

    def get(name: str) -> str | None:
        if not name.startswith(_DYNAMIC_PREFIX):
            return None
        return config_text(values.get(name[len(_DYNAMIC_PREFIX) :]))

    return get


def namespaced(message: str) -> str:
    """``message`` with each setting named ``okta:<key>`` renamed ``okta-token:<key>``.

    Only the names of settings are rewritten (``okta:apiToken``, ``pulumi config set okta:orgName``);
    the ``OKTA_*`` variables are the same for both providers.
    """
    return _SETTING_NAME.sub(lambda found: f"{PACKAGE}:{found.group(1)}", message)


def config_failures(
    values: Mapping[str, Any], environ: Mapping[str, str], is_unknown: Callable[[Any], bool]
) -> list[str]:
    """Every reason the configuration cannot be used, each naming its setting and never its value.

    ``load_settings`` stops at the first problem, so a setting it refuses is set aside and the rest read
    again, until it accepts them or refuses something that names no single setting (no org or
    credential, a conflict, an environment variable): that is reported only when no setting was refused.
    A refused org setting is replaced by a placeholder org, a refused credential by a placeholder token,
    so the settings read after them are judged too (one reason per org and per credential at most).
    Values not known yet (a preview) are not judged.
    """
    failures = [_unknown_key(key) for key in values if _is_unknown_key(key)]
    remaining = {key: value for key, value in values.items() if key in CONFIG_KEYS and value is not None}
    if any(is_unknown(value) for value in remaining.values()):
        return failures  # the org or the credential may be among the values not known yet
    placeholders: set[str] = set()
    for _ in range(len(CONFIG_KEYS) + 1):
        try:
            load_settings(config_getter(remaining), environ)
        except ConfigurationError as error:
            text = str(error)
            key = _leading_key(text)
            if key is None or key not in remaining or key in placeholders:
                return failures or [namespaced(text)]
            failures.append(namespaced(text))
            placeholders |= _set_aside(remaining, key)
        else:
            break
    return failures


_ORG_SETTINGS = ("orgUrl", "orgName", "baseUrl")
_CREDENTIAL_SETTINGS = ("apiToken", "accessToken", "clientId", "privateKey", "privateKeyId", "scopes")
_PLACEHOLDERS = {"orgUrl": "https://placeholder.okta.com", "apiToken": "placeholder"}


def _set_aside(remaining: dict[str, Any], key: str) -> set[str]:
    """Take ``key`` out of ``remaining``; an org or credential setting takes its group along and leaves
    a placeholder in its place. Returns the placeholders put in."""
    for group, placeholder in ((_ORG_SETTINGS, "orgUrl"), (_CREDENTIAL_SETTINGS, "apiToken")):
        if key in group:
            for name in group:
                remaining.pop(name, None)
            remaining[placeholder] = _PLACEHOLDERS[placeholder]
            return {placeholder}
    del remaining[key]
    return set()


def _is_unknown_key(key: str) -> bool:
    return key not in CONFIG_KEYS and key not in ENGINE_KEYS and not key.startswith("__")


def _unknown_key(key: str) -> str:
    return (
        f"{PACKAGE}:{key} is not a setting of the {PACKAGE} provider (a typo?); its settings are "
        + ", ".join(f"{PACKAGE}:{name}" for name in CONFIG_KEYS)
    )


def _leading_key(message: str) -> str | None:
    """The setting an error of ``load_settings`` is about, when it starts by naming one."""
    found = _LEADING_SETTING.match(message)
    return found.group(1) if found else None
