"""Package attributes imported on first use (PEP 562), so that importing a package stays cheap.

A package lists where each of its public names is defined and hands the lookup to this module::

    __getattr__, __dir__ = lazy_attributes(__name__, {"FakeOkta": ".fake", "run_program": ".program"})

(with the same imports under ``if TYPE_CHECKING:`` for type checkers). The first access imports the
defining module and keeps the value on the package, so later accesses cost nothing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose ``homes`` map each lazily imported name
    to the module defining it (relative to the package: ``".fake"``)."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *homes})

    return __getattr__, __dir__
