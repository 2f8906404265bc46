"""``OktaSettings``, everything needed to reach one org, and ``load_settings``, which reads them all."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .credentials import Auth, read_auth
from .limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_HEADROOM,
    DEFAULT_RATE_LIMIT_WAIT,
    DEFAULT_REQUEST_TIMEOUT,
    read_max_response_bytes,
    read_max_retries,
    read_rate_limit_headroom,
    read_rate_limit_wait,
    read_request_timeout,
)
from .network import read_ca_file, read_http_proxy
from .org import read_org_url
from .parity import backoff_notices, capacity_headroom
from .sources import ConfigGetter, Sources

__all__ = ["OktaSettings", "load_settings"]


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
    budget are not (``rate_limit_wait`` bounds them). 0: no limit (``timeout_seconds`` is then None)."""
    rate_limit_headroom: float = DEFAULT_RATE_LIMIT_HEADROOM
    """Percent of Okta's rate limit (``X-Rate-Limit-Limit``) the provider leaves unused for other clients
    of the same credential: it waits for the next window when no more than this is left
    (``okta:rateLimitHeadroom``, or 100 minus pulumi-okta's ``okta:maxApiCapacity``)."""
    rate_limit_wait: float = DEFAULT_RATE_LIMIT_WAIT
    """Seconds one call may wait for rate-limit budget (before sending, and after a 429) in all; 0: never
    wait, fail with ``RateLimited`` instead."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """The largest answer body read; a larger one is refused before it is read (``okta:maxResponseBytes``)."""
    ca_file: str | None = None
    """Extra CA bundle for https (``SSL_CERT_FILE`` is honoured as well)."""
    http_proxy: str | None = field(default=None, repr=False)
    """Proxy for requests to the org; loopback hosts are never proxied. It may hold user info, so it is
    left out of ``repr``; show it with ``redact_url``."""
    notices: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """Settings read differently from pulumi-okta, each naming its key and what happens instead
    (``parity``); ``parity.warn_once`` shows them."""

    @property
    def timeout_seconds(self) -> float | None:
        """``request_timeout``, or None for no limit."""
        return self.request_timeout or None


def load_settings(
    config: ConfigGetter | None = None, environ: Mapping[str, str] | None = None
) -> OktaSettings:
    """Resolve the settings: each from the stack config (``config("okta:<key>")``) first, then ``environ``.

    Credentials: the stack config's kind wins over whatever the environment holds; two kinds in the same
    place are a conflict. Raises ``ConfigurationError`` naming every accepted source when the org or the
    credential is missing or ambiguous, for ``http://`` to a non-loopback host, for a value that does not
    have the shape its setting takes, and for limits out of range. No error shows a configured value.
    pulumi-okta's settings that are read differently here leave a notice on ``OktaSettings.notices``.
    """
    sources = Sources(config, os.environ if environ is None else environ)
    org_url = read_org_url(sources)
    auth = read_auth(sources)
    max_retries, retry_notices = read_max_retries(sources)
    request_timeout = read_request_timeout(sources)
    headroom = read_rate_limit_headroom(sources)
    capacity, capacity_notices = capacity_headroom(sources)
    return OktaSettings(
        org_url=org_url,
        auth=auth,
        max_retries=max_retries,
        request_timeout=request_timeout,
        rate_limit_headroom=headroom if capacity is None else capacity,
        rate_limit_wait=read_rate_limit_wait(sources),
        max_response_bytes=read_max_response_bytes(sources),
        ca_file=read_ca_file(sources),
        http_proxy=read_http_proxy(sources),
        notices=(*retry_notices, *capacity_notices, *backoff_notices(sources)),
    )
