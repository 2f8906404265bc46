"""What the commands share on the command line: the parser class, common options, help texts, and the
``Context`` a command runs in (environment, streams, clock)."""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, NoReturn, TextIO

from .._text import one_line
from ._output import colour_enabled
from ._tokens import NETWORK_CHOICES, TokenFilters, parse_duration

__all__ = [
    "DERIVED_HELP",
    "PROG",
    "SETTINGS_HELP",
    "Context",
    "HelpFormatter",
    "Parser",
    "UsageExit",
    "add_filters",
    "add_org_url",
    "add_token_window",
    "days",
    "filters_of",
    "wrap_line",
]

PROG = "pulumi-okta-token"

SETTINGS_HELP = """\
settings (the environment only, as the provider reads them; never on the command line):
  OKTA_ORG_URL                  the org, e.g. https://acme.okta.com (or --org-url), or
  OKTA_ORG_NAME, OKTA_BASE_URL  acme + okta.com
  OKTA_API_TOKEN                an API token (SSWS), or
  OKTA_ACCESS_TOKEN             an OAuth access token, or
  OKTA_API_CLIENT_ID, OKTA_API_PRIVATE_KEY[, OKTA_API_PRIVATE_KEY_ID, OKTA_API_SCOPES]
                                an OAuth service app (scopes okta.apiTokens.read; for audit's
                                owner rules also okta.users.read and okta.roles.read)
  OKTA_MAX_RETRIES, OKTA_REQUEST_TIMEOUT, OKTA_HTTP_PROXY   as for the provider
  NO_COLOR                      no colour even on a terminal

exit codes: 0 done (audit: passed), 1 audit findings at or above --fail-on,
            2 usage, configuration or Okta error (one line on stderr says what to fix)"""

DERIVED_HELP = """\
derived fields: last used = expiresAt - tokenWindow (the token window restarts at each use, as the
Admin Console counts it); real orgs send tokenWindow null in lists, so last use is unknown unless
--token-window gives the org's window. Days left = whole days until expiresAt."""


class UsageExit(Exception):
    """argparse found a usage error; ``main`` prints the message as one line."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs keep their lines (tables, examples), and a line longer than the terminal is
    wrapped: a paragraph at the margin, a table row under its last column. An example command line is
    never wrapped: it is there to be copied."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            indent + line if _is_command(line) else wrap_line(line, max(width, 40), indent)
            for line in text.splitlines()
        )


def _is_command(line: str) -> bool:
    """An example of the help: a line that runs the command (``  pulumi-okta-token generate ...``)."""
    return line.lstrip().startswith(f"{PROG} ")


_COLUMN_GAP = re.compile(r"\S {2,}(?=\S)")


def wrap_line(line: str, width: int, indent: str = "") -> str:
    """``line`` within ``width`` columns: continuation lines start under its last column (after the last
    run of two or more spaces in its first two thirds), else under its own indent."""
    if len(indent) + len(line) <= width or not line.strip():
        return indent + line
    gaps = [gap.end() for gap in _COLUMN_GAP.finditer(line) if gap.end() <= width * 2 // 3]
    hanging = gaps[-1] if gaps else len(line) - len(line.lstrip())
    return textwrap.fill(
        line.strip(),
        width=width,
        initial_indent=indent + line[: len(line) - len(line.lstrip())],
        subsequent_indent=indent + " " * hanging,
        break_on_hyphens=False,
        break_long_words=False,
    )


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors raise instead of printing usage and exiting, and that takes no
    abbreviated option (``--token=...`` must not land in ``--token-window``). Help is wrapped to the
    terminal (``COLUMNS``, or the terminal's width)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageExit(self.prog, message)


def days(text: str) -> int:
    """An argument type: a whole number of days, 0 or more."""
    if not text.isdigit() or len(text) > 5:
        raise argparse.ArgumentTypeError("takes a whole number of days, 0 or more")
    return int(text)


def _window(text: str) -> timedelta:
    window = parse_duration(text)
    if window is None or window <= timedelta(0):
        raise argparse.ArgumentTypeError(
            "takes an ISO-8601 duration in weeks, days, hours, minutes or seconds, such as P30D"
        )
    return window


def add_org_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--org-url", metavar="URL", help="the org, e.g. https://acme.okta.com (default: OKTA_ORG_URL)"
    )


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", metavar="GLOB", help="only tokens whose name matches (case-sensitive)")
    parser.add_argument("--owner", metavar="USER_ID", help="only tokens of this user (00u...)")
    parser.add_argument("--network", choices=NETWORK_CHOICES, help="only tokens with this connection")


def add_token_window(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--token-window",
        type=_window,
        metavar="DURATION",
        help="the org's token window (P30D by default in Okta) for tokens whose list entry has none",
    )


def filters_of(args: argparse.Namespace) -> TokenFilters:
    return TokenFilters(name=args.name, owner=args.owner, network=args.network)


class Context:
    """What a command runs with: the environment, the moment it started, and its streams."""

    def __init__(self, environ: Mapping[str, str], now: datetime) -> None:
        self.environ = environ
        self.now = now
        self.stdout: TextIO = sys.stdout
        self.stderr: TextIO = sys.stderr

    def default_format(self) -> str:
        """``table`` when stdout is a terminal, else ``json`` (for pipes and files)."""
        isatty = getattr(self.stdout, "isatty", None)
        return "table" if isatty and isatty() else "json"

    @property
    def colour(self) -> bool:
        return colour_enabled(self.stdout, self.environ)

    def warn(self, message: str) -> None:
        """``message`` on stderr as one terminal-safe line (it may quote Okta's text)."""
        self.stderr.write(f"{PROG}: {one_line(message, None)}\n")
