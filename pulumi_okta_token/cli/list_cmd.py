"""``pulumi-okta-token list``: every API token of the org, with the fields the console derives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._output import Cell, Column, csv_text, json_text, render_table
from ._tokens import TokenView, network_label

__all__ = ["CSV_HEADER", "render_list"]

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


def render_list(views: Sequence[TokenView], fmt: str, *, colour: bool, org_url: str) -> str:
    """The listing in ``fmt`` (``table``, ``json`` or ``csv``)."""
    if fmt == "json":
        return json_text([view.okta_json() for view in views])
    if fmt == "csv":
        return csv_text(CSV_HEADER, [_csv_row(view) for view in views], text_columns=("name", "clientName"))
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
