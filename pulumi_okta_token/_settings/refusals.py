"""How a setting is refused: the error names the setting and the shape it takes, never the value.

No error raised by the settings shows a configured value, not even one that is not a credential: a
secret pasted into the wrong setting (a token as ``orgName``, a key body as a file path) would otherwise
travel to the CLI output and CI logs with the traceback. Errors chain no exception either (a
``FileNotFoundError`` names its path, which may be the key itself).
"""

from __future__ import annotations

from typing import NoReturn

from ..errors import ConfigurationError
from .sources import (
    ACCESS_TOKEN,
    API_TOKEN,
    BASE_URL,
    CLIENT_ID,
    DEFAULT_BASE_URL,
    DEFAULT_SCOPES,
    ORG_NAME,
    ORG_URL,
    PRIVATE_KEY,
    PRIVATE_KEY_ID,
    SCOPES,
)

__all__ = ["ACCEPTED_SOURCES", "NOT_SHOWN", "fail", "refuse_shape"]

ACCEPTED_SOURCES = f"""\
Set the org and exactly one kind of credential, in the stack config or the environment:
  org:          {ORG_URL.describe()} (a full URL, e.g. https://acme.okta.com), or
                {ORG_NAME.describe()} plus {BASE_URL.describe()} (default {DEFAULT_BASE_URL})
  API token:    {API_TOKEN.describe()}
  access token: {ACCESS_TOKEN.describe()}
  private key:  {CLIENT_ID.describe()}, {PRIVATE_KEY.describe()} (PEM or a file path),
                {PRIVATE_KEY_ID.describe()}, {SCOPES.describe()} (default {" ".join(DEFAULT_SCOPES)})
e.g. `pulumi config set okta:orgName acme` and `pulumi config set --secret okta:apiToken ...`."""

NOT_SHOWN = "(The value is not shown: a secret may have been pasted there.)"
"""Ends every error about a value that does not have the shape its setting takes."""


def fail(problem: str, *, list_sources: bool = True) -> NoReturn:
    """Raise the error with no chained exception: the one being handled may quote a configured value."""
    raise ConfigurationError(f"{problem}\n{ACCEPTED_SOURCES}" if list_sources else problem) from None


def refuse_shape(where: str, expected: str) -> NoReturn:
    """A value without the shape its setting takes: name the setting and the shape, never the value."""
    fail(f"{where} {expected}. {NOT_SHOWN}", list_sources=False)
