"""``pulumi-okta-token``: list an org's API tokens, generate their declarations, audit them, and write
the policy pack that judges what programs declare.

The command line is parsed here and each command runs its module (``list_cmd``, ``generate``,
``audit``, ``policy_pack``). Whatever goes wrong ends as one line on stderr and an exit code, never a
traceback:

* 0: done (for ``audit``: passed at ``--fail-on``);
* 1: ``audit`` found something at or above ``--fail-on`` (or could not check a rule of that severity);
* 2: nothing (complete) was produced: a usage or configuration error, or Okta refused or failed.

Credentials come from the environment only, as the provider reads them (``_settings.load_settings``);
no option takes one, and no message shows one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone

from .._text import one_line
from .._version import __version__
from ..errors import (
    ConfigurationError,
    Forbidden,
    OktaTokenError,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
)
from . import audit, generate, list_cmd, policy_pack
from ._args import PROG, SETTINGS_HELP, Context, Parser, UsageExit
from ._tokens import UsageError

__all__ = ["PROG", "main"]

EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what any Unix tool gives when its reader goes away


# --------------------------------------------------------------------------------------------
# Parsing


def _parser() -> Parser:
    """The whole command line: the three commands under one program."""
    parser = Parser(
        prog=PROG,
        description="List, declare and audit the API tokens of an Okta org; write the policy pack.",
        epilog=SETTINGS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in (list_cmd, generate, audit, policy_pack):
        command.register(commands)
    return parser


# --------------------------------------------------------------------------------------------
# Errors as one line


def _error_line(error: BaseException) -> str:
    """What went wrong, on one line, saying what to do; never a configured value or a credential."""
    text = _first_line(str(error))
    if isinstance(error, ConfigurationError):
        return text
    if isinstance(error, Unauthorized):
        return (
            "Okta did not accept the credential (wrong, revoked or expired): check OKTA_API_TOKEN or the "
            f"OAuth settings. {text}"
        )
    if isinstance(error, Forbidden):
        return (
            "the credential may not read the org's API tokens: an OAuth service app needs the "
            f"okta.apiTokens.read scope, an API token an owner whose admin role can read them. {text}"
        )
    if isinstance(error, RateLimited):
        return f"Okta's rate limit stopped the command (the bound that did, and its setting, follow): {text}"
    if isinstance(error, ServerError):
        return f"Okta failed to answer, through every retry: {text}"
    if isinstance(error, TransportError):
        return f"no answer from the org: {text}"
    return text


def _first_line(text: str, limit: int = 600) -> str:
    """The message's first line, terminal-safe (``_text.one_line``: it may quote Okta's text)."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else "unknown error"
    return one_line(line, limit)


def _unrecognized(extras: Sequence[str]) -> str:
    """The usage error for arguments nobody takes: option names only, never values (one may be a secret
    typed where no option takes it)."""
    names = sorted({extra.split("=", 1)[0] for extra in extras if extra.startswith("-")})
    shown = ", ".join(names) if names else "extra values"
    hint = ""
    if any(word in name.lower() for name in names for word in ("token", "key", "secret", "password")):
        hint = "; credentials are read from the environment only (OKTA_API_TOKEN, ...), never from arguments"
    return f"unrecognized arguments: {shown} (values not shown){hint}"


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    now: Callable[[], datetime] | None = None,
) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    context = Context(os.environ if environ is None else environ, (now or _utc_now)())
    parser = _parser()
    prog = PROG
    try:
        args, extras = parser.parse_known_args(sys.argv[1:] if argv is None else list(argv))
        if args.command is None:
            parser.print_help(context.stdout)
            return EXIT_ERROR
        prog = f"{PROG} {args.command}"
        if extras:
            raise UsageExit(prog, _unrecognized(extras))
        with _rate_limit_waits_told(context):
            return int(args.run(args, context))
    except UsageExit as usage:
        context.stderr.write(f"{usage.prog}: error: {_first_line(str(usage))} (see --help)\n")
    except (UsageError, OktaTokenError) as error:
        context.stderr.write(f"{prog}: error: {_error_line(error)}\n")
    except KeyboardInterrupt:
        context.stderr.write(f"{prog}: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # anything else: still one line, no traceback
        context.stderr.write(
            f"{prog}: error: unexpected {type(error).__name__}: {_first_line(str(error), 200)}\n"
        )
    return EXIT_ERROR


@contextmanager
def _rate_limit_waits_told(context: Context) -> Iterator[None]:
    """A line on stderr each time a request waits for Okta's rate limit: how long and why."""
    from .._transport._budget import announce_waits

    def told(seconds: float, why: str) -> None:
        context.stderr.write(f"{PROG}: waiting {seconds:.0f} s for Okta's rate limit: {why}\n")
        context.stderr.flush()

    stop = announce_waits(told)
    try:
        yield
    finally:
        stop()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
