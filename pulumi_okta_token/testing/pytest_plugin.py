"""pytest plugin (registered through the ``pytest11`` entry point): the ``fake_okta`` fixture.

Every pytest run in a virtualenv with the package installed imports this module, so it imports
nothing heavy: the fake (and aiohttp with it) is imported when the fixture is first used, and the
packages above this module import their names on first use too. Importing it loads neither gRPC,
aiohttp, Pulumi nor the engine driver (``tests/testing/test_testing_package.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .okta.fake import FakeOkta


@pytest.fixture
def fake_okta() -> Iterator[FakeOkta]:
    """A started fake Okta org, stopped after the test: empty, no paging, rate limits at their defaults
    (600 requests a minute in ``/api/v1``, of which one token may use half), list entries real-shaped
    (``tokenWindow: null``; ``set_full_list_entries()`` gives them whole)."""
    from .okta.fake import FakeOkta

    with FakeOkta() as okta:
        yield okta
