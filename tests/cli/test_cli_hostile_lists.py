"""Hostile list answers through the console script (issue 17, items 7, 8, 10, 11, 12, 13): what the org (or
whatever answers in its place) lists is checked whole, its pages are followed within bounds, its answers
are read within a size, and rate-limit errors say which bound stopped the command."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import SCRIPT, Run, assert_one_clean_error_line
from conftest import CliOrg

from pulumi_okta_token.testing.okta.backend import FakeToken

LIST = "/api/v1/api-tokens"


@pytest.fixture
def paged(cli_org: CliOrg) -> list[FakeToken]:
    """Three more tokens, and pages of one token: the listing follows four pages."""
    tokens = [cli_org.add(f"svc-{n}") for n in range(3)]
    cli_org.okta.set_page_cap(1)
    return tokens


# -- item 7: one id on two pages ----------------------------------------------------------------------


def test_list_refuses_a_list_giving_one_id_twice_with_different_content_and_names_it(
    cli_org: CliOrg, paged: list[FakeToken]
) -> None:
    cli_org.okta.inject_fault(path=LIST, list_duplicate=paged[2].id, duplicate_name="a-second-name")

    line = assert_one_clean_error_line(cli_org.run("list", "--format", "json"))

    assert f"gives 1 id(s) twice with different content: {paged[2].id}" in line


def test_generate_refuses_a_list_giving_one_id_twice_with_different_content(
    cli_org: CliOrg, paged: list[FakeToken]
) -> None:
    cli_org.okta.inject_fault(path=LIST, list_duplicate=paged[2].id, duplicate_name="a-second-name")

    line = assert_one_clean_error_line(cli_org.run("generate"))

    assert paged[2].id in line and "twice with different content" in line


def test_list_shows_an_id_listed_twice_alike_once(cli_org: CliOrg, paged: list[FakeToken]) -> None:
    cli_org.okta.inject_fault(path=LIST, list_duplicate=paged[2].id)

    run = cli_org.run("list", "--format", "json")

    assert run.code == 0, run.stderr
    assert [token["id"] for token in run.json()].count(paged[2].id) == 1


# -- item 8: next links that never end ----------------------------------------------------------------


def test_list_stops_following_new_next_links_after_1000_pages_and_says_so(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, endless_next=True, times=None)

    line = assert_one_clean_error_line(cli_org.run("list"))

    assert "go on past 1000 pages" in line and "loop back" not in line
    assert len(cli_org.okta.calls("GET", LIST)) == 1000


def test_list_stops_following_next_links_after_ten_request_timeouts_and_says_so(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, endless_next=True, times=None, latency=0.05)

    line = assert_one_clean_error_line(cli_org.run("list", OKTA_REQUEST_TIMEOUT="0.2"))

    assert "past 2 s, the most a listing may take (10 x okta:requestTimeout" in line
    assert "loop back" not in line and len(cli_org.okta.calls("GET", LIST)) < 100


# -- item 9 (the command's side): an unreadable page ----------------------------------------------------


def test_list_refuses_a_link_header_that_cannot_be_read_in_one_clean_line(
    cli_org: CliOrg, paged: list[FakeToken]
) -> None:
    cli_org.okta.inject_fault(path=LIST, malformed_link=True)

    line = assert_one_clean_error_line(cli_org.run("list"))

    assert "a Link header that cannot be read" in line


def test_list_refuses_json_nested_too_deep_in_one_clean_line(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, nested_json=100_000)

    line = assert_one_clean_error_line(cli_org.run("list"))

    assert "JSON nested too deep to read" in line


# -- item 10: the size of an answer ---------------------------------------------------------------------


def test_list_refuses_an_answer_larger_than_16_mib_naming_the_setting(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, body_bytes=17 * 1024 * 1024)

    line = assert_one_clean_error_line(cli_org.run("list"))

    assert "is larger than 16777216 bytes (its Content-Length is 17825792 bytes)" in line
    assert "okta:maxResponseBytes / OKTA_MAX_RESPONSE_BYTES" in line


def test_okta_max_response_bytes_lowers_and_raises_the_cap(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, body_bytes=100_000, times=2)

    refused = cli_org.run("list", OKTA_MAX_RESPONSE_BYTES="65536")
    read = cli_org.run("list", "--format", "json", OKTA_MAX_RESPONSE_BYTES="200000")

    assert "is larger than 65536 bytes" in assert_one_clean_error_line(refused)
    assert (read.code, read.json()) == (0, [])


# -- item 11: an entry that is no token -----------------------------------------------------------------


def test_list_refuses_a_user_object_among_the_tokens(cli_org: CliOrg) -> None:
    user = {"id": cli_org.admin_user, "status": "ACTIVE", "profile": {"login": "ops@example.com"}}
    cli_org.okta.inject_fault(path=LIST, extra_entry=user)

    line = assert_one_clean_error_line(cli_org.run("list", "--format", "json"))

    assert f"holds an entry that is not an API token (its id is '{cli_org.admin_user}'" in line


# -- item 12: a key or CA file that is a pipe -------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO nobody writes to: opening it for reading the usual way waits forever."""
    path = tmp_path / "key.pem"
    os.mkfifo(path)
    yield path
    # Unblock a reader the command under test may have left waiting (a failed run).
    threading.Thread(target=lambda: _open_for_writing(path), daemon=True).start()


