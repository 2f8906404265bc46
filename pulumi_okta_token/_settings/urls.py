"""Reading URLs and hosts, shared by the org URL, the proxy and the transport: nothing here raises."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

__all__ = ["is_loopback_host", "redact_url", "split_url", "valid_host"]

_HOST_NAME_RE = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*\.?")


def split_url(value: str) -> SplitResult | None:
    """The parts of ``value``, or None when it is not a URL (``port`` is read here, as it may raise)."""
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return None
    return parts


def valid_host(host: str | None) -> bool:
    """A host name or an IP address (``urlsplit``'s ``hostname``: lower case, without brackets)."""
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
    parts = split_url(url)
    if parts is None:
        return "<not a URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()
