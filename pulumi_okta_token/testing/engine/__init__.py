"""Drive the real provider plugins the way the Pulumi engine does, without the Pulumi CLI.

Two drivers share the parts below: :class:`PluginEngine` for the dynamic ``ApiToken`` and
:class:`NativeEngine` for the native plugin ``pulumi-resource-okta-token`` (``pulumi import``, the
``import_`` option; its own docstring in ``native.py`` tells its sequences).

:class:`PluginEngine` starts ``python -u -m pulumi.dynamic`` (the process the CLI starts for every Python
dynamic provider) with this process's environment plus ``PULUMI_PROJECT`` and our package on
``PYTHONPATH``, reads the gRPC port the plugin prints, sends ``GetPluginInfo`` and ``Configure`` with a
stack config, and replays the engine's message sequences on a small stack state that it keeps between
calls:

* ``up(program)``: per resource ``Check`` -> ``Diff`` -> ``Create`` / ``Update`` / nothing; a replace is
  ``Check`` again with no old inputs, ``Create`` (new) then, after every other step, ``Delete`` (old)
  (``Delete`` first when the plugin asks for delete-before-replace); resources dropped from the program
  are deleted last. Resources run in parallel threads, as the engine runs independent resources.
* ``preview(program)``: ``Check`` -> ``Diff`` (and the second ``Check`` of a replace), never ``Create``,
  ``Update`` or ``Delete``; inputs may hold :data:`UNKNOWN`, the wire value of an output not known yet
  (the provider receives it as a ``pulumi.output.Unknown``).
* ``refresh()``: ``Read(id, stored outputs, stored inputs)``, then ``Diff(id, olds = the refreshed
  outputs, news = the stored inputs)`` as the CLI sends it; new outputs (and inputs, when the plugin
  returns some) are kept; an empty id drops the resource from the state.
* ``destroy()``: ``Delete(id, stored outputs)`` for every resource.
* ``state_delete(name)``: ``pulumi state delete``; the state forgets the resource, no RPC is sent.

Each call returns a :class:`RunResult` telling per resource what happened and, on failure, the text the
user would see (check failures, or the gRPC error the plugin sent). Example::

    from pulumi_okta_token.testing import FakeOkta, PluginEngine

    with FakeOkta() as okta:
        user = okta.org.add_user()
        admin = okta.org.add_token(name="automation", user_id=user)
        token = okta.org.add_token(name="ci", user_id=user)
        with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": admin.secret}) as engine:
            result = engine.up({"ci-token": {"token_id": token.id, "name": "ci"}})
            assert result["ci-token"].op == "create"
            assert engine.refresh().ops() == {"ci-token": "read"}
            assert engine.destroy().ok and okta.org.token(token.id) is None

What differs from the CLI: the stack state lives in memory (``state_json()`` exports it in the
checkpoint's shape); secrets in that export are kept as plaintext secret objects
(``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "<json>"}``,
the form ``pulumi stack export --show-secrets`` writes) instead of ciphertext; check-failure text
follows the engine's wording (``<type> resource '<name>': property <p> value {<v>} has a problem: ...``)
without its colours, and values are printed the Python way.

The drivers' parts: ``process.py`` (a plugin process: command line, environment, port, output, stop),
``base.py`` (what both drivers keep and how they send), ``sequences.py`` (the engine's message
sequences), ``imports.py`` (``pulumi import``, the ``import_`` option and the program an import writes),
``messages.py`` (every request built in one place), ``state.py`` (the stack state and the results),
``driver.py`` (:class:`PluginEngine`), ``native.py`` (:class:`NativeEngine`) and ``doubles.py``
(``EchoProvider``, a provider that only echoes, for tests of the driver itself).
"""

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes

if TYPE_CHECKING:
    from .driver import API_TOKEN_TYPE, DEFAULT_SECRET_KEYS, PluginEngine
    from .imports import NATIVE_TYPE, ImportResult, ImportSpec
    from .messages import UNKNOWN, secret
    from .native import NATIVE_SECRET_KEYS, ConfigRejected, NativeEngine
    from .process import PluginStartError
    from .state import PROVIDER_KEY, CheckFailure, ResourceState, RunResult, StepResult, secret_value

__all__ = [
    "API_TOKEN_TYPE",
    "DEFAULT_SECRET_KEYS",
    "NATIVE_SECRET_KEYS",
    "NATIVE_TYPE",
    "PROVIDER_KEY",
    "UNKNOWN",
    "CheckFailure",
    "ConfigRejected",
    "ImportResult",
    "ImportSpec",
    "NativeEngine",
    "PluginEngine",
    "PluginStartError",
    "ResourceState",
    "RunResult",
    "StepResult",
    "secret",
    "secret_value",
]

# Imported on first use: the plugin process imports this package to unpickle ``doubles.EchoProvider``.
__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        **dict.fromkeys(("API_TOKEN_TYPE", "DEFAULT_SECRET_KEYS", "PluginEngine"), ".driver"),
        **dict.fromkeys(("NATIVE_TYPE", "ImportResult", "ImportSpec"), ".imports"),
        **dict.fromkeys(("UNKNOWN", "secret"), ".messages"),
        **dict.fromkeys(("NATIVE_SECRET_KEYS", "ConfigRejected", "NativeEngine"), ".native"),
        "PluginStartError": ".process",
        **dict.fromkeys(
            ("PROVIDER_KEY", "CheckFailure", "ResourceState", "RunResult", "StepResult", "secret_value"),
            ".state",
        ),
    },
)
