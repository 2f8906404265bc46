"""``stable_fields.completed``: a list entry lacking only fields Okta never changes for a token id is
completed from the state's token; anything else is left for a GET (``None``)."""

from __future__ import annotations

import pytest
from transport_support import complete_token

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._transport.stable_fields import STABLE_FIELDS, completed

ID = "00T" + "1" * 17
OTHER = "00T" + "2" * 17


def token(token_id: str = ID, **fields: object) -> TokenMetadata:
    return complete_token(token_id, **fields)


def test_the_stable_fields_are_the_window_the_client_and_the_creation_time() -> None:
    assert {"token_window", "client_name", "created"} == STABLE_FIELDS


def test_a_real_list_entry_takes_its_window_from_the_state_and_the_rest_from_the_list() -> None:
    entry = token(name="renamed", tokenWindow=None)
    assert completed(entry, token(name="as-stored", tokenWindow="P7D")) == token(
        name="renamed", tokenWindow="P7D"
    )


def test_a_complete_entry_is_served_as_listed_without_a_state() -> None:
    assert completed(token(), None) == token()


def test_an_entry_lacking_a_stable_field_without_a_state_is_not_completed() -> None:
    assert completed(token(tokenWindow=None), None) is None


def test_an_entry_lacking_what_the_state_lacks_too_is_not_completed() -> None:
    assert completed(token(tokenWindow=None), token(tokenWindow=None)) is None


@pytest.mark.parametrize("field", ["name", "userId", "network", "expiresAt", "lastUpdated"])
def test_an_entry_lacking_a_field_okta_may_change_is_not_completed(field: str) -> None:
    assert completed(token(**{field: None}), token()) is None


@pytest.mark.parametrize(
    ("field", "stored"),
    [("clientName", "Other"), ("created", "2000-01-01T00:00:00.000Z"), ("tokenWindow", "P7D")],
)
def test_a_state_disagreeing_on_a_stable_field_the_entry_gives_is_not_served(field: str, stored: str) -> None:
    assert (
        completed(
            token(**({} if field == "tokenWindow" else {"tokenWindow": None})), token(**{field: stored})
        )
        is None
    )


def test_a_state_of_another_token_id_completes_nothing() -> None:
    assert completed(token(tokenWindow=None), token(OTHER)) is None
    assert completed(token(), token(OTHER)) is None
