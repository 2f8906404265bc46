"""The program of this repository's Pulumi project (``Pulumi.yaml``): ``examples/tokens_from_config``, the
tokens listed in the stack config (its docstring says how to list them).

It is run from here rather than named with ``main:`` in ``Pulumi.yaml`` because the CLI starts the
dynamic-provider plugin in the program's directory and that plugin resolves a relative ``virtualenv``
against its working directory, while the language host resolves it against the project's: with
``main: examples/tokens_from_config/`` and ``virtualenv: .venv`` the program ran and every token's
provider failed to start (``.../examples/tokens_from_config/.venv doesn't exist``).
"""

import runpy
from pathlib import Path

runpy.run_path(
    str(Path(__file__).parent / "examples" / "tokens_from_config" / "__main__.py"), run_name="__main__"
)
