"""Text from Okta, made safe for each place it is written again: the one rule every writer follows.

Whatever answers in Okta's place (Okta, a TLS-inspecting proxy trusted through ``okta:caFile``, an admin
account naming tokens) decides every string of a token: its name, ids, owner, client and dates, and the
``errorSummary`` of an error. None of it is written out as it came. Each destination has one function
here, and every writer goes through it (the CLI's ``list``, ``generate`` and ``audit`` outputs, its
warnings and error lines, ``errors.OktaApiError``'s text); a test keeps the CLI's modules from writing
JSON or CSV, or escaping text, any other way.

=========================================  ==================  ===========================================
destination                                function            what comes out
=========================================  ==================  ===========================================
a Python or YAML string                    ``quoted``          a double-quoted ASCII literal that reads
                                                               back as the text in both languages
a ``#`` comment (Python or YAML)           ``comment_text``    printable ASCII, escapes for the rest: no
                                                               line break can end the comment
JSON                                       ``json_text``,      ASCII only: controls, separators, bidi and
                                           ``json_line``       every non-ASCII character as ``\\u`` escapes
a terminal (table cell, warning)           ``terminal_text``   control characters (C0, C1, ESC, DEL), format
                                                               characters (bidi overrides) and line or
                                                               paragraph separators shown as escapes
one error or log line                      ``one_line``        ``terminal_text`` on one line, cut
CSV (a spreadsheet opens it)               ``csv_text``        every cell quoted (CR and LF stay inside
                                                               their cell); a text cell starting with
                                                               ``= + - @``, tab, CR, LF or NUL gets a
                                                               leading ``'`` (OWASP, ASVS 1.2.10); NUL
                                                               anywhere is written as U+FFFD
HTML text or attribute (the audit page)    ``html_text``       ``terminal_text``, then markup characters
                                                               and both quotes as entities
=========================================  ==================  ===========================================

Where Okta documents a value's shape (FACTS.md, ``api-tokens.openapi.yaml``: token ids ``00T...``, user
ids ``00u...``, zone ids ``nzo...``, ISO-8601 timestamps), ``shape_problems`` says how a token's answer
misses it, and ``require_documented_shapes`` refuses such a token with an ``UntrustedAnswer`` naming it.
Writers of code (``generate``) refuse; writers of data (``list``, ``audit``) escape, so that what Okta
said can still be seen.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._models import ALL_IP_ZONES, TOKEN_ID_RE, USER_ID_RE, ZONE_ID_RE

if TYPE_CHECKING:
    from ._models import TokenMetadata

__all__ = [
    "CSV_FORMULA_STARTS",
    "comment_text",
    "csv_text",
    "is_okta_time",
    "json_line",
    "json_text",
    "one_line",
    "quoted",
    "require_documented_shapes",
    "shape_problems",
    "shown_text",
    "terminal_text",
]

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list, ASVS's NUL, LF)."""

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Control, format (bidi overrides, zero-width), line and paragraph separator, lone surrogate."""

_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}

_OKTA_TIME_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
"""An ISO-8601 timestamp as Okta writes them (``2025-11-02T14:47:13.000Z``); matched whole."""

SHOWN_LENGTH = 60
"""How many characters of a value from Okta an error message echoes."""


# --------------------------------------------------------------------------------------------
# Code: Python and YAML


def quoted(text: str) -> str:
    """``text`` as a double-quoted string, ASCII only, that reads back as ``text`` both as a Python literal
    and as a YAML scalar: backslash escapes for the quote, the backslash, newline, tab and carriage return,
    and one ``x``/``u``/``U`` escape per character outside printable ASCII (never a surrogate pair)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def comment_text(value: object) -> str:
    """``value`` for a ``#`` comment of Python or YAML: printable ASCII only, everything else (a newline,
    a carriage return, U+2028, ESC, a quote's backslash) as the escape ``quoted`` writes, so the comment
    ends where the line does."""
    return quoted("" if value is None else str(value))[1:-1]


# --------------------------------------------------------------------------------------------
# JSON


def json_text(data: Any) -> str:
    """Indented JSON, ASCII only (every control, separator, bidi and non-ASCII character escaped), with a
    final newline."""
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def json_line(data: Any) -> str:
    """``data`` as JSON on one line, ASCII only (for a comment, a message, or one record of a stream)."""
    return json.dumps(data, ensure_ascii=True)


# --------------------------------------------------------------------------------------------
# Terminals and error lines


