"""``python -m pulumi_okta_token.testing``: serve a fake Okta org until interrupted.

The first line printed is the org URL (through a latency relay with ``--rtt``); then one line per
seeded token (id, name, owner; never a secret: give secrets in the seed file to use them). Seed file::

    {"users": [{"id": "00u...", "login": "...", "status": "ACTIVE", "roles": ["SUPER_ADMIN"],
                "firstName": "...", "lastName": "...", "created": "...", "lastLogin": "..."}],
     "zones": [{"id": "nzo...", "name": "office"}],
     "tokens": [{<Okta ApiToken JSON>, "secret": "..."}]}

Every part and every value may be missing; missing values are filled realistically. A user's
``status`` is one of Okta's (``STAGED``, ``PROVISIONED``, ``ACTIVE``, ``RECOVERY``, ``PASSWORD_EXPIRED``,
``LOCKED_OUT``, ``SUSPENDED``, ``DEPROVISIONED``; default ``ACTIVE``) and ``roles`` lists its standard
admin roles (``SUPER_ADMIN``, ``ORG_ADMIN``, ``READ_ONLY_ADMIN``, ``API_ACCESS_MANAGEMENT_ADMIN``, ...;
default ``["SUPER_ADMIN"]``, ``[]`` for none). Its API tokens act as super admin when it holds
``SUPER_ADMIN``, read only with ``READ_ONLY_ADMIN``, not at all otherwise, and are refused (401) once
it is ``DEPROVISIONED``. ``GET /api/v1/users/{id}`` and ``GET /api/v1/users/{id}/roles`` serve them.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_okta_token.testing",
        description="Serve a fake Okta org (API tokens, and its users and their admin roles).",
    )
    parser.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument(
        "--seed",
        type=Path,
        help="JSON file of users (with status and roles), zones and tokens to start with",
    )
    parser.add_argument("--tls", action="store_true", help="serve https with a self-signed certificate")
    parser.add_argument(
        "--rate-limit",
        type=int,
        help="requests a minute in the /api/v1 bucket that all API-token endpoints share (default 600)",
    )
    parser.add_argument("--no-rate-limit", action="store_true", help="switch rate limiting off")
    parser.add_argument(
        "--token-share",
        type=int,
        default=50,
        help="percent of the bucket one API token or OAuth app may use, 5 to 100 (default 50, as Okta)",
    )
    parser.add_argument(
        "--rtt",
        type=float,
        help="seconds of network round-trip time: the printed URL goes through a loopback latency relay",
    )
    parser.add_argument(
        "--page-size", type=int, help="list page size when a request gives no limit (1 to 200)"
    )
    parser.add_argument(
        "--full-list-entries",
        action="store_true",
        help="list entries as full as a GET's answer (default: tokenWindow null, as a real org's list)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    seed = None
    if args.seed is not None:
        try:
            seed = json.loads(args.seed.read_text())
        except (OSError, ValueError) as error:
            print(f"cannot read seed file {args.seed}: {error}", file=sys.stderr)
            return 2
    from .okta.fake import FakeOkta  # aiohttp is imported only once the arguments are good

    stop = threading.Event()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    options: dict[str, Any] = {"tls": args.tls, "page_size": args.page_size, "port": args.port}
    options["token_share"] = args.token_share
    options["rtt"] = args.rtt
    options["full_list_entries"] = args.full_list_entries
    if args.no_rate_limit or args.rate_limit is not None:
        options["rate_limit"] = None if args.no_rate_limit else args.rate_limit
    try:
        okta = FakeOkta(**options)
    except ValueError as error:
        print(f"invalid option: {error}", file=sys.stderr)
        return 2
    with okta:
        try:
            tokens = okta.org.load_seed(seed) if seed is not None else []
        except (ValueError, TypeError) as error:
            print(f"invalid seed file {args.seed}: {error}", file=sys.stderr)
            return 2
        print(okta.url, flush=True)
        if okta.ca_file:
            print(f"certificate: {okta.ca_file}", flush=True)
        for token in tokens:
            print(f"token {token.id} {token.metadata.name!r} user {token.metadata.user_id}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
