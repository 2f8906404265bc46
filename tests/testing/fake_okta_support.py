"""Helpers for the fake org's own tests: a plain HTTP client and the OpenAPI response checks.

The OpenAPI file is ``shared/okta/api-tokens.openapi.yaml`` next to the repository (or further up).
Two known faults of that file are patched when it is loaded (``load_spec``), nothing else:

* ``TimeDuration.pattern`` was mangled: ``(?:$)`` stands where Okta's SDK has ``(?!$)`` and ``(?:\\d)``
  where it has ``(?=\\d)``, so no duration (not even ``P30D``) can match it.
* ``ApiToken`` declares ``_link`` where every real response and every example in the file has
  ``_links``.

One known difference between the spec and a real org is allowed where it shows (``SpecChecker.check``):
a list answer's entries carry ``tokenWindow: null`` (FACTS.md §1, the recorded real list answer), which
the spec's ``TimeDuration`` string refuses; such an entry is checked without that one field.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from pulumi_okta_token.testing import FakeOkta

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE = Path("shared") / "okta" / "api-tokens.openapi.yaml"
TOKENS = "/api/v1/api-tokens"

MANGLED_DURATION = r"^P(?:$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?:\d)(\d+H)?(\d+M)?(\d+S)?)?$"
SDK_DURATION = r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$"


def spec_path() -> Path | None:
    """The OpenAPI file in a ``shared/`` next to the checkout or further up, or ``None``.

    A git worktree (``wt/<branch>``) sits one level deeper than the main checkout.
    """
    for directory in REPO_ROOT.parents:
        if (directory / SPEC_FILE).is_file():
            return directory / SPEC_FILE
    return None


def load_spec(path: Path) -> dict[str, Any]:
    """The OpenAPI document with its two known faults patched (see the module docstring)."""
    spec: dict[str, Any] = yaml.safe_load(path.read_text())
    schemas = spec["components"]["schemas"]
    assert schemas["TimeDuration"]["pattern"] == MANGLED_DURATION, "the spec changed: recheck the patch"
    schemas["TimeDuration"]["pattern"] = SDK_DURATION
    properties = schemas["ApiToken"]["properties"]
    properties["_links"] = properties.pop("_link")
    return spec


class SpecChecker:
    """Validates a response of the fake against the schema the spec declares for it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def schema_for(self, method: str, path: str, status: int) -> dict[str, Any]:
        template = TOKENS if path == TOKENS else TOKENS + "/{apiTokenId}"
        if path == TOKENS + "/current" and method == "DELETE":
            template = path
        operation = self.spec["paths"].get(template, {}).get(method.lower())
        response = (operation or {}).get("responses", {}).get(str(status))
        if response is None:
            # Not declared (401, 405, 5xx): Okta answers these with its Error object too.
            return {"$ref": "#/components/schemas/Error"}
        if "$ref" in response:
            response = self._resolve(response["$ref"])
        content = response.get("content")
        if content is None:
            return {"not": {}}  # a declared empty answer (204): there must be no body
        schema: dict[str, Any] = content["application/json"]["schema"]
        return schema

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        result: dict[str, Any] = node
        return result

    def check(self, method: str, path: str, status: int, body: Any) -> None:
        """Raise if ``body`` does not match the declared schema, or names undeclared properties."""
        schema = self.schema_for(method, path, status)
        if schema == {"not": {}}:
            assert body is None, f"{method} {path} -> {status} must have no body, got {body!r}"
            return
        validator = OAS30Validator(
            {**schema, "components": self.spec["components"]}, format_checker=oas30_format_checker
        )
        if method == "GET" and path == TOKENS and status == 200 and isinstance(body, list):
            body = [_without_null_token_window(item) for item in body]
        validator.validate(body)
        for item in body if isinstance(body, list) else [body]:
            self._only_declared(schema, item)

    def _only_declared(self, schema: dict[str, Any], item: Any) -> None:
        if "items" in schema:
            schema = schema["items"]
        if "$ref" in schema:
            schema = self._resolve(schema["$ref"])
        undeclared = set(item) - set(schema.get("properties", {}))
        assert not undeclared, f"properties the spec does not declare: {sorted(undeclared)}"


def _without_null_token_window(item: Any) -> Any:
    """A list entry as the spec can check it: a real org's ``tokenWindow: null`` left out (the field is
    optional; only its null value is the spec's fault)."""
    if isinstance(item, dict) and "tokenWindow" in item and item["tokenWindow"] is None:
        return {key: value for key, value in item.items() if key != "tokenWindow"}
    return item


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    raw: bytes
    data: Any = field(default=None)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def headers_named(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


class Api:
    """A plain HTTP client for the fake that checks each JSON answer against the spec."""

    def __init__(self, okta: FakeOkta, checker: SpecChecker | None) -> None:
        self.okta = okta
        self.checker = checker
        self.answers: list[Answer] = []

    def call(
        self,
        method: str,
        path: str,
        *,
        auth: str | None = None,
        body: Any = None,
        raw: bytes | None = None,
        query: dict[str, str] | None = None,
        content_type: str = "application/json",
        timeout: float = 10.0,
        check: bool = True,
    ) -> Answer:
        """One request; with ``check``, the JSON answer is parsed and validated against the spec."""
        parts = urlsplit(self.okta.url)
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=self.okta.ca_file)
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, timeout=timeout, context=context
            )
        else:
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
        headers = {"Accept": "application/json"}
        if auth is not None:
            headers["Authorization"] = auth
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if payload is not None:
            headers["Content-Type"] = content_type
        target = path + ("?" + urlencode(query) if query else "")
        try:
            connection.request(method, target, body=payload, headers=headers)
            response = connection.getresponse()
            answer = Answer(status=response.status, headers=response.headers, raw=response.read())
        finally:
            connection.close()
        if not check:
            return answer
        if answer.raw and (answer.header("Content-Type") or "").startswith("application/json"):
            answer.data = json.loads(answer.raw)
        if self.checker is not None and path.startswith(TOKENS):
            self.checker.check(method, path, answer.status, answer.data)
        self.answers.append(answer)
        return answer

    def ssws(self, secret: str) -> str:
        return f"SSWS {secret}"


def next_link(answer: Answer) -> str | None:
    """The target of a ``Link: <...>; rel="next"`` header, if there is one."""
    for value in answer.headers_named("Link"):
        match = re.fullmatch(r'<([^>]*)>;\s*rel="next"', value.strip())
        if match:
            return match.group(1)
    return None
