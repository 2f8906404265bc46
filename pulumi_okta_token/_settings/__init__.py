"""Where the provider's org URL, credentials and limits come from: stack config, then environment
(private; the provider, the transport, the CLI and the native provider use it).

Settings are read when the provider first needs them and are never stored on the pickled provider:
the credential classes refuse pickling, and their ``repr`` never shows a secret. No error raised here
shows a configured value (``refusals``).

From the top down, each module using only those below it:

``load``         ``OktaSettings`` and ``load_settings``: every setting read, in order
``org``          ``orgUrl``, or ``orgName`` plus ``baseUrl``: the org's base URL (``normalize_org_url``)
``credentials``  the one credential: ``ApiTokenAuth``, ``AccessTokenAuth`` or ``PrivateKeyAuth``
``private_key``  a service app's PEM key, inline or from a file, checked as RSA or EC
``limits``       retries, request timeout, rate-limit headroom and wait: defaults, bounds, reading
``parity``       pulumi-okta's ``maxApiCapacity``, ``backoff``, ``minWaitSeconds``, ``maxWaitSeconds``:
                 honoured or checked, each difference a notice shown once (``warn_once``)
``network``      ``httpProxy`` and ``caFile``
``refusals``     the wording of every error: the setting and the shape it takes, never the value
``urls``         reading URLs and hosts (``is_loopback_host``, ``redact_url``)
``files``        reading a file a setting names, its path never in an error
``sources``      the table of settings (``Setting``: key and variable) and ``Sources``, which reads them
"""

from __future__ import annotations

from .credentials import AccessTokenAuth, ApiTokenAuth, PrivateKeyAuth
from .limits import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_HEADROOM,
    DEFAULT_RATE_LIMIT_WAIT,
    DEFAULT_REQUEST_TIMEOUT,
    MAX_RATE_LIMIT_HEADROOM,
    MAX_RATE_LIMIT_WAIT,
    MAX_REQUEST_TIMEOUT,
    MAX_RETRIES_LIMIT,
)
from .load import OktaSettings, load_settings
from .org import normalize_org_url
from .parity import warn_once
from .sources import DEFAULT_BASE_URL, DEFAULT_SCOPES
from .urls import is_loopback_host, redact_url

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT_HEADROOM",
    "DEFAULT_RATE_LIMIT_WAIT",
    "DEFAULT_REQUEST_TIMEOUT",
    "DEFAULT_SCOPES",
    "MAX_RATE_LIMIT_HEADROOM",
    "MAX_RATE_LIMIT_WAIT",
    "MAX_REQUEST_TIMEOUT",
    "MAX_RETRIES_LIMIT",
    "AccessTokenAuth",
    "ApiTokenAuth",
    "OktaSettings",
    "PrivateKeyAuth",
    "is_loopback_host",
    "load_settings",
    "normalize_org_url",
    "redact_url",
    "warn_once",
]
