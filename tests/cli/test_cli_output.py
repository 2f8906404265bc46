"""Output formatting: tables within 100 columns, colour only on terminals, progress (CSV and JSON, and
text made safe for each: ``tests/test_text.py``)."""

from __future__ import annotations

import io

from pulumi_okta_token.cli._output import (
    Cell,
    Column,
    Progress,
    colour_enabled,
    display_width,
    render_table,
)


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


COLUMNS = (Column("ID"), Column("NAME", flexible=True, minimum=10), Column("DAYS", align="right"))


def test_table_aligns_columns_under_their_headers() -> None:
    text = render_table(COLUMNS, [["00T1", "ci", "3"], ["00T2222", "backup", "30"]])

    assert text.splitlines() == [
        "ID       NAME    DAYS",
        "00T1     ci         3",
        "00T2222  backup    30",
    ]


def test_table_cuts_flexible_columns_to_fit_100_columns() -> None:
    rows = [["00T" + "x" * 17, "n" * 300, "7"]]

    lines = render_table(COLUMNS, rows).splitlines()

    assert max(display_width(line) for line in lines) == 100
    assert "n…" in lines[1] and lines[1].endswith(" 7")


def test_table_never_cuts_fixed_columns() -> None:
    ident = "00T" + "y" * 17

    text = render_table(COLUMNS, [[ident, "n" * 300, "7"]])

    assert ident in text


def test_table_counts_wide_characters_as_two_columns() -> None:
    lines = render_table(COLUMNS, [["a", "日本語", "1"], ["b", "abcdef", "2"]]).splitlines()

    assert len({display_width(line) for line in lines[1:]}) == 1


def test_table_shows_control_and_bidi_characters_escaped() -> None:
    text = render_table(COLUMNS, [["a", "x\x1b[31my\u202e\n", "1"]])

    assert "\x1b" not in text and "\u202e" not in text
    assert "x\\x1b[31my\\u202e\\n" in text


def test_colour_only_on_a_terminal_without_no_color() -> None:
    assert colour_enabled(Terminal(), {}) is True
    assert colour_enabled(io.StringIO(), {}) is False
    assert colour_enabled(Terminal(), {"NO_COLOR": "1"}) is False
    assert colour_enabled(Terminal(), {"NO_COLOR": ""}) is True
    assert colour_enabled(Terminal(), {"TERM": "dumb"}) is False


def test_coloured_cells_keep_the_alignment() -> None:
    plain = render_table(COLUMNS, [["a", Cell("ci", "red"), "1"]], colour=False)
    coloured = render_table(COLUMNS, [["a", Cell("ci", "red"), "1"]], colour=True)

    assert "\x1b[31m" in coloured
    assert coloured.replace("\x1b[31m", "").replace("\x1b[0m", "") == plain


def test_progress_rewrites_one_line_on_a_terminal_and_erases_it() -> None:
    stream = Terminal()
    progress = Progress(stream, "owners")

    progress.update(1, 2)
    progress.update(2, 2)
    progress.done()

    assert stream.getvalue() == "\r\x1b[Kowners 1/2\r\x1b[Kowners 2/2\r\x1b[K"


def test_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, "owners")

    progress.update(1, 2)
    progress.done()

    assert stream.getvalue() == ""


def test_a_wrap_column_continues_on_more_lines_instead_of_being_cut() -> None:
    columns = (Column("ID"), Column("DETAIL", minimum=10, wrap=True))
    detail = "owner is SUSPENDED " * 10

    lines = render_table(columns, [["00T1", detail], ["00T2", "short"]], width=40).splitlines()

    assert max(display_width(line) for line in lines) <= 40
    assert "…" not in "".join(lines)
    assert " ".join(line[6:].strip() for line in lines[1:-1]) == detail.strip()
    assert lines[-1] == "00T2  short"
