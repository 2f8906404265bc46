"""The org: ``okta:orgUrl``, or ``okta:orgName`` plus ``okta:baseUrl``, read into one base URL."""

from __future__ import annotations

import re

from .refusals import fail, refuse_shape
from .sources import (
    ACCESS_TOKEN,
    API_TOKEN,
    BASE_URL,
    CLIENT_ID,
    DEFAULT_BASE_URL,
    ORG_NAME,
    ORG_URL,
    PRIVATE_KEY,
    Sources,
)
from .urls import is_loopback_host, split_url, valid_host

__all__ = ["normalize_org_url", "read_org_url"]

_ORG_NAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_BASE_URL_RE = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_API_TOKEN_LIKE_RE = re.compile(r"00[A-Za-z0-9_-]{30,}")
"""An Okta API token's shape (``00`` and some 40 more characters): no org name looks like that."""


def read_org_url(sources: Sources) -> str:
    """The org's base URL from ``orgUrl`` or from ``orgName`` and ``baseUrl``; both must agree if given."""
    url = sources.get(ORG_URL)
    name = sources.get(ORG_NAME)
    from_name = _url_from_name(name, sources.get(BASE_URL)) if name else None
    if url is None:
        if from_name is None:
            fail("No Okta org is configured.")
        return from_name
    normalized = normalize_org_url(*url)
    if name is not None and from_name is not None and from_name != normalized.lower():
        fail(
            f"{url[1]} and {name[1]} name different orgs: keep one of them "
            f"({ORG_URL.key} for a custom domain, {ORG_NAME.key} for <name>.okta.com)."
        )
    return normalized


def _url_from_name(name: tuple[str, str], base: tuple[str, str] | None) -> str:
    value, where = name
    if _API_TOKEN_LIKE_RE.fullmatch(value):
        refuse_shape(
            where,
            f"looks like an Okta API token, not an org name: give the token with {API_TOKEN.describe()} "
            f"(`pulumi config set --secret okta:{API_TOKEN.key} ...`) and the org's subdomain here",
        )
    if not _ORG_NAME_RE.fullmatch(value):
        refuse_shape(
            where,
            "takes the org's subdomain only: letters, digits and inner hyphens, at most 63 characters "
            f"(e.g. 'acme' for https://acme.okta.com); give a full URL with {ORG_URL.describe()} instead",
        )
    base_value, base_where = base if base else (DEFAULT_BASE_URL, BASE_URL.key)
    if not _BASE_URL_RE.fullmatch(base_value):
        refuse_shape(
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
    parts = split_url(value)
    if parts is None or parts.scheme not in ("https", "http") or not valid_host(parts.hostname):
        refuse_shape(where, expected)
    if parts.username is not None or parts.password is not None:
        refuse_shape(
            where,
            "holds user info (user:password@ before the host), and credentials do not belong in the org "
            f"URL: remove it, and give the credential with {API_TOKEN.describe()}, "
            f"{ACCESS_TOKEN.describe()} or {CLIENT_ID.describe()} plus {PRIVATE_KEY.describe()}",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        refuse_shape(where, f"{expected}, with no path, query or fragment")
    host = str(parts.hostname).lower()
    if parts.scheme == "http" and not is_loopback_host(host):
        fail(
            f"{where} uses plain http to a host that is not this machine: plain http is only allowed to "
            "localhost, 127.0.0.0/8 and ::1; an Okta org needs https.",
            list_sources=False,
        )
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port is not None else "")
