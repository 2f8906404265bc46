"""Where the provider's org URL, credentials and limits come from: stack config, then environment.

The names are the ones pulumi-okta and Terraform use (FACTS.md §4), plus ``okta:orgUrl`` /
``OKTA_ORG_URL`` for custom domains and the local fake. Settings are read when the provider first
needs them and are never stored on the pickled provider: the credential classes here refuse pickling,
and their ``repr`` never shows a secret.

No error raised here shows a configured value, not even one that is not a credential: a secret pasted
into the wrong setting (a token as ``orgName``, a key body as a file path) would otherwise travel to the
CLI output and CI logs with the traceback. Errors name the setting and the shape it takes, and chain
no exception (a ``FileNotFoundError`` names its path, which may be the key itself).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn
from urllib.parse import SplitResult, urlsplit

from .errors import ConfigurationError

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
]

DEFAULT_BASE_URL = "okta.com"
DEFAULT_MAX_RETRIES = 2
DEFAULT_REQUEST_TIMEOUT = 30.0
DEFAULT_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")
MAX_RETRIES_LIMIT = 10
"""The most retries ``okta:maxRetries`` accepts. Each retry waits (at least 1 s after a 429, up to 8 s of
backoff after a 5xx), so ten already outlast a rate-limit window or a short outage; beyond that a
failing org is better reported than hammered. The whole exchange stays bounded by ``requestTimeout``."""
MAX_REQUEST_TIMEOUT = 3600.0
"""The most seconds ``okta:requestTimeout`` accepts."""
DEFAULT_RATE_LIMIT_HEADROOM = 10.0
"""Percent of Okta's rate limit left unused for other clients of the same credential."""
MAX_RATE_LIMIT_HEADROOM = 90.0
"""The most headroom ``okta:rateLimitHeadroom`` accepts: the provider keeps some budget of its own."""
DEFAULT_RATE_LIMIT_WAIT = 900.0
"""Seconds one call may wait for rate-limit budget. A call queued behind a whole run of 500 calls at
100 requests a minute (90 usable with the default headroom) waits some 6 minutes; 15 minutes also
leaves room for a budget shared with other clients. Past that, something else holds the budget and an
error that says so is better than a run that seems to hang."""
MAX_RATE_LIMIT_WAIT = 86400.0
"""The most seconds ``okta:rateLimitWait`` accepts (a day)."""

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
    """Retries after a 429, 500, 502, 503 or 504 (0 = no retry; ``load_settings`` allows at most
    ``MAX_RETRIES_LIMIT``)."""
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    """Seconds one request may take, its retries after 5xx answers included; waits for rate-limit
    budget are not (``rate_limit_wait`` bounds them)."""
    rate_limit_headroom: float = DEFAULT_RATE_LIMIT_HEADROOM
    """Percent of Okta's rate limit (``X-Rate-Limit-Limit``) the provider leaves unused for other clients
    of the same credential: it waits for the next window when no more than this is left."""
    rate_limit_wait: float = DEFAULT_RATE_LIMIT_WAIT
    """Seconds one call may wait for rate-limit budget (before sending, and after a 429) in all; 0: never
    wait, fail with ``RateLimited`` instead."""
    ca_file: str | None = None
    """Extra CA bundle for https (``SSL_CERT_FILE`` is honoured as well)."""
    http_proxy: str | None = field(default=None, repr=False)
    """Proxy for requests to the org; loopback hosts are never proxied. It may hold user info, so it is
    left out of ``repr``; show it with ``redact_url``."""


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
RATE_LIMIT_HEADROOM = _Setting("rateLimitHeadroom", "OKTA_RATE_LIMIT_HEADROOM")
RATE_LIMIT_WAIT = _Setting("rateLimitWait", "OKTA_RATE_LIMIT_WAIT")
HTTP_PROXY = _Setting("httpProxy", "OKTA_HTTP_PROXY")
CA_FILE = _Setting("caFile", "OKTA_CA_FILE")

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

