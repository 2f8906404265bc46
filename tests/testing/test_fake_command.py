"""``python -m pulumi_okta_token.testing``: serves a seed file to any plain HTTP client."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fake_okta_support import SpecChecker

USER = "00u" + "a" * 17
ZONE = "nzo" + "b" * 17
TOKEN = "00T" + "c" * 17
ADMIN = "00T" + "d" * 17
SECRET = "00admin-secret-from-the-seed-file-0000000"
LEAVER = "00u" + "e" * 17
SEED = {
    "users": [
        {"id": USER, "login": "ops@example.com"},
        {
            "id": LEAVER,
            "login": "leaver@example.com",
            "status": "SUSPENDED",
            "roles": ["ORG_ADMIN", "REPORT_ADMIN"],
        },
    ],
    "zones": [{"id": ZONE, "name": "office"}],
    "tokens": [
        {"id": ADMIN, "name": "admin", "userId": USER, "secret": SECRET},
        {"id": TOKEN, "name": "ci", "userId": USER, "network": {"connection": "ZONE", "include": [ZONE]}},
    ],
}


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pulumi_okta_token.testing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    seed = tmp_path / "org.json"
    seed.write_text(json.dumps(SEED))
    process = start("--port", "0", "--seed", str(seed))
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def call(
    url: str, method: str = "GET", body: Any = None, checker: SpecChecker | None = None
) -> tuple[int, Any]:
    """One request with the seed's admin secret; the JSON answer checked against the spec."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"SSWS {SECRET}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    data = json.loads(raw) if raw else None
    if checker is not None:
        checker.check(method, urlsplit(url).path, status, data)
    return status, data


def test_the_command_prints_its_url_first_and_serves_the_seed(
    served: tuple[str, Any], checker: SpecChecker | None
) -> None:
    url, _ = served
    tokens = f"{url}/api/v1/api-tokens"
    assert url.startswith("http://127.0.0.1:")

    status, listed = call(tokens, checker=checker)
    assert status == 200 and [t["id"] for t in listed] == [ADMIN, TOKEN]

    status, token = call(f"{tokens}/{TOKEN}", checker=checker)
    assert status == 200 and token["network"] == {"connection": "ZONE", "include": [ZONE]}
    assert token["clientName"] == "Okta API" and token["tokenWindow"] == "P30D"

    body = {"name": "ci-renamed", "userId": USER, "network": {"connection": "ANYWHERE"}}
    status, updated = call(f"{tokens}/{TOKEN}", "PUT", body, checker=checker)
    assert (
        status == 200 and updated["name"] == "ci-renamed" and updated["network"] == {"connection": "ANYWHERE"}
    )

    assert call(f"{tokens}/{TOKEN}", "DELETE", checker=checker) == (204, None)
    status, error = call(f"{tokens}/{TOKEN}", checker=checker)
    assert status == 404 and error["errorCode"] == "E0000007"


def test_the_command_serves_the_seed_users_status_and_roles(served: tuple[str, Any]) -> None:
    url, _ = served
    assert call(f"{url}/api/v1/users/{LEAVER}")[1]["status"] == "SUSPENDED"
    assert [role["type"] for role in call(f"{url}/api/v1/users/{LEAVER}/roles")[1]] == [
        "ORG_ADMIN",
        "REPORT_ADMIN",
    ]
    assert [role["type"] for role in call(f"{url}/api/v1/users/{USER}/roles")[1]] == ["SUPER_ADMIN"]


def test_a_seed_user_with_an_unknown_status_is_reported_without_serving(tmp_path: Path) -> None:
    seed = tmp_path / "org.json"
    seed.write_text(json.dumps({"users": [{"id": USER, "status": "RETIRED"}]}))
    process = start("--port", "0", "--seed", str(seed))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "invalid seed file" in err and "RETIRED" in err and out == ""


def test_the_command_never_prints_a_secret(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    call(f"{url}/api/v1/api-tokens")
    process.terminate()
    process.wait(timeout=10)
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    assert SECRET not in out + err and TOKEN in out


def test_the_command_stops_cleanly_when_terminated(served: tuple[str, subprocess.Popen[str]]) -> None:
    _, process = served
    process.terminate()
    assert process.wait(timeout=10) == 0


def test_an_unreadable_seed_file_is_reported_without_serving(tmp_path: Path) -> None:
    seed = tmp_path / "broken.json"
    seed.write_text("{not json")
    process = start("--port", "0", "--seed", str(seed))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "seed file" in err and out == ""


def serve_seed(tmp_path: Path, *args: str) -> tuple[str, subprocess.Popen[str]]:
    seed = tmp_path / "org.json"
    seed.write_text(json.dumps(SEED))
    process = start("--port", "0", "--seed", str(seed), *args)
    assert process.stdout is not None
    return process.stdout.readline().strip(), process


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=10)


def test_the_command_takes_the_rate_limit_and_each_tokens_share(tmp_path: Path) -> None:
    url, process = serve_seed(tmp_path, "--rate-limit", "8", "--token-share", "25")
    try:
        answers = [call(f"{url}/api/v1/api-tokens")[0] for _ in range(3)]
    finally:
        stop(process)
    assert answers == [200, 200, 429]


def test_a_token_share_outside_five_to_a_hundred_is_reported_without_serving(tmp_path: Path) -> None:
    process = start("--port", "0", "--token-share", "3")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "token share" in err and out == ""


def test_with_rtt_the_command_prints_the_url_of_its_latency_relay(tmp_path: Path) -> None:
    url, process = serve_seed(tmp_path, "--rtt", "0.1")
    try:
        started = time.monotonic()
        status, _ = call(f"{url}/api/v1/api-tokens")
        took = time.monotonic() - started
    finally:
        stop(process)
    assert status == 200 and took >= 0.2  # a new connection: its TCP handshake, then the request


@pytest.mark.parametrize(("args", "window"), [((), None), (("--full-list-entries",), "P30D")])
def test_the_command_lists_real_shaped_entries_unless_asked_for_whole_ones(
    tmp_path: Path, args: tuple[str, ...], window: str | None
) -> None:
    url, process = serve_seed(tmp_path, *args)
    try:
        status, listed = call(f"{url}/api/v1/api-tokens")
    finally:
        stop(process)
    assert status == 200 and {item["tokenWindow"] for item in listed} == {window}
