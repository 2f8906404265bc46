"""``ApiTokenProvider``: the dynamic provider behind ``ApiToken``. It orchestrates; it does not speak HTTP.

What each method does (the README's semantics table says the same):

* ``check``: validates declared inputs with the models, one ``CheckFailure`` per bad property; values
  still unknown during a preview pass through. No API call.
* ``diff``: declared inputs against the stored outputs, only for fields the user set. No API call.
* ``create``: adopts an existing token (Okta cannot create one): 1 GET, plus 1 PUT when the declared name
  or network condition differs. If it fails, nothing was changed.
* ``read``: 1 GET; a revoked token leaves the state.
* ``update``: 1 PUT of name, userId and network; undeclared fields keep their stored values.
* ``delete``: revokes the token (1 DELETE); a token already gone counts as revoked.

The provider object is pickled into every resource's state, so it holds nothing at construction:
configuration and the API client are made after the plugin unpickles and configures it, and are
dropped from any later pickle.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.runtime.rpc import UNKNOWN, contains_unknowns

from .errors import AdoptionError, Forbidden, NotFound, OktaApiError, Unauthorized, ValidationFailed
from .models import (
    FieldDifference,
    TokenMetadata,
    TokenSpec,
    check_props,
    differences,
    outputs_from_token,
    refreshed_inputs,
    token_from_outputs,
    update_body,
)

if TYPE_CHECKING:
    from ._transport import OktaApiTokens

__all__ = ["ApiTokenProvider"]

PROVIDER_KEY = "__provider"

_ADMIN_CONSOLE = "Security > API > Tokens in the Okta Admin Console"


class ApiTokenProvider(ResourceProvider):
    """Adopts, updates, refreshes and revokes existing Okta API tokens."""

    serialize_as_secret_always = True

    def __init__(self) -> None:
        super().__init__()
        self._start()

    # -- pickling: nothing of the runtime state goes into the Pulumi state ------------------

    def _start(self) -> None:
        self._config: Callable[[str], Any] | None = None
        self._client: OktaApiTokens | None = None
        self._org_url = ""
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._start()

    # -- ResourceProvider ---------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Keep the stack config for later; credentials are resolved on the first API call."""
        with self._lock:
            self._config = req.config.get
            self._client = None

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_props(news, is_unknown)
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        declared = {key: value for key, value in news.items() if key != PROVIDER_KEY}
        unknown = {key for key, value in declared.items() if is_unknown(value)}
        old_id = olds.get("token_id") or id_
        if "token_id" in unknown or declared.get("token_id", old_id) != old_id:
            return DiffResult(changes=True, replaces=["token_id"], delete_before_replace=False)
        known = {key: value for key, value in declared.items() if key not in unknown}
        spec = TokenSpec.from_props(known)
        changed = differences(spec, token_from_outputs(old_id, olds))
        return DiffResult(changes=bool(changed or unknown), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = TokenSpec.from_props(props)
        api = self._api()
        with self._explained("adopt", spec.token_id):
            try:
                live = api.read(spec.token_id)
            except NotFound:
                raise AdoptionError(
                    f"cannot adopt API token {spec.token_id}: it does not exist in the Okta org "
                    f"{self._org_url} (never created there, or revoked). Okta's API cannot create API "
                    f"tokens: create one in {_ADMIN_CONSOLE}, then declare its id as token_id."
                ) from None
            found = differences(spec, live)
            _refuse_differing_assertions("adopt", spec.token_id, found)
            if found:
                live = api.update(spec.token_id, _update_body(spec, live))
        return CreateResult(live.id, outputs_from_token(live))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        api = self._api()
        with self._explained("refresh", id_):
            try:
                live = api.read(id_)
            except NotFound:
                return ReadResult(None, {})
        return ReadResult(live.id, outputs_from_token(live), refreshed_inputs(live))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = TokenSpec.from_props(news)
        stored = token_from_outputs(id_, olds)
        _refuse_differing_assertions(
            "update",
            id_,
            differences(spec, stored),
            "run `pulumi refresh` first if the token may have changed",
        )
        api = self._api()
        with self._explained("update", id_):
            live = api.update(id_, _update_body(spec, stored))
        return UpdateResult(outputs_from_token(live))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        api = self._api()
        with self._explained("revoke", id_):
            try:
                api.revoke(id_)
            except NotFound:
                return  # already revoked: the goal of delete is met

    # -- helpers ------------------------------------------------------------------------------

    def _api(self) -> OktaApiTokens:
        """The API client, made on first use from the stack config and the environment."""
        with self._lock:
            if self._client is None:
                from ._transport import OktaApiTokens
                from .config import load_settings

                settings = load_settings(self._config, os.environ)
                self._client = OktaApiTokens(settings)
                self._org_url = settings.org_url
            return self._client

    @contextmanager
    def _explained(self, action: str, token_id: str) -> Iterator[None]:
        """Re-raise Okta's errors with what we were doing and what the user can do about it."""
        try:
            yield
        except OktaApiError as error:
            hint = _HINTS.get(type(error), "")
            raise type(error)(
                status=error.status,
                error_code=error.error_code,
                error_summary=f"could not {action} API token {token_id}: {error.error_summary}{hint}",
                error_id=error.error_id,
                error_causes=error.error_causes,
                method=error.method,
                url=error.url,
            ) from error


_HINTS: dict[type[OktaApiError], str] = {
    Unauthorized: (
        ". Okta did not accept the credentials: check okta:apiToken / OKTA_API_TOKEN (or the OAuth "
        "settings) and that the token used to authenticate is not revoked or expired"
    ),
    Forbidden: (
        ". The credentials lack permission: an API token must belong to an admin allowed to manage API "
        "tokens; an OAuth app needs the okta.apiTokens.read and okta.apiTokens.manage scopes"
    ),
    ValidationFailed: ". Okta refused the change; the causes say which field",
}


def is_unknown(value: Any) -> bool:
    """Whether a property value is, or holds, a value not known until the update (preview only)."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_unknown(item) for item in value)
    return contains_unknowns(value)


def _refuse_differing_assertions(
    action: str, token_id: str, found: list[FieldDifference], advice: str = ""
) -> None:
    """Raise when a declared owner, client name or creation time differs: Okta cannot change them."""
    asserted = [item for item in found if item.asserted]
    if asserted:
        raise AdoptionError(
            f"cannot {action} API token {token_id}: "
            + "; ".join(item.describe() for item in asserted)
            + ". Okta cannot change these fields: correct the declaration or remove the field"
            + (f" ({advice})" if advice else "")
            + ". Nothing was changed."
        )


def _update_body(spec: TokenSpec, current: TokenMetadata) -> dict[str, Any]:
    """The PUT body: declared values, and the current ones for everything not declared."""
    return update_body(
        spec.name if spec.name is not None else current.name,
        spec.user_id if spec.user_id is not None else current.user_id,
        spec.network if spec.network is not None else current.network,
    )