def _open_for_writing(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


def test_a_private_key_file_that_is_a_fifo_is_refused_at_once(cli_org: CliOrg, fifo: Path) -> None:
    env = {key: value for key, value in cli_org.env.items() if key != "OKTA_API_TOKEN"}
    env.update(OKTA_API_CLIENT_ID="0oa" + "1" * 17, OKTA_API_PRIVATE_KEY=str(fifo))

    done = subprocess.run([str(SCRIPT), "list"], env=env, capture_output=True, text=True, timeout=20)

    line = assert_one_clean_error_line(Run(done.returncode, done.stdout, done.stderr))
    assert "okta:privateKey" in line or "OKTA_API_PRIVATE_KEY" in line
    assert "not a regular file" in line and str(fifo) not in line


def test_a_ca_file_that_is_a_fifo_is_refused_at_once(cli_org: CliOrg, fifo: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "list"],
        env={**cli_org.env, "OKTA_CA_FILE": str(fifo)},
        capture_output=True,
        text=True,
        timeout=20,
    )

    line = assert_one_clean_error_line(Run(done.returncode, done.stdout, done.stderr))
    assert "OKTA_CA_FILE" in line and "not a regular file" in line


def test_a_ca_file_given_by_process_substitution_is_refused_as_a_pipe_not_as_damaged(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    done = subprocess.run(
        ["bash", "-c", f'OKTA_CA_FILE=<(cat "{ca}") exec "{SCRIPT}" list'],
        env=cli_org.env,
        capture_output=True,
        text=True,
        timeout=20,
    )

    line = assert_one_clean_error_line(Run(done.returncode, done.stdout, done.stderr))
    assert "not a regular file" in line and "damaged" not in line


# -- item 13: rate-limit errors say which bound ----------------------------------------------------------


def test_a_429_to_wait_out_past_rate_limit_wait_names_that_bound_not_max_retries(cli_org: CliOrg) -> None:
    reset = {"X-Rate-Limit-Limit": "100", "X-Rate-Limit-Remaining": "0"}
    reset["X-Rate-Limit-Reset"] = str(int(time.time()) + 60)
    cli_org.okta.inject_fault(path=LIST, status=429, headers=reset)

    line = assert_one_clean_error_line(cli_org.run("list", OKTA_RATE_LIMIT_WAIT="5"))

    assert "would pass okta:rateLimitWait (5 s of waiting per call" in line
    assert "stopped after 1 request, without a retry" in line
    assert "OKTA_MAX_RETRIES" not in line and "through every retry" not in line


def test_a_rate_limit_used_up_without_any_429_says_no_429_came(
    cli_org: CliOrg, paged: list[FakeToken]
) -> None:
    cli_org.okta.set_rate_limit(1)  # the first page's headers show the minute's budget used up

    line = assert_one_clean_error_line(cli_org.run("list", OKTA_RATE_LIMIT_WAIT="0"))

    assert "No 429 came" in line and "okta:rateLimitWait" in line and "nothing was sent" in line
    assert "OKTA_MAX_RETRIES" not in line and "through every retry" not in line
    assert [call.status for call in cli_org.okta.calls("GET", LIST)] == [200]


def test_a_429_through_every_retry_says_how_many_requests_and_names_max_retries(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault(path=LIST, status=429, reset_headers=False, times=None)

    line = assert_one_clean_error_line(cli_org.run("list", OKTA_MAX_RETRIES="1"))

    assert "Okta answered 429 to 2 requests of this call, the first and the 1 retries okta:maxRetries" in line
    assert "OKTA_MAX_RETRIES" in line


def test_a_retry_after_beyond_the_request_timeout_is_named_and_not_blamed_on_max_retries(
    cli_org: CliOrg,
) -> None:
    cli_org.okta.inject_fault(path=LIST, retry_after=86400)

    line = assert_one_clean_error_line(cli_org.run("list"))

    assert "Okta asked to wait 86400 s before trying again (Retry-After)" in line
    assert "not retried after 1 request" in line and "OKTA_REQUEST_TIMEOUT" in line
    assert "OKTA_MAX_RETRIES" not in line
