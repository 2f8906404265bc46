"""The fake's TLS identity (``FakeOkta(tls=True)``): a fresh self-signed certificate for 127.0.0.1 and
localhost, its own CA, written to a private temporary directory, and the server's SSL context from it.
"""

from __future__ import annotations

import ipaddress
import ssl
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["CERT_FILE", "KEY_FILE", "server_context", "write_certificate"]

CERT_FILE = "cert.pem"
"""The certificate, in PEM: also the CA file a client trusts (``FakeOkta.ca_file``)."""
KEY_FILE = "key.pem"
"""Its private key, in PEM, readable by its owner only."""
HOST = "127.0.0.1"


def write_certificate() -> Path:
    """A new temporary directory holding a fresh ``CERT_FILE`` and ``KEY_FILE``; the caller removes it."""
    directory = Path(tempfile.mkdtemp(prefix="fake-okta-tls-"))
    cert, key = _self_signed_certificate()
    (directory / CERT_FILE).write_bytes(cert)
    (directory / KEY_FILE).write_bytes(key)
    (directory / KEY_FILE).chmod(0o600)
    return directory


def server_context(directory: Path) -> ssl.SSLContext:
    """A server-side SSL context presenting the certificate in ``directory``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / CERT_FILE, directory / KEY_FILE)
    return context


def _self_signed_certificate() -> tuple[bytes, bytes]:
    """A self-signed certificate (and its key) for 127.0.0.1 and localhost, usable as its own CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-okta 127.0.0.1")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem
