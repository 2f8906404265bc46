"""``okta:privateKey``: a service app's PEM private key, given inline or as the path of a file.

Neither the key, nor a file's content, nor its path is ever shown: a key body pasted without its
``-----BEGIN`` line would otherwise be read as a path and quoted by the error.
"""

from __future__ import annotations

import os
import re

from .files import UnreadableFile, read_head
from .refusals import fail, refuse_shape

__all__ = ["read_private_key"]

_KEY_BODY_RE = re.compile(r"[A-Za-z0-9+/=\s\\]{64,}")
"""Base64 text: what a PEM key is without its ``-----BEGIN``/``-----END`` lines."""
_MAX_KEY_FILE_BYTES = 64 * 1024


def read_private_key(value: str, where: str) -> str:
    """PEM text given inline (``\\n`` escapes allowed, as CI variables often carry them) or a path to it,
    checked to hold an unencrypted RSA or EC private key."""
    text = value.replace("\\n", "\n") if "-----BEGIN" in value else _read_key_file(value, where)
    _check_private_key(text, where)
    return text


def _read_key_file(value: str, where: str) -> str:
    """The text of the PEM file that ``value`` names; neither the path nor the content is ever shown."""
    try:
        data = read_head(os.path.expanduser(value), _MAX_KEY_FILE_BYTES)
    except UnreadableFile as unreadable:
        refuse_shape(where, _unreadable_key_file(value, unreadable.reason))
    if len(data) > _MAX_KEY_FILE_BYTES:
        refuse_shape(where, f"names a file larger than {_MAX_KEY_FILE_BYTES // 1024} KiB, so not a PEM key")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        refuse_shape(where, "names a file that is not PEM text (it holds bytes PEM never has)")


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
        fail(
            f"{where} does not hold an unencrypted PEM private key (PKCS#8 'BEGIN PRIVATE KEY' or "
            f"'BEGIN RSA PRIVATE KEY'). The key itself is not shown.",
            list_sources=False,
        )
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        fail(
            f"{where} holds a {type(key).__name__}; Okta accepts RSA or EC keys for private_key_jwt.",
            list_sources=False,
        )
