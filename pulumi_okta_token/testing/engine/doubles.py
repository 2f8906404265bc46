"""A dynamic provider that does nothing but echo: a test double of the driver's tests and the trivial
baseline of ``make bench`` (plugin start-up).

It lives in the package so that the tests, the benchmark and the plugin process (which unpickles it by
reference) all import it without touching ``sys.path``; importing it loads nothing of the provider.

``EchoProvider`` keeps its inputs as outputs. A few inputs steer it, so driver tests can reach every path:

* ``fail``: a message that the methods raise (every method, or only the one named by ``fail_in``);
* ``replace_on``: a property whose change forces a replace (``delete_first``: delete before replace);
* ``diff_unknown``: ``diff`` answers "don't know" and leaves the comparison to the engine;
* ``gone``: ``read`` reports the resource gone;
* ``config_key``: ``create`` adds the output ``config_value``, that key's value in the stack config;
* ``rendezvous``: ``create`` waits until four creates are running at once (the plugin's four workers),
  and fails if they do not all arrive within 30 seconds.

A ``name`` of ``""`` is refused by ``check``.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

__all__ = ["ECHO_TYPE", "EchoProvider"]

ECHO_TYPE = "pulumi-python:dynamic:Resource"
"""The type token of a dynamic resource of no particular kind."""

_FOUR_AT_ONCE = threading.Barrier(4, timeout=30)


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if not key.startswith("__")}


def _raise_if_asked(props: dict[str, Any], method: str) -> None:
    if props.get("fail") and props.get("fail_in", method) == method:
        raise RuntimeError(str(props["fail"]))


class EchoProvider(ResourceProvider):
    """Outputs equal inputs; ``read`` returns the stored outputs, or nothing when ``gone`` is set."""

    def configure(self, req: ConfigureRequest) -> None:
        self._config = req.config

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [CheckFailure("name", "name must not be empty")] if news.get("name") == "" else []
        return CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        _raise_if_asked(news, "diff")
        if news.get("diff_unknown"):
            return DiffResult(changes=None)
        changed = sorted(
            key for key in set(_plain(olds)) | set(_plain(news)) if olds.get(key) != news.get(key)
        )
        key = news.get("replace_on")
        return DiffResult(
            changes=bool(changed),
            replaces=[key] if key in changed else [],
            delete_before_replace=bool(news.get("delete_first")),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        _raise_if_asked(props, "create")
        if props.get("rendezvous"):
            _FOUR_AT_ONCE.wait()
        outs = _plain(props)
        if "config_key" in props:
            outs["config_value"] = self._config.get(props["config_key"])
        return CreateResult(uuid.uuid4().hex, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        _raise_if_asked(props, "read")
        if props.get("gone"):
            return ReadResult(None, {})
        return ReadResult(id_, _plain(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _raise_if_asked(news, "update")
        return UpdateResult(_plain(news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        _raise_if_asked(props, "delete")
