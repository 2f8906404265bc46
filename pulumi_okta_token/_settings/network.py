"""The way to the org: ``okta:httpProxy`` and ``okta:caFile``, checked before any request is made."""

from __future__ import annotations

import os

from .files import UnreadableFile, read_head
from .refusals import refuse_shape
from .sources import CA_FILE, HTTP_PROXY, Sources
from .urls import split_url, valid_host

__all__ = ["read_ca_file", "read_http_proxy"]

_MAX_CA_FILE_BYTES = 16 * 1024 * 1024


def read_http_proxy(sources: Sources) -> str | None:
    """An http(s) proxy URL; user info is allowed (and never shown)."""
    found = sources.get(HTTP_PROXY)
    if found is None:
        return None
    value, where = found
    parts = split_url(value)
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not valid_host(parts.hostname)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        refuse_shape(
            where,
            "must be a proxy URL such as http://proxy.example.com:3128 or http://user:password@proxy:3128 "
            "(http or https, a host, an optional port, no path)",
        )
    return value


def read_ca_file(sources: Sources) -> str | None:
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
        data = read_head(path, _MAX_CA_FILE_BYTES)
    except UnreadableFile as unreadable:
        refuse_shape(where, f"{expected}, and no file can be read there ({unreadable.reason})")
    if len(data) > _MAX_CA_FILE_BYTES:
        refuse_shape(where, f"{expected}; it names a file larger than 16 MiB")
    if b"-----BEGIN CERTIFICATE-----" not in data:
        refuse_shape(where, f"{expected}; it names a file with no such block (DER, a key, or not PEM)")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError):
        refuse_shape(where, f"{expected}; it names a file with a damaged certificate block")
    return path
