"""``pulumi-okta-token policy-pack``: write the policy pack for this install and print its directory.

For ``pulumi preview --policy-pack "$(pulumi-okta-token policy-pack)"`` (and ``pulumi up``): the directory
holds ``PulumiPolicy.yaml`` naming the virtualenv this command runs in, and the pack's ``__main__.py``
(``policy._location``). Nothing is read from Okta; no setting is needed. The pack needs the
``pulumi-policy`` package (the ``policy`` extra): without it the command says so and exits 2, rather
than print a pack that would fail inside ``pulumi preview``.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from .._text import terminal_text
from ..policy._location import pack_directory
from ._args import PROG, Context
from ._tokens import UsageError

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add ``policy-pack`` to the subcommands."""
    parser = commands.add_parser(
        "policy-pack",
        help="write the Pulumi policy pack for this install and print its directory",
        description="Write the policy pack that judges every ApiToken a Pulumi program declares "
        "(network-anywhere, network-exclude-only, network-undeclared, expiring) and print its directory. "
        "Its PulumiPolicy.yaml names the virtualenv this command runs in, so Pulumi runs the pack with "
        "the interpreter that has pulumi-okta-token and pulumi-policy installed.",
        epilog="examples:\n"
        f'  pulumi preview --policy-pack "$({PROG} policy-pack)"\n'
        f'  pulumi up --policy-pack "$({PROG} policy-pack)" --policy-pack-config policy.json\n\n'
        "The directory defaults to $XDG_CACHE_HOME/pulumi-okta-token/policy-pack/<key> (~/.cache without "
        "XDG_CACHE_HOME), one per interpreter and version; --dir writes it elsewhere.",
    )
    parser.add_argument("--dir", type=Path, metavar="DIR", help="write the pack into DIR instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    """``policy-pack``: write the pack, print its directory (a warning on stderr without a virtualenv)."""
    if importlib.util.find_spec("pulumi_policy") is None:
        raise UsageError(
            "the policy pack needs the pulumi-policy package, which is not installed here: "
            "pip install 'pulumi-okta-token[policy]'"
        )
    try:
        written = pack_directory(args.dir, environ=context.environ)
    except OSError as error:
        where = terminal_text(error.filename or args.dir or "the cache directory")
        raise UsageError(f"cannot write the policy pack into {where}: {error.strerror}") from None
    if written.virtualenv is None:
        context.warn(
            "this Python is not a virtualenv, so PulumiPolicy.yaml names none: Pulumi's Python language "
            "host (v3.221 or later) then runs the pack with the python3 on PATH (or $PULUMI_PYTHON_CMD), "
            "which must have pulumi-okta-token[policy]; older hosts need a virtualenv"
        )
    context.stdout.write(f"{written.path}\n")
    return 0
