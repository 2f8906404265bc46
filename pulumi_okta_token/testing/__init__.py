"""Test helpers shipped with the package: what a test of your own Pulumi program needs.

* :class:`FakeOkta`: a fake Okta org served on 127.0.0.1 (``fake_okta`` is the same as a pytest
  fixture, registered when the package is installed);
* :class:`PluginEngine`: the real provider plugin, driven the way the Pulumi engine drives it, and
  :data:`UNKNOWN`, the value of an output not known yet in a ``preview``;
* :func:`run_program`: your program run under Pulumi's mocks, returning what it declares
  (:class:`ProgramDeclarations`);
* :class:`PulumiStack`: your project driven by the real ``pulumi`` CLI on a throw-away ``file://`` stack
  that reaches nothing but this machine (with :class:`FakeOkta` ``tls=True`` and ``okta:caFile``).

Each name is imported on first use, so importing this package costs next to nothing. The fake's
internals (its org, tokens, faults, journal) live in its own modules (``backend``, ``faults``,
``controls``, ...) and the driver's results in :mod:`pulumi_okta_token.testing.engine`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

if TYPE_CHECKING:
    from .engine import UNKNOWN, PluginEngine
    from .okta.fake import FakeOkta
    from .program import ProgramDeclarations, run_program
    from .pytest_plugin import fake_okta
    from .stack import PulumiStack

__all__ = [
    "UNKNOWN",
    "FakeOkta",
    "PluginEngine",
    "ProgramDeclarations",
    "PulumiStack",
    "fake_okta",
    "run_program",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "UNKNOWN": ".engine",
        "FakeOkta": ".okta.fake",
        "PluginEngine": ".engine",
        "ProgramDeclarations": ".program",
        "PulumiStack": ".stack",
        "fake_okta": ".pytest_plugin",
        "run_program": ".program",
    },
)
