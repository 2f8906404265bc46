"""``pulumi-okta-token``: list an org's API tokens, generate their declarations, audit them.

The command line is parsed here and each command runs its module (``list_cmd``, ``generate``,
``audit``). Whatever goes wrong ends as one line on stderr and an exit code, never a traceback:

* 0: done (for ``audit``: passed at ``--fail-on``);
* 1: ``audit`` found something at or above ``--fail-on`` (or could not check a rule of that severity);
* 2: nothing (complete) was produced: a usage or configuration error, or Okta refused or failed.

Credentials come from the environment only, as the provider reads them (``config.load_settings``);
no option takes one, and no message shows one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ..config import OktaSettings
from ..errors import (
    ConfigurationError,
    Forbidden,
    OktaTokenError,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
)
from . import audit as audit_cmd
from . import generate as generate_cmd
from . import list_cmd
from ._audit_rules import RULES
from ._output import Progress, colour_enabled
from ._owners import OwnerDirectory
from ._tokens import (
    NETWORK_CHOICES,
    TokenFilters,
    UsageError,
    cli_settings,
    fetch_tokens,
    parse_duration,
    views,
)

__all__ = ["PROG", "main"]

PROG = "pulumi-okta-token"

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what any Unix tool gives when its reader goes away

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


# --------------------------------------------------------------------------------------------
# Parsing


class _UsageExit(Exception):
    """argparse found a usage error; the message is printed as one line."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors raise instead of printing usage and exiting, and that takes no
    abbreviated option (``--token=...`` must not land in ``--token-window``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _UsageExit(self.prog, message)


def _days(text: str) -> int:
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


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--org-url", metavar="URL", help="the org, e.g. https://acme.okta.com (default: OKTA_ORG_URL)"
    )


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", metavar="GLOB", help="only tokens whose name matches (case-sensitive)")
    parser.add_argument("--owner", metavar="USER_ID", help="only tokens of this user (00u...)")
    parser.add_argument("--network", choices=NETWORK_CHOICES, help="only tokens with this connection")


def _token_window(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--token-window",
        type=_window,
        metavar="DURATION",
        help="the org's token window (P30D by default in Okta) for tokens whose list entry has none",
    )


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="List, declare and audit the API tokens of an Okta org.",
        epilog=SETTINGS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _list_parser(commands)
    _generate_parser(commands)
    _audit_parser(commands)
    return parser


def _list_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "list",
        help="every API token of the org, with last use and days left",
        description="Every API token of the org: id, name, owner, client, network, created, last used, "
        "expires at, days left. The table (default on a terminal; JSON otherwise) shows id, name, owner, "
        "network, last used and days left; --format json or csv has every field, under Okta's names "
        "plus lastUsed and daysLeft.",
        epilog=f"{DERIVED_HELP}\n\nexample:\n  {PROG} list --network anywhere --format csv > tokens.csv\n\n"
        + SETTINGS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    parser.add_argument("--format", choices=list_cmd.FORMATS, help="table (on a terminal), json or csv")
    _filters(parser)
    _token_window(parser)
    parser.set_defaults(run=_run_list)


def _generate_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "generate",
        help="declarations that adopt the tokens as they are",
        description="Declarations for the org's tokens (or those the filters keep), sorted: a Pulumi "
        "program's __main__.py (python) or the `tokens` stack config that examples/tokens_from_config "
        "reads (stack-config). Each declares the token's id, name and network as they are now, so the "
        "first `pulumi up` adopts every token without changing it. Every token is kept in Okta when "
        "its declaration goes or on `pulumi destroy` (retain_on_delete), unless --revoke-on-destroy.",
        epilog=f"examples:\n  {PROG} generate > __main__.py\n"
        f"  {PROG} generate --format stack-config --name 'ci-*' >> Pulumi.dev.yaml\n\n" + SETTINGS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    parser.add_argument(
        "--format", choices=generate_cmd.FORMATS, default="python", help="python (default) or stack-config"
    )
    _filters(parser)
    parser.add_argument(
        "--revoke-on-destroy",
        action="store_true",
        help="leave out retain_on_delete: removing a declaration or `pulumi destroy` REVOKES its token",
    )
    parser.add_argument(
        "--project",
        default=generate_cmd.DEFAULT_PROJECT,
        help="stack-config: the Pulumi project whose config holds `tokens` "
        f"(default {generate_cmd.DEFAULT_PROJECT})",
    )
    parser.set_defaults(run=_run_generate)


