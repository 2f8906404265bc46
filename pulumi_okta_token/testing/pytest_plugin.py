"""pytest plugin (registered through the ``pytest11`` entry point): the ``fake_okta`` fixture.

The fake is imported when the fixture is first used, so the plugin costs nothing to test runs
that never ask for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .fake import FakeOkta


@pytest.fixture
def fake_okta() -> Iterator[FakeOkta]:
    """A started fake Okta org, stopped after the test: empty, no paging, rate limits at their defaults
    (600 requests a minute in ``/api/v1``, of which one token may use half)."""
    from .fake import FakeOkta

    with FakeOkta() as okta:
        yield okta
