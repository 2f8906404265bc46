"""Where the policy pack is written, and with which interpreter Pulumi runs it.

Pulumi runs a Python policy pack (``runtime: python`` in its ``PulumiPolicy.yaml``) through its Python
language host, with the interpreter of the virtualenv the file's ``runtime.options.virtualenv`` names,
relative to the pack's directory unless absolute. Language hosts of Pulumi before v3.221 default that
option to ``venv`` (a virtualenv inside the pack); later ones run the ``python3`` on ``PATH`` (or
``$PULUMI_PYTHON_CMD``) when it is unset. The pack ships inside the package (``pack/``), somewhere in
site-packages or a source tree, where no relative path reliably leads to the installing virtualenv, so
``pack_directory`` writes a copy of it with that virtualenv's absolute path:

* in a virtualenv (``sys.prefix`` differs from ``sys.base_prefix``): ``virtualenv: <sys.prefix>``, the
  same interpreter that runs ``pulumi-okta-token``;
* otherwise no ``virtualenv`` (``virtualenv`` is ``None`` in the result): the language host's own choice,
  which on hosts from v3.221 on is the ``python3`` on ``PATH`` and must have the package installed.

The copy goes to ``$XDG_CACHE_HOME/pulumi-okta-token/policy-pack/<key>`` (``~/.cache`` without it), one
directory per interpreter and package version, or to a directory the caller names. Files are rewritten
only when their content differs, each through a temporary file and a rename, so concurrent previews
never read half a file.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._version import __version__

__all__ = ["PACK_FILES", "PACK_SOURCE", "WrittenPack", "default_directory", "pack_directory"]

PACK_SOURCE = Path(__file__).resolve().parent / "pack"
"""The pack as the package ships it: ``PulumiPolicy.yaml`` (without version or virtualenv) and
``__main__.py``."""

PACK_FILES: tuple[str, ...] = ("PulumiPolicy.yaml", "__main__.py")

_HEADER = (
    "# Written by `pulumi-okta-token policy-pack` from the package's pulumi_okta_token/policy/pack: the\n"
    "# virtualenv is the one pulumi-okta-token is installed in. Run the command again after moving it.\n"
)


@dataclass(frozen=True)
class WrittenPack:
    """The pack's directory, and the virtualenv its ``PulumiPolicy.yaml`` names (``None``: none)."""

    path: Path
    virtualenv: str | None


def _in_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def default_directory(environ: Mapping[str, str], prefix: str) -> Path:
    """``$XDG_CACHE_HOME/pulumi-okta-token/policy-pack/<key>``: ``key`` names the interpreter's prefix
    and the package version, so two virtualenvs never share a pack."""
    cache = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha256(f"{prefix}\0{__version__}".encode()).hexdigest()[:16]
    return Path(cache) / "pulumi-okta-token" / "policy-pack" / key


def policy_project(virtualenv: str | None) -> dict[str, Any]:
    """The ``PulumiPolicy.yaml`` document: the shipped one, with this package's version and
    ``virtualenv`` (when given) as the runtime's option."""
    document: dict[str, Any] = yaml.safe_load((PACK_SOURCE / "PulumiPolicy.yaml").read_text("utf-8"))
    document["version"] = __version__
    if virtualenv is not None:
        runtime = document["runtime"]
        runtime["options"] = {**(runtime.get("options") or {}), "virtualenv": virtualenv}
    return document


def pack_directory(
    target: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    prefix: str | None = None,
    in_virtualenv: bool | None = None,
) -> WrittenPack:
    """Write the pack for this interpreter into ``target`` (default ``default_directory``); returns it.

    ``prefix`` and ``in_virtualenv`` default to this interpreter's (``sys.prefix``; whether it is a
    virtualenv).
    """
    prefix = sys.prefix if prefix is None else prefix
    in_virtualenv = _in_virtualenv() if in_virtualenv is None else in_virtualenv
    directory = (target or default_directory(os.environ if environ is None else environ, prefix)).absolute()
    virtualenv = str(Path(prefix).absolute()) if in_virtualenv else None
    contents = {
        "PulumiPolicy.yaml": _HEADER
        + yaml.safe_dump(policy_project(virtualenv), sort_keys=False, width=1000),
        "__main__.py": (PACK_SOURCE / "__main__.py").read_text("utf-8"),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        _write_if_changed(directory / name, text)
    return WrittenPack(directory, virtualenv)


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text("utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