NOT_SHOWN = "(The value is not shown: a secret may have been pasted there.)"
"""Ends every error about a value that does not have the shape its setting takes."""


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
    credential is missing or ambiguous, for ``http://`` to a non-loopback host, for a value that does not
    have the shape its setting takes, and for limits out of range. No error shows a configured value.
    """
    sources = _Sources(config, os.environ if environ is None else environ)
    return OktaSettings(
        org_url=_org_url(sources),
        auth=_auth(sources),
        max_retries=_max_retries(sources),
        request_timeout=_request_timeout(sources),
        rate_limit_headroom=_rate_limit_headroom(sources),
        rate_limit_wait=_rate_limit_wait(sources),
        ca_file=_ca_file(sources),
        http_proxy=_http_proxy(sources),
    )


def _fail(problem: str, *, list_sources: bool = True) -> NoReturn:
    """Raise the error with no chained exception: the one being handled may quote a configured value."""
    raise ConfigurationError(f"{problem}\n{ACCEPTED_SOURCES}" if list_sources else problem) from None


def _refuse_shape(where: str, expected: str) -> NoReturn:
    """A value without the shape its setting takes: name the setting and the shape, never the value."""
    _fail(f"{where} {expected}. {NOT_SHOWN}", list_sources=False)


# -- org --------------------------------------------------------------------------------------

_ORG_NAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_BASE_URL_RE = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_HOST_NAME_RE = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*\.?")
_API_TOKEN_LIKE_RE = re.compile(r"00[A-Za-z0-9_-]{30,}")
"""An Okta API token's shape (``00`` and some 40 more characters): no org name looks like that."""


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
        _fail(
            f"{url[1]} and {name[1]} name different orgs: keep one of them "
            f"({ORG_URL.key} for a custom domain, {ORG_NAME.key} for <name>.okta.com)."
        )
    return normalized


def _url_from_name(name: tuple[str, str], base: tuple[str, str] | None) -> str:
    value, where = name
    if _API_TOKEN_LIKE_RE.fullmatch(value):
        _refuse_shape(
            where,
            f"looks like an Okta API token, not an org name: give the token with {API_TOKEN.describe()} "
            f"(`pulumi config set --secret okta:{API_TOKEN.key} ...`) and the org's subdomain here",
        )
    if not _ORG_NAME_RE.fullmatch(value):
        _refuse_shape(
            where,
            "takes the org's subdomain only: letters, digits and inner hyphens, at most 63 characters "
            f"(e.g. 'acme' for https://acme.okta.com); give a full URL with {ORG_URL.describe()} instead",
        )
    base_value, base_where = base if base else (DEFAULT_BASE_URL, BASE_URL.key)
    if not _BASE_URL_RE.fullmatch(base_value):
        _refuse_shape(
            base_where,
            "takes a domain without scheme or path, such as 'okta.com', 'oktapreview.com' or "
            f"'okta-emea.com'; give a full URL with {ORG_URL.describe()} instead",
        )
    return f"https://{value}.{base_value}".lower()


def normalize_org_url(value: str, where: str = f"okta:{ORG_URL.key}") -> str:
    """``scheme://host[:port]`` without a trailing slash; plain http only to loopback hosts.

    Refused, without showing ``value``: anything but an http(s) URL with a host name or address,
    user info (credentials do not belong in the URL), a path, query or fragment.
    """
    expected = "must be the org's base URL, such as https://acme.okta.com"
    parts = _split_url(value)
    if parts is None or parts.scheme not in ("https", "http") or not _valid_host(parts.hostname):
        _refuse_shape(where, expected)
    if parts.username is not None or parts.password is not None:
        _refuse_shape(
            where,
            "holds user info (user:password@ before the host), and credentials do not belong in the org "
            f"URL: remove it, and give the credential with {API_TOKEN.describe()}, "
            f"{ACCESS_TOKEN.describe()} or {CLIENT_ID.describe()} plus {PRIVATE_KEY.describe()}",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        _refuse_shape(where, f"{expected}, with no path, query or fragment")
    host = str(parts.hostname).lower()
    if parts.scheme == "http" and not is_loopback_host(host):
        _fail(
            f"{where} uses plain http to a host that is not this machine: plain http is only allowed to "
            "localhost, 127.0.0.0/8 and ::1; an Okta org needs https.",
            list_sources=False,
        )
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port is not None else "")


def _split_url(value: str) -> SplitResult | None:
    """The parts of ``value``, or None when it is not a URL (``port`` is read here, as it may raise)."""
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return None
    return parts


