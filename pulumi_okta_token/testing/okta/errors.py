"""The domain errors the fake org raises for a request it refuses; ``server.py`` maps them to Okta's
error JSON."""

from __future__ import annotations

from collections.abc import Sequence

from .update_rules import Cause

__all__ = ["FakeOrgError", "InvalidRequest", "InvalidUpdate", "TokenNotFound", "UserNotFound"]


class FakeOrgError(Exception):
    """Base of the errors the fake org raises for a request it refuses."""


class TokenNotFound(FakeOrgError):
    """No active token has this id (never existed, or revoked)."""

    def __init__(self, token_id: str) -> None:
        super().__init__(f"no active API token {token_id!r}")
        self.token_id = token_id


class UserNotFound(FakeOrgError):
    """No user has this id."""

    def __init__(self, user_id: str) -> None:
        super().__init__(f"no user {user_id!r}")
        self.user_id = user_id


class InvalidRequest(FakeOrgError):
    """A request Okta would refuse as invalid; ``causes`` names every offending field."""

    def __init__(self, causes: Sequence[Cause]) -> None:
        self.causes = list(causes)
        super().__init__("; ".join(str(cause) for cause in self.causes))


class InvalidUpdate(InvalidRequest):
    """A PUT body Okta would refuse."""