def terminal_text(value: object) -> str:
    """``value`` as printable text: control characters (C0 and C1, ESC, DEL), format characters (bidi
    overrides, zero-width) and line or paragraph separators shown as escapes (``\\x1b``, ``\\n``,
    ``\\u202e``), so nothing can move the cursor, clear the screen, recolour, set the clipboard (OSC 52)
    or reorder what follows; printable Unicode is kept."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _HIDDEN_CATEGORIES
        else char
        for char in text
    )


def html_text(value: object) -> str:
    """``value`` as HTML text or a quoted attribute value: ``terminal_text``'s escapes, then ``& < > " '``
    as entities (``None`` is empty), so no markup, script or attribute can come from it."""
    return html.escape(terminal_text("" if value is None else value), quote=True)


def one_line(text: object, limit: int | None = 600) -> str:
    """``text`` as one terminal-safe line (``terminal_text``, runs of spaces made one), cut after
    ``limit`` characters (``None``: never)."""
    line = re.sub(r" {2,}", " ", terminal_text(text)).strip()
    return line if limit is None or len(line) <= limit else line[:limit] + "..."


def shown_text(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A value from Okta quoted for a message: terminal-safe, cut after ``limit`` characters with its
    length said (``'abc…' (1000000 characters)``)."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        return f"'{terminal_text(text[:limit])}…' ({len(text)} characters)"
    return f"'{terminal_text(text)}'"


# --------------------------------------------------------------------------------------------
# CSV


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a header row, every cell quoted, so a CR or LF stays inside its cell; a text cell a
    spreadsheet would run as a formula (``CSV_FORMULA_STARTS`` first) gets a leading ``'``. A NUL anywhere
    is written as U+FFFD: Python 3.10's csv module can neither write nor read one, and many spreadsheet
    tools end a cell at it. ``None`` is an empty cell; a number (which only the package computes) is written
    as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([_csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    guarded = f"'{text}" if text.startswith(CSV_FORMULA_STARTS) else text
    return guarded.replace("\0", "\N{REPLACEMENT CHARACTER}")


# --------------------------------------------------------------------------------------------
# Documented shapes


def is_okta_time(value: object) -> bool:
    """Whether ``value`` is, as a whole, an ISO-8601 timestamp of a real moment, as Okta writes them."""
    match = _OKTA_TIME_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return False
    try:
        datetime.strptime(f"{match['date']} {match['time']}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


def shape_problems(token: TokenMetadata) -> list[str]:
    """How the answer for ``token`` misses the shapes Okta documents (none: ``[]``): its id, owner,
    timestamps and network zone ids. Each problem shows the value terminal-safe."""
    problems = []
    if not TOKEN_ID_RE.fullmatch(token.id):
        problems.append(f"id {shown_text(token.id)} is not an API token id ('00T' and 17 letters or digits)")
    if token.user_id is not None and not USER_ID_RE.fullmatch(token.user_id):
        problems.append(
            f"userId {shown_text(token.user_id)} is not a user id ('00u' and 17 letters or digits)"
        )
    for field, value in (
        ("created", token.created),
        ("lastUpdated", token.last_updated),
        ("expiresAt", token.expires_at),
    ):
        if value is not None and not is_okta_time(value):
            problems.append(f"{field} {shown_text(value)} is not an ISO-8601 timestamp")
    if token.network is not None:
        for where, zones in (("include", token.network.include), ("exclude", token.network.exclude)):
            for zone in zones:
                if not (isinstance(zone, str) and (ZONE_ID_RE.fullmatch(zone) or zone == ALL_IP_ZONES)):
                    problems.append(
                        f"network.{where} holds {shown_text(zone)}, not a zone id ('nzo' and 17 letters "
                        f"or digits, or {ALL_IP_ZONES})"
                    )
    return problems


def require_documented_shapes(tokens: Iterable[TokenMetadata], *, then: str) -> None:
    """Refuse the first token whose answer misses a documented shape (``shape_problems``), with an
    ``UntrustedAnswer`` naming the token and saying ``then`` (what did not happen)."""
    from .errors import UntrustedAnswer  # errors' messages use this module

    for token in tokens:
        problems = shape_problems(token)
        if problems:
            raise UntrustedAnswer(
                f"Okta's answer for API token {shown_text(token.id)} is not what Okta documents: "
                f"{'; '.join(problems)}. The answer may come from something in Okta's place (a proxy) or "
                f"an Okta defect; {then}"
            )
