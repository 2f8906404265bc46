"""The package version: the one place it is written.

``pyproject.toml`` reads it for the distribution's metadata (``[tool.setuptools.dynamic]``), the
package re-exports it as ``pulumi_okta_token.__version__``, and the transport's ``User-Agent`` and the
native plugin's ``GetPluginInfo`` report it. A test asserts that they agree.
"""

__version__ = "0.2.0"
