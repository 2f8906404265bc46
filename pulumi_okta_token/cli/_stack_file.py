"""``generate --format stack-config --merge-into Pulumi.<stack>.yaml``: the generated ``tokens`` key added to
a stack file, keeping everything else in it.

Appending the generated fragment (``>> Pulumi.dev.yaml``) would give the file a second ``config:`` key,
which YAML loaders drop or refuse (one loses ``okta:orgName`` and ``okta:apiToken``). So the key is put
under the file's own ``config:`` instead, as text: the file's other keys, comments, order and secrets
stay as they were. Refused, with nothing written:

* a file that is not a YAML mapping, or that has a key twice (Pulumi would not read it as written);
* a ``config:`` that is not a block mapping (``config: {...}``): add the key by hand;
* a ``config:`` that has the key already: remove it first (or edit the file by hand);
* any merge whose result does not read back as the old file plus that one key.

The file is written whole or not at all: a temporary file beside it, flushed to disk, then renamed over
it (with the old file's permissions). A missing file is made, holding the fragment alone.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ._tokens import UsageError

__all__ = ["merge_into"]

_CONFIG_LINE = re.compile(r"config:[ \t]*(?:#.*)?")
"""The top-level ``config:`` key of a block mapping, with nothing after it but a comment."""


def merge_into(path: Path, fragment: str, key: str) -> None:
    """Add ``key`` of the generated ``fragment`` (a ``config:`` mapping with that one key) under
    ``config:`` of the stack file ``path``; ``UsageError`` (nothing written) when it cannot be done
    safely."""
    value = _read(fragment, "the generated stack config")["config"][key]
    if not path.exists():
        _write(path, fragment, mode=None)
        return
    if not path.is_file():
        raise UsageError(f"--merge-into {path}: not a regular file (nothing was written)")
    try:
        old_text = path.read_bytes().decode("utf-8")  # line endings as they are
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--merge-into {path}: cannot read it ({error}); nothing was written") from None
    old = _read(old_text, f"--merge-into {path}") or {}
    if not isinstance(old, dict):
        raise UsageError(f"--merge-into {path}: not a stack file (a YAML mapping); nothing was written")
    config = old.get("config")
    if config is not None and not isinstance(config, dict):
        raise UsageError(f"--merge-into {path}: its `config:` is not a mapping; nothing was written")
    if config is not None and key in config:
        raise UsageError(
            f"--merge-into {path}: `config:` has {key} already; remove it (or edit the file by hand) and "
            "run again; nothing was written"
        )
    new_text = _merged(old_text, fragment, path) if "config" in old else _appended(old_text, fragment)
    expected = {**old, "config": {**(config or {}), key: value}}
    if _read(new_text, f"--merge-into {path}") != expected:
        raise UsageError(
            f"--merge-into {path}: the merged file would not read back as the old one plus {key}; "
            "merge the output of --format stack-config by hand; nothing was written"
        )
    _write(path.resolve(), new_text, mode=stat.S_IMODE(path.stat().st_mode))  # through a symlink


def _read(text: str, what: str) -> Any:
    """``text`` read as YAML (safely), refused when a mapping has a key twice: PyYAML keeps the last
    one silently, and a loader that drops one is how an appended fragment loses settings."""
    try:
        _refuse_repeated_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise UsageError(f"{what}: not YAML a stack file can hold ({problem}); nothing was written") from None


def _refuse_repeated_keys(node: Any) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[tuple[str, str]] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"the key {key.value!r} appears twice", problem_mark=key.start_mark
                    )
                seen.add((key.tag, key.value))
            _refuse_repeated_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_repeated_keys(item)


def _appended(old_text: str, fragment: str) -> str:
    """The fragment after the file's text (it has no ``config:`` yet)."""
    if old_text and not old_text.endswith("\n"):
        old_text += "\n"
    return old_text + fragment


def _merged(old_text: str, fragment: str, path: Path) -> str:
    """The fragment's comments and key put right under the file's ``config:`` line, indented as the
    file's other config entries are."""
    lines = old_text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if _CONFIG_LINE.fullmatch(line.rstrip("\r\n"))), None)
    if at is None:
        raise UsageError(
            f"--merge-into {path}: its `config:` is not a block mapping (`config:` alone on its line); "
            "merge the output of --format stack-config by hand; nothing was written"
        )
    indent = _entry_indent(lines[at + 1 :])
    header, body = fragment.split("\nconfig:\n", 1)
    added = [" " * indent + line.lstrip() for line in header.splitlines() if line.strip()]
    added += [" " * (indent - 2) + line for line in body.splitlines()]
    newline = "\r\n" if lines[at].endswith("\r\n") else "\n"
    if not lines[at].endswith(("\n", "\r")):
        lines[at] += newline
    return "".join([*lines[: at + 1], *(line + newline for line in added), *lines[at + 1 :]])


def _entry_indent(lines: list[str]) -> int:
    """How far the first entry under ``config:`` is indented (2 when it has none yet)."""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        return indent if indent > 0 else 2
    return 2


def _write(path: Path, text: str, *, mode: int | None) -> None:
    """``text`` as the whole of ``path``, or nothing: a temporary file beside it, synced, renamed."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise UsageError(
            f"--merge-into {path}: cannot write beside it ({error}); nothing was written"
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode if mode is not None else 0o644 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