def _audit_parser(commands: Any) -> None:
    rules = "\n".join(f"  {rule.id:<22}{rule.severity:<8}{rule.finds}" for rule in RULES.values())
    parser = commands.add_parser(
        "audit",
        help="findings about network, expiry, use, owners and the stack",
        description="Check every token of the org against the rules below; each finding names the rule, "
        "its severity, the token and what to do. Exit 1 when a finding is at or above --fail-on, or when "
        "a rule of that severity could not check everything (say, the credential may not read users).",
        epilog=f"rules:\n{rules}\n\n{DERIVED_HELP}\n\nexamples:\n  {PROG} audit\n"
        f"  pulumi stack export --file state.json && {PROG} audit --stack-state state.json --fail-on medium"
        f"\n\n{SETTINGS_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    parser.add_argument("--format", choices=audit_cmd.FORMATS, help="table (on a terminal) or json")
    parser.add_argument(
        "--rule", action="append", choices=list(RULES), metavar="RULE", help="run only this rule (repeatable)"
    )
    parser.add_argument(
        "--ignore", action="append", choices=list(RULES), metavar="RULE", help="skip this rule (repeatable)"
    )
    parser.add_argument("--expiring-days", type=_days, default=7, metavar="DAYS", help="default 7")
    parser.add_argument("--unused-days", type=_days, default=30, metavar="DAYS", help="default 30")
    _token_window(parser)
    parser.add_argument(
        "--stack-state",
        type=Path,
        metavar="FILE",
        help="JSON of `pulumi stack export`: adds unmanaged, missing",
    )
    parser.add_argument(
        "--fail-on",
        choices=audit_cmd.FAIL_ON,
        default="high",
        help="lowest severity that exits 1 (default high)",
    )
    parser.set_defaults(run=_run_audit)


# --------------------------------------------------------------------------------------------
# Commands


class _Context:
    """What the commands share: the environment, the streams and the clock."""

    def __init__(self, environ: Mapping[str, str], now: datetime) -> None:
        self.environ = environ
        self.now = now
        self.stdout: TextIO = sys.stdout
        self.stderr: TextIO = sys.stderr

    def default_format(self) -> str:
        isatty = getattr(self.stdout, "isatty", None)
        return "table" if isatty and isatty() else "json"

    @property
    def colour(self) -> bool:
        return colour_enabled(self.stdout, self.environ)

    def warn(self, message: str) -> None:
        self.stderr.write(f"{PROG}: {message}\n")


def _filters_of(args: argparse.Namespace) -> TokenFilters:
    return TokenFilters(name=args.name, owner=args.owner, network=args.network)


def _run_list(args: argparse.Namespace, context: _Context) -> int:
    filters = _filters_of(args)
    settings = cli_settings(args.org_url, context.environ)
    tokens = filters.apply(fetch_tokens(settings))
    fmt = args.format or context.default_format()
    shown = views(tokens, context.now, args.token_window)
    context.stdout.write(list_cmd.render_list(shown, fmt, colour=context.colour, org_url=settings.org_url))
    return EXIT_OK


def _run_generate(args: argparse.Namespace, context: _Context) -> int:
    filters = _filters_of(args)
    settings = cli_settings(args.org_url, context.environ)
    everything = fetch_tokens(settings)
    tokens = filters.apply(everything)
    if not tokens:
        which = "no token matches the filters" if everything else f"{settings.org_url} has no API tokens"
        raise UsageError(f"nothing to generate: {which} (nothing was written)")
    generated = generate_cmd.generate(
        tokens,
        args.format,
        org_url=settings.org_url,
        revoke_on_destroy=args.revoke_on_destroy,
        project=args.project,
        org_tokens=everything,
    )
    for token, reason in generated.left_out:
        context.warn(f"left out token {token.id}: {reason}")
    context.stdout.write(generated.text)
    return EXIT_OK


def _run_audit(args: argparse.Namespace, context: _Context) -> int:
    selected = tuple(rule for rule in (args.rule or RULES) if rule not in (args.ignore or ()))
    if not selected:
        raise UsageError("--ignore leaves no rule to run")
    stack_rules = [rule for rule in args.rule or () if rule in audit_cmd.STACK_RULES]
    if stack_rules and args.stack_state is None:
        raise UsageError(
            f"--rule {stack_rules[0]} needs --stack-state FILE (the JSON of `pulumi stack export`)"
        )
    from ._stack_state import read_stack_state

    stack = read_stack_state(args.stack_state) if args.stack_state is not None else None
    settings = cli_settings(args.org_url, context.environ)
    options = audit_cmd.AuditOptions(
        rules=selected,
        expiring_within=timedelta(days=args.expiring_days),
        unused_after=timedelta(days=args.unused_days),
        stack=stack,
    )
    shown = views(fetch_tokens(settings), context.now, args.token_window)
    progress = Progress(context.stderr, "looking up token owners")
    try:
        report = audit_cmd.run_audit(
            shown,
            options,
            org_url=settings.org_url,
            owners=lambda: _owner_directory(settings),
            progress=progress.update,
        )
    finally:
        progress.done()
    fmt = args.format or context.default_format()
    context.stdout.write(audit_cmd.render_audit(report, fmt, fail_on=args.fail_on, colour=context.colour))
    return EXIT_FINDINGS if report.failed(args.fail_on) else EXIT_OK


def _owner_directory(settings: OktaSettings) -> OwnerDirectory:
    from ._owners import OktaOwnerDirectory

    return OktaOwnerDirectory(settings)


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
        return (
            "Okta's rate limit stayed exhausted through every retry: try again in a minute, or raise "
            f"OKTA_MAX_RETRIES. {text}"
        )
    if isinstance(error, ServerError):
        return f"Okta failed to answer, through every retry: {text}"
    if isinstance(error, TransportError):
        return f"no answer from the org: {text}"
    return text


def _first_line(text: str, limit: int = 600) -> str:
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else "unknown error"
    return line if len(line) <= limit else line[:limit] + "..."


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
    context = _Context(os.environ if environ is None else environ, (now or _utc_now)())
    parser = _parser()
    prog = PROG
    try:
        args, extras = parser.parse_known_args(sys.argv[1:] if argv is None else list(argv))
        if args.command is None:
            parser.print_help(context.stdout)
            return EXIT_ERROR
        prog = f"{PROG} {args.command}"
        if extras:
            raise _UsageExit(prog, _unrecognized(extras))
        return int(args.run(args, context))
    except _UsageExit as usage:
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


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
