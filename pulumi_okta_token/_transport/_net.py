"""Where a request goes and how it is secured: proxy choice, TLS trust, the User-Agent.

Pure functions of the settings and the environment, with no aiohttp and no SDK in them, so anything that
opens connections (the SDK adapter's HTTP client today, a process-wide connection pool tomorrow) asks the
same questions in one place, and tests answer them without a network:

* ``proxy_for``: loopback hosts are never proxied, ``NO_PROXY`` is honoured as curl reads it, else the
  configured proxy, else ``HTTPS_PROXY`` for https and ``HTTP_PROXY`` for http (lower-case names win);
* ``ssl_context``: the system's trust (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` included) plus ``ca_file``
  (``okta:caFile``), which adds to it and never replaces it;
* ``user_agent``: ``pulumi-okta-token/<version>``.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

from .._settings import is_loopback_host
from .._settings.sources import CA_FILE
from .._version import __version__
from ..errors import ConfigurationError

__all__ = ["proxy_for", "ssl_context", "user_agent"]


def proxy_for(url: str, explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The proxy for ``url``: none for loopback hosts or ``NO_PROXY`` matches; else ``explicit`` or the
    environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` for the URL's scheme (lower-case names win)."""
    env = os.environ if environ is None else environ
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback_host(host):
        return None
    if _bypasses_proxy(host, parts.port, env.get("no_proxy") or env.get("NO_PROXY") or ""):
        return None
    if explicit:
        return explicit
    name = f"{parts.scheme}_proxy"
    return env.get(name) or env.get(name.upper()) or None


def _bypasses_proxy(host: str, port: int | None, no_proxy: str) -> bool:
    """``NO_PROXY`` as curl reads it: ``*``, host names and domain suffixes (``.example.com`` or
    ``example.com``), optionally with ``:port``, and IP addresses or CIDR blocks."""
    host = host.lower().strip("[]").rstrip(".")
    for entry in (item.strip().lower() for item in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and (not entry_port.isdigit() or port != int(entry_port)):
            continue
        name = name.strip("[]").rstrip(".")
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                return True
            continue
        except ValueError:
            pass
        domain = name.lstrip("*").lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """The TLS context for https: the default trust (which honours ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``)
    plus ``ca_file``; ``ConfigurationError`` when that file cannot be loaded. Cached per trust source."""
    return _ssl_context_for(ca_file, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=8)
def _ssl_context_for(ca_file: str | None, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()  # honours SSL_CERT_FILE / SSL_CERT_DIR
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)  # added to the default trust, never replacing it
        except (OSError, ssl.SSLError):
            # Neither the path nor the error (an OSError quotes the path) is shown, as in _settings.refusals.
            raise ConfigurationError(
                f"{CA_FILE.describe()} cannot be loaded: it must name a readable PEM file of CA "
                "certificates ('-----BEGIN CERTIFICATE-----' blocks). (The value is not shown.)"
            ) from None
    return context


def user_agent() -> str:
    """``pulumi-okta-token/<version>``."""
    return f"pulumi-okta-token/{__version__}"
