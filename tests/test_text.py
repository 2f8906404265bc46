"""``_text``: how text from Okta is made safe for each place it is written, and the shapes it must have."""

from __future__ import annotations

import ast
import csv
import io
import json

import pytest
import yaml

from pulumi_okta_token._models import NetworkCondition, TokenMetadata
from pulumi_okta_token._text import (
    comment_text,
    csv_text,
    is_okta_time,
    json_text,
    one_line,
    quoted,
    require_documented_shapes,
    shape_problems,
    shown_text,
    terminal_text,
)
from pulumi_okta_token.errors import UntrustedAnswer

HOSTILE = [
    "line\nbreak",
    "carriage\rreturn",
    "\x1b[2Jclear",
    "\x1b]52;c;cHduZWQ=\x07clipboard",
    "\x9b31mC1 CSI",
    "sep\u2028arator\u2029",
    "bidi\u202eoverride\u2066",
    'triple """ quote',
    "back\\slash",
    "yaml: key # comment",
    "\x00nul\x7fdel",
]
UNSAFE_ON_A_TERMINAL = ["\n", "\r", "\x1b", "\x07", "\x9b", "\u2028", "\u2029", "\u202e", "\u2066", "\x00"]
UNSAFE_ON_A_TERMINAL += ["\x7f"]


@pytest.mark.parametrize("text", ["plain", 'quote " back \\ slash', "é 😀 \u2028 \x00 \x7f \n\t\r", "\ud800"])
def test_quoted_reads_back_as_python_and_as_yaml(text: str) -> None:
    literal = quoted(text)

    assert literal.isascii()
    assert ast.literal_eval(literal) == text
    if text != "\ud800":  # YAML has no lone surrogates
        assert yaml.safe_load(f"k: {literal}")["k"] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_text_is_printable_ascii_so_no_line_break_ends_the_comment(text: str) -> None:
    comment = comment_text(text)

    assert comment.isascii() and comment.isprintable()
    assert ast.parse(f"# {comment}\nx = 1").body[0].lineno == 2
    assert yaml.safe_load(f"# {comment}\nk: 1") == {"k": 1}


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_shows_every_control_format_and_separator_character_escaped(text: str) -> None:
    shown = terminal_text(text)

    assert not any(char in shown for char in UNSAFE_ON_A_TERMINAL)
    assert shown.isprintable()


def test_terminal_text_keeps_printable_unicode() -> None:
    assert terminal_text("café 😀 日本") == "café 😀 日本"


def test_one_line_is_one_terminal_safe_line_cut_at_its_limit() -> None:
    line = one_line("a\n\x1b[2Jb   c" + "x" * 1000, limit=50)

    assert "\n" not in line and "\x1b" not in line and "a\\n\\x1b[2Jb c" in line
    assert len(line) == 53 and line.endswith("...")


def test_shown_text_quotes_a_value_terminal_safe_and_says_the_length_of_a_long_one() -> None:
    assert shown_text("00T\x1b[2J") == "'00T\\x1b[2J'"
    assert shown_text("a" * 100, limit=5) == "'aaaaa…' (100 characters)"


def test_json_text_is_ascii_and_reads_back() -> None:
    data = [{"name": text} for text in HOSTILE]

    text = json_text(data)

    assert text.isascii() and "\u2028" not in text and json.loads(text) == data


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_csv_guards_every_text_cell_a_spreadsheet_would_run(start: str) -> None:
    text = csv_text(("id", "name", "userId"), [[f"{start}1", f"{start}HYPERLINK(1)", f"{start}cmd"]])

    (row,) = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert row == [f"'{start}1", f"'{start}HYPERLINK(1)", f"'{start}cmd"]


def test_csv_guards_a_cell_starting_with_nul_and_writes_every_nul_as_the_replacement_character() -> None:
    text = csv_text(("id", "name"), [["\x00cmd", "a\x00b"]])

    assert "\x00" not in text
    (row,) = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert row == ["'\ufffdcmd", "a\ufffdb"]


def test_csv_keeps_numbers_and_empty_cells_as_they_are() -> None:
    text = csv_text(("days", "none"), [[-3, None]])

    assert list(csv.reader(io.StringIO(text, newline=""))) == [["days", "none"], ["-3", ""]]


def test_csv_keeps_a_bare_carriage_return_inside_its_quoted_cell() -> None:
    text = csv_text(("name", "next"), [["a\r=1+1", "b"], ["c\nd", "e"]])

    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["name", "next"], ["a\r=1+1", "b"], ["c\nd", "e"]]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-11-02T14:47:13.000Z", True),
        ("2025-11-02T14:47:13Z", True),
        ("2025-11-02T14:47:13.5+05:30", True),
        ("2025-11-02T14:47:13.000Z\n", False),
        (" 2025-11-02T14:47:13.000Z", False),
        ("2025-13-02T14:47:13.000Z", False),
        ("2025-11-02", False),
        ("2025-11-0\nimport os", False),
    ],
)
def test_is_okta_time_takes_only_a_whole_iso_timestamp(value: str, ok: bool) -> None:
    assert is_okta_time(value) is ok


def token(**fields: object) -> TokenMetadata:
    base: dict[str, object] = {
        "id": "00T1fxzubpqiepH11d38",
        "name": "ci",
        "userId": "00unkw1sfbTw08c0g1d7",
        "created": "2025-11-02T14:47:13.000Z",
        "lastUpdated": "2025-11-02T14:47:13.000Z",
        "expiresAt": "2025-12-02T14:47:13.000Z",
        "network": {"connection": "ZONE", "include": ["nzonkw1sfwwi79Hat2d7"]},
    }
    return TokenMetadata.from_okta_json({**base, **fields})


def test_a_token_as_okta_documents_it_has_no_shape_problem() -> None:
    assert shape_problems(token()) == []
    anywhere_but_zones = {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}
    assert shape_problems(token(userId=None, network=anywhere_but_zones)) == []


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"id": "00T1fxzubpqiepH11d38\n"}, "id '00T1fxzubpqiepH11d38\\n'"),
        ({"userId": "00u\nimport os"}, "userId '00u\\nimport os'"),
        ({"created": "2025-11-0\r#"}, "created '2025-11-0\\r#'"),
        ({"expiresAt": "soon"}, "expiresAt 'soon'"),
        (
            {"network": {"connection": "ZONE", "include": ["nzo\x1b[2J"]}},
            "network.include holds 'nzo\\x1b[2J'",
        ),
    ],
)
def test_shape_problems_name_each_field_off_its_documented_shape(
    fields: dict[str, object], named: str
) -> None:
    (problem,) = shape_problems(token(**fields))

    assert problem.startswith(named) and problem.isprintable()


def test_require_documented_shapes_refuses_naming_the_token() -> None:
    odd = token(id="00T\x1b[2J", userId="x")

    with pytest.raises(UntrustedAnswer) as caught:
        require_documented_shapes([token(), odd], then="nothing was written")

    message = str(caught.value)
    assert "API token '00T\\x1b[2J'" in message and "userId 'x'" in message
    assert message.endswith("nothing was written") and "\x1b" not in message


def test_a_network_okta_reports_is_still_checked_zone_by_zone() -> None:
    zones = ("nzonkw1sfwwi79Hat2d7", "10.0.0.1")
    network = NetworkCondition.model_construct(connection="ZONE", include=zones)

    assert [p.split(" holds")[0] for p in shape_problems(token(network=network.to_okta_json()))] == [
        "network.include"
    ]
