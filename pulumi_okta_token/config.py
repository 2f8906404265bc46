"""Where the provider's org URL, credentials and limits come from: stack config, then environment.

The names are the ones pulumi-okta and Terraform use (FACTS.md §4), plus ``okta:orgUrl`` /
``OKTA_ORG_URL`` for custom domains and the local fake. Settings are read when the provider first
needs them and are never stored on the pickled provider: the credential classes here refuse pickling,
and their ``repr`` never shows a secret.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn
from urllib.parse import urlsplit

from .errors import ConfigurationError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_REQUEST_TIMEOUT",
    "DEFAULT_SCOPES",
    "AccessTokenAuth",
    "ApiTokenAuth",
    "OktaSettings",
    "PrivateKeyAuth",
    "is_loopback_host",
    "load_settings",
    "normalize_org_url",
]

DEFAULT_BASE_URL = "okta.com"
DEFAULT_MAX_RETRIES = 2
DEFAULT_REQUEST_TIMEOUT = 30.0
DEFAULT_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")

ConfigGetter = Callable[[str], Any]


class _Unpicklable:
    """Credentials never travel in a pickle (the provider object is stored in the stack state)."""

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds a credential and is never pickled")


@dataclass(frozen=True)
class _HeaderToken(_Unpicklable):
    """A token sent as it is, after its scheme, in the ``Authorization`` header."""

    scheme: ClassVar[str]
    token: str = field(repr=False)

    @property
    def authorization(self) -> str:
        return f"{self.scheme} {self.token}"


@dataclass(frozen=True)
class ApiTokenAuth(_HeaderToken):
    """An Okta API token, sent as ``Authorization: SSWS <token>``."""

    scheme: ClassVar[str] = "SSWS"


@dataclass(frozen=True)
class AccessTokenAuth(_HeaderToken):
    """An OAuth 2.0 access token with the okta.apiTokens scopes, sent as ``Bearer <token>``."""

    scheme: ClassVar[str] = "Bearer"


@dataclass(frozen=True)
class PrivateKeyAuth(_Unpicklable):
    """An OAuth service app: client credentials with a ``private_key_jwt`` client assertion."""

    client_id: str
    private_key: str = field(repr=False)
    """PEM text of the app's private key (RSA or EC)."""
    key_id: str | None = None
    scopes: tuple[str, ...] = DEFAULT_SCOPES


Auth = ApiTokenAuth | AccessTokenAuth | PrivateKeyAuth


@dataclass(frozen=True)
class OktaSettings:
    """Everything needed to reach one Okta org."""

    org_url: str
    """``https://acme.okta.com`` (or ``http://127.0.0.1:8080`` for a local server), no trailing slash."""
    auth: Auth
    max_retries: int = DEFAULT_MAX_RETRIES
    """Retries after a 429, 500, 503 or 504 (0 = no retry)."""
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    """Seconds one call may take, retries and rate-limit waits included."""
    ca_file: str | None = None
    """Extra CA bundle for https (``SSL_CERT_FILE`` is honoured as well)."""
    http_proxy: str | None = None
    """Proxy for requests to the org; loopback hosts are never proxied."""


# --------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class _Setting:
    """One setting: its stack config key and the environment variable that backs it."""

    key: str
    env: str

    def describe(self) -> str:
        return f"okta:{self.key} / {self.env}"


ORG_URL = _Setting("orgUrl", "OKTA_ORG_URL")
ORG_NAME = _Setting("orgName", "OKTA_ORG_NAME")
BASE_URL = _Setting("baseUrl", "OKTA_BASE_URL")
API_TOKEN = _Setting("apiToken", "OKTA_API_TOKEN")
ACCESS_TOKEN = _Setting("accessToken", "OKTA_ACCESS_TOKEN")
CLIENT_ID = _Setting("clientId", "OKTA_API_CLIENT_ID")
PRIVATE_KEY = _Setting("privateKey", "OKTA_API_PRIVATE_KEY")
PRIVATE_KEY_ID = _Setting("privateKeyId", "OKTA_API_PRIVATE_KEY_ID")
SCOPES = _Setting("scopes", "OKTA_API_SCOPES")
MAX_RETRIES = _Setting("maxRetries", "OKTA_MAX_RETRIES")
REQUEST_TIMEOUT = _Setting("requestTimeout", "OKTA_REQUEST_TIMEOUT")
HTTP_PROXY = _Setting("httpProxy", "OKTA_HTTP_PROXY")