def _valid_host(host: str | None) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return _HOST_NAME_RE.fullmatch(host) is not None
    return True


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 and ::1, and nothing else.

    Other names ending in ``.localhost`` are not loopback by name: only the resolver decides where they
    go, so they get no plain http and no proxy bypass.
    """
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return address == ipaddress.IPv6Address("::1")
    return address in ipaddress.IPv4Network("127.0.0.0/8")


def redact_url(url: str) -> str:
    """``url`` with its user info replaced by ``***`` (``http://***@proxy:3128``), for messages and logs;
    ``<not a URL>`` when it cannot be read as one."""
    parts = _split_url(url)
    if parts is None:
        return "<not a URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()


# -- credentials ------------------------------------------------------------------------------

_HEADER_TOKEN_RE = re.compile(r"[\x21-\x7e]+")
"""What an ``Authorization`` header value can carry: printable ASCII, no spaces or line breaks."""
_CLIENT_ID_RE = re.compile(r"[A-Za-z0-9._~:@+-]{1,255}")
_KEY_ID_RE = re.compile(r"[\x21-\x7e]{1,255}")
_SCOPE_RE = re.compile(r"okta\.[A-Za-z0-9_-]{1,64}(?:\.[A-Za-z0-9_-]{1,64}){0,4}")
"""The org authorization server grants only ``okta.*`` scopes (``okta.apiTokens.read``)."""
_KEY_BODY_RE = re.compile(r"[A-Za-z0-9+/=\s\\]{64,}")
"""Base64 text: what a PEM key is without its ``-----BEGIN``/``-----END`` lines."""
_MAX_KEY_FILE_BYTES = 64 * 1024


def _auth(sources: _Sources) -> Auth:
    kind = _credential_kind(sources)
    if kind == "API token":
        return ApiTokenAuth(_header_token(sources, API_TOKEN, "an Okta API token"))
    if kind == "access token":
        return AccessTokenAuth(_header_token(sources, ACCESS_TOKEN, "an OAuth access token"))
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


def _required(sources: _Sources, setting: _Setting) -> tuple[str, str]:
    found = sources.get(setting)
    if found is None:
        _fail(f"{setting.describe()} is required.")
    return found


def _header_token(sources: _Sources, setting: _Setting, what: str) -> str:
    value, where = _required(sources, setting)
    if not _HEADER_TOKEN_RE.fullmatch(value):
        _refuse_shape(where, f"must be {what} alone: printable characters, no spaces or line breaks")
    return value


def _private_key_auth(sources: _Sources) -> PrivateKeyAuth:
    missing = [s.describe() for s in (CLIENT_ID, PRIVATE_KEY) if sources.value(s) is None]
    if missing:
        _fail(f"Private key authentication needs {' and '.join(missing)} as well.")
    return PrivateKeyAuth(
        client_id=_client_id(sources),
        private_key=_private_key_pem(*_required(sources, PRIVATE_KEY)),
        key_id=_key_id(sources),
        scopes=_scopes(sources.get(SCOPES)),
    )


def _client_id(sources: _Sources) -> str:
    value, where = _required(sources, CLIENT_ID)
    if not _CLIENT_ID_RE.fullmatch(value):
        _refuse_shape(
            where,
            "must be the service app's client ID, such as 0oa1b2c3d4e5f6g7h8i9 "
            "(letters, digits and . _ ~ : @ + -, at most 255 characters)",
        )
    return value


def _key_id(sources: _Sources) -> str | None:
    found = sources.get(PRIVATE_KEY_ID)
    if found is None:
        return None
    value, where = found
    if not _KEY_ID_RE.fullmatch(value):
        _refuse_shape(
            where, "must be the key's id (kid) as the app lists it: printable characters, no spaces"
        )
    return value


def _scopes(found: tuple[str, str] | None) -> tuple[str, ...]:
    """Space- or comma-separated, or a JSON list (a YAML list in the stack config arrives as one)."""
    if found is None:
        return DEFAULT_SCOPES
    text, where = found
    expected = (
        "takes Okta scopes separated by spaces or commas, or a list of them, "
        f"such as '{' '.join(DEFAULT_SCOPES)}' (each 'okta.' followed by letters and dots)"
    )
    if text.startswith("["):
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            _refuse_shape(where, expected)
        text = " ".join(items)
    scopes = tuple(scope for scope in re.split(r"[\s,]+", text) if scope)
    if not scopes or not all(_SCOPE_RE.fullmatch(scope) for scope in scopes):
        _refuse_shape(where, expected)
    return scopes


def _private_key_pem(value: str, where: str) -> str:
    """PEM text given inline (``\\n`` escapes allowed, as CI variables often carry them) or a path to it."""
    text = value.replace("\\n", "\n") if "-----BEGIN" in value else _read_key_file(value, where)
    _check_private_key(text, where)
    return text


def _read_key_file(value: str, where: str) -> str:
    """The text of the PEM file that ``value`` names; neither the path nor the content is ever shown."""
    try:
        with open(os.path.expanduser(value), "rb") as handle:
            data = handle.read(_MAX_KEY_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        _refuse_shape(where, _unreadable_key_file(value, reason))
    if len(data) > _MAX_KEY_FILE_BYTES:
        _refuse_shape(where, f"names a file larger than {_MAX_KEY_FILE_BYTES // 1024} KiB, so not a PEM key")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        _refuse_shape(where, "names a file that is not PEM text (it holds bytes PEM never has)")


def _unreadable_key_file(value: str, reason: str) -> str:
    pem = "the whole PEM text, '-----BEGIN PRIVATE KEY-----' and '-----END PRIVATE KEY-----' lines included"
    if _KEY_BODY_RE.fullmatch(value):
        return f"looks like the body of a key without its '-----BEGIN' line. Give {pem}, or a PEM file's path"
    return (
        f"has no '-----BEGIN' line, so it is taken as a file path, and no file can be read there ({reason}). "
        f"Give {pem}, or the path of a PEM file"
    )


def _check_private_key(pem: str, where: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except Exception:  # ValueError, TypeError (encrypted), UnsupportedAlgorithm: all mean the same here
        _fail(
            f"{where} does not hold an unencrypted PEM private key (PKCS#8 'BEGIN PRIVATE KEY' or "
            f"'BEGIN RSA PRIVATE KEY'). The key itself is not shown.",
            list_sources=False,
        )
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        _fail(
            f"{where} holds a {type(key).__name__}; Okta accepts RSA or EC keys for private_key_jwt.",
            list_sources=False,
        )


# -- limits and transport ---------------------------------------------------------------------


def _max_retries(sources: _Sources) -> int:
    found = sources.get(MAX_RETRIES)
    if found is None:
        return DEFAULT_MAX_RETRIES
    value, where = found
    if not re.fullmatch(r"[0-9]{1,9}", value):
        _refuse_shape(where, f"must be a whole number of retries from 0 to {MAX_RETRIES_LIMIT}")
    number = int(value)
    if number > MAX_RETRIES_LIMIT:
        _fail(
            f"{where} is above {MAX_RETRIES_LIMIT}, the most retries it allows: each retry waits first, and "
            f"more would hammer a failing org; give 0 to {MAX_RETRIES_LIMIT} (raise "
            f"okta:{REQUEST_TIMEOUT.key} if calls need more time).",
            list_sources=False,
        )
    return number


def _request_timeout(sources: _Sources) -> float:
    expected = (
        f"must be a number of seconds above 0 and at most {MAX_REQUEST_TIMEOUT:.0f}, such as 30 or 12.5"
    )
    return _number(
        sources, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, expected, above_zero=True, most=MAX_REQUEST_TIMEOUT
    )


def _rate_limit_headroom(sources: _Sources) -> float:
    expected = (
        f"must be a percentage of Okta's rate limit from 0 to {MAX_RATE_LIMIT_HEADROOM:.0f}, such as 10 or "
        "25.5 (no % sign)"
    )
    return _number(
        sources, RATE_LIMIT_HEADROOM, DEFAULT_RATE_LIMIT_HEADROOM, expected, most=MAX_RATE_LIMIT_HEADROOM
    )


def _rate_limit_wait(sources: _Sources) -> float:
    expected = (
        f"must be a number of seconds from 0 (never wait) to {MAX_RATE_LIMIT_WAIT:.0f}, such as 900 or 60.5"
    )
    return _number(sources, RATE_LIMIT_WAIT, DEFAULT_RATE_LIMIT_WAIT, expected, most=MAX_RATE_LIMIT_WAIT)


def _number(
    sources: _Sources,
    setting: _Setting,
    default: float,
    expected: str,
    *,
    most: float,
    above_zero: bool = False,
) -> float:
    """A plain decimal number (no sign, exponent, nan or inf) from 0 (or above 0) to ``most``."""
    found = sources.get(setting)
    if found is None:
        return default
    value, where = found
    if not re.fullmatch(r"[0-9]{1,9}(?:\.[0-9]{1,9})?", value):
        _refuse_shape(where, expected)
    number = float(value)
    if number > most or (above_zero and number <= 0):
        _refuse_shape(where, expected)
    return number


def _http_proxy(sources: _Sources) -> str | None:
    """An http(s) proxy URL; user info is allowed (and never shown)."""
    found = sources.get(HTTP_PROXY)
    if found is None:
        return None
    value, where = found
    parts = _split_url(value)
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not _valid_host(parts.hostname)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        _refuse_shape(
            where,
            "must be a proxy URL such as http://proxy.example.com:3128 or http://user:password@proxy:3128 "
            "(http or https, a host, an optional port, no path)",
        )
    return value


def _ca_file(sources: _Sources) -> str | None:
    """The absolute path of a PEM file of CA certificates, added to the system's trust (which it never
    replaces); checked here as the transport will load it, so a wrong file fails before any request."""
    import ssl

    found = sources.get(CA_FILE)
    if found is None:
        return None
    value, where = found
    path = os.path.abspath(os.path.expanduser(value))
    expected = "must be the path of a PEM file of CA certificates ('-----BEGIN CERTIFICATE-----' blocks)"
    try:
        with open(path, "rb") as handle:
            data = handle.read(16 * 1024 * 1024 + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        _refuse_shape(where, f"{expected}, and no file can be read there ({reason})")
    if len(data) > 16 * 1024 * 1024:
        _refuse_shape(where, f"{expected}; it names a file larger than 16 MiB")
    if b"-----BEGIN CERTIFICATE-----" not in data:
        _refuse_shape(where, f"{expected}; it names a file with no such block (DER, a key, or not PEM)")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError):
        _refuse_shape(where, f"{expected}; it names a file with a damaged certificate block")
    return path
