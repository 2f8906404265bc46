"""Output for people and for programs: aligned tables within 100 columns, colour, a progress line.

* Tables are plain text. Cells are cleaned first (``_text.terminal_text``: a token name may hold an
  escape sequence), never sent to the terminal as they are. Until a row fits ``TABLE_WIDTH``, wrap
  columns continue on more lines, then flexible columns are cut with ``…``.
* Colour only when the stream is a terminal, ``NO_COLOR`` is unset or empty, and ``TERM`` is not
  ``dumb`` (https://no-color.org).
* JSON and CSV, and how any text from Okta is made safe for them, are ``_text``'s (``json_text``,
  ``csv_text``), the one place that says it for every writer.
* The progress line goes to stderr, only when stderr is a terminal, and is erased when done.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from .._text import terminal_text

__all__ = [
    "TABLE_WIDTH",
    "Cell",
    "Column",
    "Progress",
    "colour_enabled",
    "display_width",
    "paint",
    "render_table",
]

TABLE_WIDTH = 100
GAP = "  "
ELLIPSIS = "…"

_COLOURS = {"red": "\x1b[31m", "bold-red": "\x1b[1;31m", "yellow": "\x1b[33m", "cyan": "\x1b[36m"}
_RESET = "\x1b[0m"

Colour = Literal["red", "bold-red", "yellow", "cyan"]


def colour_enabled(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether to colour what goes to ``stream``: a terminal, no ``NO_COLOR``, not ``TERM=dumb``."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, colour: Colour | None, enabled: bool) -> str:
    return f"{_COLOURS[colour]}{text}{_RESET}" if enabled and colour is not None else text


# --------------------------------------------------------------------------------------------
# Widths


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East-Asian characters count two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _cut(text: str, width: int) -> str:
    """``text`` within ``width`` columns, ending in ``…`` when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + ELLIPSIS


def _pad(text: str, width: int, align: str) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if align == "right" else text + space


# --------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Column:
    """A table column: header, alignment, and how it gives way when a row is too wide: a ``flexible``
    column is cut (``…``) down to ``minimum``; a ``wrap`` column continues on the next lines instead,
    and gives way first."""

    header: str
    align: Literal["left", "right"] = "left"
    flexible: bool = False
    minimum: int = 8
    wrap: bool = False


@dataclass(frozen=True)
class Cell:
    """A cell's text and, optionally, its colour."""

    text: str
    colour: Colour | None = None


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], limit: int) -> list[int]:
    widths = [
        max([display_width(column.header), *(display_width(row[i].text) for row in rows)])
        for i, column in enumerate(columns)
    ]
    total = sum(widths) + len(GAP) * (len(columns) - 1)
    for kind in ("wrap", "flexible"):
        while total > limit:
            shrinkable = [
                i
                for i, column in enumerate(columns)
                if getattr(column, kind) and widths[i] > max(column.minimum, 1)
            ]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            total -= 1
    return widths


def _fragments(cell: Cell, column: Column, width: int) -> list[str]:
    """The lines a cell takes: one, cut to ``width``, or for a ``wrap`` column as many as it needs."""
    if column.wrap and display_width(cell.text) > width:
        return [_cut(line, width) for line in textwrap.wrap(cell.text, width)] or [""]
    return [_cut(cell.text, width)]


def render_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell | str]],
    *,
    colour: bool = False,
    width: int = TABLE_WIDTH,
) -> str:
    """Rows under a header, columns two spaces apart, within ``width`` columns (flexible columns cut,
    wrap columns continued on the next lines)."""
    cells = [[cell if isinstance(cell, Cell) else Cell(cell) for cell in row] for row in rows]
    cells = [[Cell(terminal_text(cell.text), cell.colour) for cell in row] for row in cells]
    widths = _widths(columns, cells, width)
    lines = [
        GAP.join(_pad(column.header, widths[i], column.align) for i, column in enumerate(columns)).rstrip()
    ]
    for row in cells:
        fragments = [_fragments(row[i], column, widths[i]) for i, column in enumerate(columns)]
        for number in range(max(len(parts) for parts in fragments)):
            parts = []
            for i, column in enumerate(columns):
                text = fragments[i][number] if number < len(fragments[i]) else ""
                parts.append(
                    paint(_pad(text, widths[i], column.align), row[i].colour if text else None, colour)
                )
            lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Progress


class Progress:
    """One line on a terminal's stderr, rewritten in place (``owners 3/12``), erased by ``done``.

    Silent when the stream is not a terminal, so logs and pipes never see it.
    """

    def __init__(self, stream: TextIO, label: str) -> None:
        isatty = getattr(stream, "isatty", None)
        self._stream = stream
        self._label = label
        self._on = bool(isatty and isatty())
        self._shown = False

    @property
    def on(self) -> bool:
        return self._on

    def update(self, done: int, total: int) -> None:
        if not self._on:
            return
        self._stream.write(f"\r\x1b[K{self._label} {done}/{total}")
        self._stream.flush()
        self._shown = True

    def done(self) -> None:
        if self._on and self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False