_CREDENTIAL_KINDS: dict[str, tuple[_Setting, ...]] = {
    "API token": (API_TOKEN,),
    "access token": (ACCESS_TOKEN,),
    "private key": (CLIENT_ID, PRIVATE_KEY),
}
"""Each way to authenticate, and the settings whose presence selects it."""

ACCEPTED_SOURCES = f"""\
Set the org and exactly one kind of credential, in the stack config or the environment:
  org:          {ORG_URL.describe()} (a full URL, e.g. https://acme.okta.com), or
                {ORG_NAME.describe()} plus {BASE_URL.describe()} (default {DEFAULT_BASE_URL})
  API token:    {API_TOKEN.describe()}
  access token: {ACCESS_TOKEN.describe()}
  private key:  {CLIENT_ID.describe()}, {PRIVATE_KEY.describe()} (PEM or a file path),
                {PRIVATE_KEY_ID.describe()}, {SCOPES.describe()} (default {" ".join(DEFAULT_SCOPES)})
e.g. `pulumi config set okta:orgName acme` and `pulumi config set --secret okta:apiToken ...`."""


class _Sources:
    """Reads settings from the stack config getter first, then the environment; blank means unset."""

    def __init__(self, config: ConfigGetter | None, environ: Mapping[str, str]) -> None:
        self._config = config
        self._environ = environ

    def from_config(self, setting: _Setting) -> str | None:
        if self._config is None:
            return None
        return _text(self._config(f"okta:{setting.key}"))

    def from_env(self, setting: _Setting) -> str | None:
        return _text(self._environ.get(setting.env))

    def get(self, setting: _Setting) -> tuple[str, str] | None:
        """``(value, where it came from)`` or None."""
        value = self.from_config(setting)
        if value is not None:
            return value, f"okta:{setting.key}"
        value = self.from_env(setting)
        if value is not None:
            return value, setting.env
        return None

    def value(self, setting: _Setting) -> str | None:
        found = self.get(setting)
        return found[0] if found else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    return text or None


# --------------------------------------------------------------------------------------------
# Loading


def load_settings(
    config: ConfigGetter | None = None, environ: Mapping[str, str] | None = None
) -> OktaSettings:
    """Resolve the settings: each from the stack config (``config("okta:<key>")``) first, then ``environ``.

    Credentials: the stack config's kind wins over whatever the environment holds; two kinds in the same
    place are a conflict. Raises ``ConfigurationError`` naming every accepted source when the org or the
    credential is missing or ambiguous, for ``http://`` to a non-loopback host, and for bad limits.
    """
    sources = _Sources(config, os.environ if environ is None else environ)
    return OktaSettings(
        org_url=_org_url(sources),
        auth=_auth(sources),
        max_retries=_max_retries(sources),
        request_timeout=_request_timeout(sources),
        http_proxy=sources.value(HTTP_PROXY),
    )


def _fail(problem: str, *, list_sources: bool = True) -> NoReturn:
    raise ConfigurationError(f"{problem}\n{ACCEPTED_SOURCES}" if list_sources else problem)


_ORG_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
_BASE_URL_RE = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


def _org_url(sources: _Sources) -> str:
    url = sources.get(ORG_URL)
    name = sources.get(ORG_NAME)
    from_name = _url_from_name(name, sources.get(BASE_URL)) if name else None
    if url is None:
        if from_name is None:
            _fail("No Okta org is configured.")
        return from_name
    normalized = normalize_org_url(*url)
    if name is not None and from_name is not None and from_name != normalized.lower():
        _fail(f"{url[1]} ({normalized}) and {name[1]} ({from_name}) name different orgs: keep one of them.")
    return normalized


def _url_from_name(name: tuple[str, str], base: tuple[str, str] | None) -> str:
    value, where = name
    if not _ORG_NAME_RE.match(value):
        _fail(
            f"{where} is {value!r}, but it takes the org's subdomain only (e.g. 'acme' for "
            f"https://acme.okta.com); give a full URL with {ORG_URL.describe()} instead."
        )
    base_value, base_where = base if base else (DEFAULT_BASE_URL, BASE_URL.key)
    if not _BASE_URL_RE.match(base_value):
        _fail(
            f"{base_where} is {base_value!r}, but it takes a domain such as 'okta.com', 'oktapreview.com' "
            f"or 'okta-emea.com'; give a full URL with {ORG_URL.describe()} instead."
        )
    return f"https://{value}.{base_value}".lower()


