"""``pulumi-okta-token list``: every API token of the org, with the fields the console derives."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from .._text import csv_text, json_text
from ._args import (
    DERIVED_HELP,
    PROG,
    SETTINGS_HELP,
    Context,
    add_filters,
    add_org_url,
    add_token_window,
    filters_of,
)
from ._output import Cell, Column, render_table
from ._tokens import TokenView, cli_settings, fetch_tokens, network_label, views

__all__ = ["CSV_HEADER", "FORMATS", "register", "render_list", "run"]

FORMATS: tuple[str, ...] = ("table", "json", "csv")

CSV_HEADER: tuple[str, ...] = (
    "id",
    "name",
    "userId",
    "clientName",
    "created",
    "lastUpdated",
    "expiresAt",
    "tokenWindow",
    "network.connection",
    "network.include",
    "network.exclude",
    "lastUsed",
    "daysLeft",
)
"""Okta's field names; the network's zone lists hold ids separated by spaces."""

_COLUMNS = (
    Column("ID"),
    Column("NAME", flexible=True, minimum=10),
    Column("OWNER"),
    Column("NETWORK", flexible=True, minimum=8),
    Column("LAST USED"),
    Column("DAYS LEFT", align="right"),
)

_EXPIRING_SOON = 7


def register(commands: Any) -> None:
    """Add ``list`` to the subcommands."""
    parser = commands.add_parser(
        "list",
        help="every API token of the org, with last use and days left",
        description="Every API token of the org: id, name, owner, client, network, created, last used, "
        "expires at, days left. The table (default on a terminal; JSON otherwise) shows id, name, owner, "
        "network, last used and days left; --format json or csv has every field, under Okta's names "
        "plus lastUsed and daysLeft.",
        epilog=f"{DERIVED_HELP}\n\nexample:\n  {PROG} list --network anywhere --format csv > tokens.csv\n\n"
        + SETTINGS_HELP,
    )
    add_org_url(parser)
    parser.add_argument("--format", choices=FORMATS, help="table (on a terminal), json or csv")
    add_filters(parser)
    add_token_window(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    """``list``: print the (filtered) tokens in the chosen format."""
    filters = filters_of(args)
    settings = cli_settings(args.org_url, context.environ)
    tokens = filters.apply(fetch_tokens(settings))
    fmt = args.format or context.default_format()
    shown = views(tokens, context.now, args.token_window)
    context.stdout.write(render_list(shown, fmt, colour=context.colour, org_url=settings.org_url))
    return 0


def render_list(views: Sequence[TokenView], fmt: str, *, colour: bool, org_url: str) -> str:
    """The listing in ``fmt`` (``table``, ``json`` or ``csv``)."""
    if fmt == "json":
        return json_text([view.okta_json() for view in views])
    if fmt == "csv":
        return csv_text(CSV_HEADER, [_csv_row(view) for view in views])
    return _table(views, colour=colour, org_url=org_url)


def _table(views: Sequence[TokenView], *, colour: bool, org_url: str) -> str:
    if not views:
        return f"No API tokens to list in {org_url}.\n"
    rows: list[list[Cell | str]] = [
        [
            view.token.id,
            view.token.name or "",
            view.token.user_id or "",
            Cell(network_label(view.token), "yellow" if network_label(view.token) == "anywhere" else None),
            view.last_used.date().isoformat() if view.last_used is not None else "unknown",
            _days_left(view),
        ]
        for view in views
    ]
    count = f"{len(views)} token{'s' if len(views) != 1 else ''} in {org_url}"
    return render_table(_COLUMNS, rows, colour=colour) + count + "\n"


def _days_left(view: TokenView) -> Cell:
    days = view.days_left
    if days is None:
        return Cell("?")
    return Cell(str(days), "red" if days <= _EXPIRING_SOON else None)


def _csv_row(view: TokenView) -> list[Any]:
    data = view.okta_json()
    network = view.token.network
    return [
        data["id"],
        data["name"],
        data["userId"],
        data["clientName"],
        data["created"],
        data["lastUpdated"],
        data["expiresAt"],
        data["tokenWindow"],
        network.connection if network is not None else None,
        " ".join(str(zone) for zone in network.include) if network is not None else None,
        " ".join(str(zone) for zone in network.exclude) if network is not None else None,
        data["lastUsed"],
        data["daysLeft"],
    ]
