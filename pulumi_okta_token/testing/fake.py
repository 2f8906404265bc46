"""``FakeOkta``: the fake org served on 127.0.0.1 from a background thread, for synchronous code.

with FakeOkta() as okta:
    token = okta.org.add_token(name="ci")
    ...  # call okta.url with "Authorization: SSWS <token.secret>"
    assert okta.calls("GET", "/api/v1/api-tokens/*")
"""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import ssl
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from .backend import FakeOrg
from .controls import DEFAULT_RATE_LIMIT, Controls, JournalEntry, path_matches
from .faults import build_fault, fault_catalogue
from .server import build_app

__all__ = ["FakeOkta"]

HOST = "127.0.0.1"


class FakeOkta:
    """A fake Okta org serving the API-token endpoints and the OAuth token endpoint.

    :param tls: serve https with a fresh self-signed certificate for 127.0.0.1 (see ``ca_file``).
    :param rate_limit: requests per endpoint family per minute; ``None`` switches limits off.
    :param page_size: list page size when a request gives no ``limit``; ``None``: one page.
    :param port: 0 picks a free port.
    :param seed: makes generated ids and secrets repeatable.
    :param clock: the org's current time (UTC), also for rate-limit windows; default: the real time.
    """

    def __init__(
        self,
        tls: bool = False,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        page_size: int | None = None,
        port: int = 0,
        seed: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.org = FakeOrg(seed=seed, clock=clock)
        self._controls = Controls(rate_limit=rate_limit, page_size=page_size)
        self._tls = tls
        self._port = port
        self._certificates: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeOkta:
        """Start serving; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeOkta is already running")
        context = self._ssl_context() if self._tls else None
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._bind(context))
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._unbind())
            _cancel_leftovers(loop)
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=serve, name="fake-okta", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            self._remove_certificates()
            raise failure[0]
        return self

    async def _bind(self, context: ssl.SSLContext | None) -> None:
        runner = web.AppRunner(
            build_app(self.org, self._controls), access_log=None, handle_signals=False, shutdown_timeout=0.1
        )
        await runner.setup()
        site = web.TCPSite(runner, HOST, self._port, ssl_context=context)
        await site.start()
        self._runner = runner
        port = runner.addresses[0][1]
        self._url = f"{'https' if context else 'http'}://{HOST}:{port}"

    async def _unbind(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def stop(self) -> None:
        """Stop serving and release the port and thread (safe to call twice)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = None
        self._loop = None
        self._remove_certificates()

    def __enter__(self) -> FakeOkta:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where and how to reach it -------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` (``https`` with ``tls=True``), no trailing slash."""
        if self._url is None:
            raise RuntimeError("FakeOkta is not started: use 'with FakeOkta() as okta:' or start()")
        return self._url

    @property
    def ca_file(self) -> str | None:
        """The PEM file of the self-signed certificate to trust (``tls=True``), else ``None``."""
        if self._certificates is None:
            return None
        return str(self._certificates / "cert.pem")

    def _ssl_context(self) -> ssl.SSLContext:
        directory = Path(tempfile.mkdtemp(prefix="fake-okta-tls-"))
        cert, key = _self_signed_certificate()
        (directory / "cert.pem").write_bytes(cert)
        (directory / "key.pem").write_bytes(key)
        (directory / "key.pem").chmod(0o600)
        self._certificates = directory
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(directory / "cert.pem", directory / "key.pem")
        return context

    def _remove_certificates(self) -> None:
        if self._certificates is not None:
            shutil.rmtree(self._certificates, ignore_errors=True)
            self._certificates = None

    # -- journal -------------------------------------------------------------------------------

    @property
    def journal(self) -> list[JournalEntry]:
        """Every request answered so far, in order (a copy)."""
        return self._controls.journal()

    def calls(self, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Journal entries with this method and path (exact, or a prefix when it ends with ``*``)."""
        return [
            entry
            for entry in self._controls.journal()
            if (method is None or entry.method == method.upper())
            and (path is None or path_matches(path, entry.path))
        ]

    def clear_journal(self) -> None:
        self._controls.clear_journal()

    # -- behaviour -----------------------------------------------------------------------------

    def inject_fault(
        self,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        times: int | None = 1,
        **fields: Any,
    ) -> None:
        """Misbehave on the next ``times`` requests that match ``method`` and ``path`` (``None``: all).

        ``path`` is exact, or a prefix when it ends with ``*``. One fault per call; its keyword picks
        its kind (below). Every fault also takes ``latency`` (seconds to wait before answering) and
        ``headers`` (added to its answer); with only those the request gets its real answer, late.
        A fault is checked before authentication and the rate limit, but the request is journaled
        and counted against its rate-limit bucket as usual. A fault that answers changes nothing in
        the org. A keyword that no fault takes, or two faults in one call, raise an error.

        The faults (each is a class in ``faults.py``):

        """
        fault = build_fault(method=method, path=path, status=status, times=times, **fields)
        fault.bind(self.org)
        self._controls.add_fault(fault)

    inject_fault.__doc__ = (inject_fault.__doc__ or "").rstrip(" ") + fault_catalogue("        ") + "\n"

    def set_rate_limit(self, limit: int | None) -> None:
        """Requests per endpoint family per minute; ``None`` switches rate limiting off."""
        self._controls.rate_limit = limit

    def set_page_size(self, size: int | None) -> None:
        """List page size when a request gives no ``limit``; ``None`` lists everything in one page."""
        self._controls.page_size = size

    def set_null_token_window_in_lists(self, on: bool = True) -> None:
        """Send ``tokenWindow: null`` in list answers, as real orgs do (get answers keep ``P30D``).

        Off by default: the OpenAPI schema declares ``tokenWindow`` a string, so null breaks it.
        """
        self._controls.null_token_window_in_lists = on

    def reset(self) -> None:
        """An empty org, journal and fault list, and fresh rate-limit buckets."""
        self.org.reset()
        self._controls.reset()


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel handlers still running at shutdown (a request sleeping through injected latency)."""
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


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