def normalize_org_url(value: str, where: str = ORG_URL.key) -> str:
    """``scheme://host[:port]`` without a trailing slash; plain http only to loopback hosts."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        _fail(f"{where} is {value!r}, which is not a URL ({exc}).")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        _fail(f"{where} is {value!r}, but it must be a URL such as https://acme.okta.com.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        _fail(
            f"{where} is {value!r}, but it must be the org's base URL with no path, query or user info, "
            f"such as https://acme.okta.com."
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        _fail(
            f"{where} is {value!r}: plain http is only allowed to this machine "
            f"(localhost, 127.0.0.0/8, ::1), "
            f"an Okta org needs https."
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 and ::1."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _auth(sources: _Sources) -> Auth:
    kind = _credential_kind(sources)
    if kind == "API token":
        return ApiTokenAuth(_required(sources, API_TOKEN))
    if kind == "access token":
        return AccessTokenAuth(_required(sources, ACCESS_TOKEN))
    return _private_key_auth(sources)


def _credential_kind(sources: _Sources) -> str:
    for place, read in (("the stack config", sources.from_config), ("the environment", sources.from_env)):
        found = {
            kind: [s for s in settings if read(s) is not None] for kind, settings in _CREDENTIAL_KINDS.items()
        }
        kinds = [kind for kind, present in found.items() if present]
        if len(kinds) > 1:
            names = ", ".join(
                (f"okta:{s.key}" if place == "the stack config" else s.env)
                for kind in kinds
                for s in found[kind]
            )
            _fail(f"Conflicting Okta credentials in {place}: {names} set; keep exactly one kind.")
        if kinds:
            return kinds[0]
    _fail("No Okta credentials are configured.")


def _required(sources: _Sources, setting: _Setting) -> str:
    value = sources.value(setting)
    if value is None:
        _fail(f"{setting.describe()} is required.")
    return value


def _private_key_auth(sources: _Sources) -> PrivateKeyAuth:
    missing = [s.describe() for s in (CLIENT_ID, PRIVATE_KEY) if sources.value(s) is None]
    if missing:
        _fail(f"Private key authentication needs {' and '.join(missing)} as well.")
    client_id = _required(sources, CLIENT_ID)
    key_value, key_where = sources.get(PRIVATE_KEY) or ("", PRIVATE_KEY.key)
    scopes = _scopes(sources.value(SCOPES))
    return PrivateKeyAuth(
        client_id=client_id,
        private_key=_private_key_pem(key_value, key_where),
        key_id=sources.value(PRIVATE_KEY_ID),
        scopes=scopes or DEFAULT_SCOPES,
    )


def _scopes(text: str | None) -> tuple[str, ...]:
    """Space- or comma-separated, or a JSON list (a YAML list in the stack config arrives as one)."""
    if not text:
        return DEFAULT_SCOPES
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            text = " ".join(str(item) for item in items)
    return tuple(scope for scope in re.split(r"[\s,]+", text) if scope)


def _private_key_pem(value: str, where: str) -> str:
    """PEM text given inline (``\\n`` escapes allowed, as CI variables often carry them) or a path to it."""
    if "-----BEGIN" in value:
        text = value.replace("\\n", "\n")
    else:
        path = os.path.expanduser(value)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            _fail(
                f"{where} is neither PEM text nor a readable file ({type(exc).__name__}: {exc.strerror}). "
                f"Give the key itself ('-----BEGIN PRIVATE KEY-----...') or the path of a PEM file."
            )
    _check_private_key(text, where)
    return text


def _check_private_key(pem: str, where: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        _fail(
            f"{where} does not hold an unencrypted PEM private key (PKCS#8 'BEGIN PRIVATE KEY' or "
            f"'BEGIN RSA PRIVATE KEY'). The key itself is not shown."
        )
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        _fail(f"{where} holds a {type(key).__name__}; Okta accepts RSA or EC keys for private_key_jwt.")


def _max_retries(sources: _Sources) -> int:
    found = sources.get(MAX_RETRIES)
    if found is None:
        return DEFAULT_MAX_RETRIES
    value, where = found
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        _fail(
            f"{where} is {value!r}, but it must be a whole number of retries from 0 to 100.",
            list_sources=False,
        )
    return number


def _request_timeout(sources: _Sources) -> float:
    found = sources.get(REQUEST_TIMEOUT)
    if found is None:
        return DEFAULT_REQUEST_TIMEOUT
    value, where = found
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        _fail(
            f"{where} is {value!r}, but it must be a number of seconds above 0 and at most 3600.",
            list_sources=False,
        )
    return seconds
