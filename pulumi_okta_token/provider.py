"""``ApiTokenProvider``: the dynamic provider behind ``ApiToken``. It orchestrates; it does not speak HTTP.

What each method does, and what it may have changed when it fails (the README's semantics table says
the same). A method that fails raises; the Python dynamic-provider host (``pulumi/dynamic/__main__.py``)
then answers the engine with the error alone: it cannot return partial state, so a failed ``create``
records no resource and a failed ``update`` leaves the stored outputs as they were.

* ``check``: validates declared inputs with the models, one ``CheckFailure`` per bad property (values
  echoed cut to a readable length); values still unknown during a preview pass through. No API call.
* ``diff``: declared inputs against the stored outputs, only for fields the user set. No API call.
* ``create``: adopts an existing token (Okta cannot create one): 1 GET (or a list entry, as for
  ``read``), plus 1 PUT when the declared name or network condition differs (and a fresh GET before it
  when the token came from a list page requested before its read and name or network is undeclared).
  Fails without a change when the token is absent, a declared ``user_id``/``client_name``/``created``
  differs, or the GET fails or answers about another token.
  When it fails on or after the PUT, the PUT may have been applied: its answer was lost (no answer,
  a timeout, a 5xx after retries) or is not trusted (about another token: ``WrongTokenAnswer``; not
  showing the declared name or network: ``ChangeNotApplied``). The engine records no resource; the
  next ``pulumi up`` adopts the token again.
* ``read``: 1 GET, or an entry of one list of the org's tokens when one operation reads many
  (``_transport/snapshot.py`` says when), completed from the stored outputs where a real org's list
  lacks a field Okta never changes (``_transport/stable_fields.py``); a token Okta reports as not
  found (404 ``E0000007``, never its absence from a list) leaves the state. Changes nothing in Okta;
  when it fails the stored state stays as it was.
* ``update``: 1 PUT of name, userId and network when both name and network are declared; otherwise
  1 GET first, and the undeclared one is sent as Okta has it now (never from the stored outputs, which
  may be stale). Fails without a change when an assertion differs from the stored outputs or the GET
  fails. When it fails on or after the PUT, the PUT may have been applied (as for ``create``); the
  engine keeps the outputs stored before the update, and the next ``pulumi refresh`` records Okta's
  values.
* ``delete``: revokes the token (1 DELETE); a token Okta reports as not found counts as revoked. When it
  fails the resource stays in the state, yet the token may be revoked already (the answer was lost);
  the next ``destroy`` then finds it gone and succeeds.

``read``, ``update`` and ``delete`` refuse an id that is not an API token id without a request. Every
answer about a token must be about the token asked for, else ``WrongTokenAnswer`` (the API client
checks it for every caller: ``_transport/api_tokens.py``).

The provider object is pickled into every resource's state, so it holds nothing at construction:
configuration and the API client are made after the plugin unpickles and configures it, and are
dropped from any later pickle, as is the list of tokens this process revoked.
"""

from __future__ import annotations

import importlib
import os
import sys
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

from ._models import (
    NetworkCondition,
    TokenMetadata,
    TokenSpec,
    is_token_id,
    outputs_from_token,
    shown,
    token_from_outputs,
    update_body,
)
from ._rules import FieldDifference, check_props, differences, refreshed_inputs
from .errors import (
    AdoptionError,
    ChangeNotApplied,
    Forbidden,
    NotFound,
    OktaApiError,
    OktaTokenError,
    Unauthorized,
    ValidationFailed,
)

if TYPE_CHECKING:
    from ._transport import OktaApiTokens
    from ._transport.snapshot import Call

__all__ = ["ApiTokenProvider"]

PROVIDER_KEY = "__provider"

_ADMIN_CONSOLE = "Security > API > Tokens in the Okta Admin Console"


class _Handovers:
    """The token ids this plugin process adopted, so that deleting another resource of the same token in
    the same operation forgets that resource instead of revoking the token now managed by the new one.

    That is what renaming a resource does: a program that takes the resource name from the token's name
    (``examples/tokens_from_config``, code that ``generate`` writes) and a token renamed in its config
    make the engine create a resource under the new name (adopting the token) and then delete the one
    under the old name, in the same ``pulumi up`` and the same plugin process. The CLI starts one plugin
    process per command, so in a plugin process "this process" is "this operation" (``configure`` does
    not clear it: the old resource's provider object may be configured only when its delete comes).
    ``pulumi destroy`` adopts nothing, so it revokes every token as declared. Anywhere else (a provider
    used directly in a long-lived process) nothing is recorded and ``delete`` always revokes.
    """

    def __init__(self, active: bool) -> None:
        self.active = active
        """Whether this process is a plugin the CLI started for one command."""
        self._adopted: set[str] = set()
        self._lock = threading.Lock()

    def adopted(self, token_id: str) -> None:
        if self.active:
            with self._lock:
                self._adopted.add(token_id)

    def taken_over(self, token_id: str) -> bool:
        """Whether a resource adopted ``token_id`` in this operation."""
        with self._lock:
            return token_id in self._adopted


LONG_LIVED_PLUGIN_ENV = "PULUMI_OKTA_TOKEN_LONG_LIVED_PLUGIN"
"""Set to ``1`` by a host that keeps one plugin process for several operations (``PluginEngine`` with
``fresh_plugin_per_operation=False``): the plugin then never takes a delete for a hand-over."""


def _in_dynamic_provider_host() -> bool:
    """Whether this process is Pulumi's dynamic-provider host (``python -m pulumi.dynamic``) serving one
    operation, as the CLI starts it."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    one_operation = os.environ.get(LONG_LIVED_PLUGIN_ENV) != "1"
    return getattr(spec, "name", None) == "pulumi.dynamic.__main__" and one_operation


_HANDOVERS = _Handovers(active=_in_dynamic_provider_host())
"""Per process (the native plugin activates it with :func:`serving_one_operation`), not per provider
object: the old resource may carry another pickled provider (an older release's) than the new one, and
the dynamic-provider host keeps one object per pickle."""


def serving_one_operation() -> None:
    """Say that this process is a plugin the CLI started for one command: a token adopted here and then
    deleted as another resource in the same process is handed over, not revoked (see ``_Handovers``).
    Nothing changes when the host said it keeps the process for several (``LONG_LIVED_PLUGIN_ENV``)."""
    _HANDOVERS.active = os.environ.get(LONG_LIVED_PLUGIN_ENV) != "1"


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
        self._signs_in_with_api_token = False
        self._revoked: list[str] = []  # tokens this process revoked (or is revoking): its credential?
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._start()

    # -- ResourceProvider ---------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Keep the stack config, and start opening the org's connection on a thread of its own
        (``_connect_ahead``): Configure returns at once."""
        with self._lock:
            self._config = req.config.get
            self._client = None
        threading.Thread(target=self._connect_ahead, name="okta-connect-ahead", daemon=True).start()

    def _connect_ahead(self) -> None:
        """Load the settings and open the org's connection (TCP, TLS; no request is sent), so the first
        call does not wait for them. Settings that cannot be read are reported by the first API call.

        The settings and transport modules (the Okta SDK: most of a second) are imported before ``_api``
        takes the provider's lock, so the calls the engine makes meanwhile (check, diff) are not held up."""
        try:
            for module in ("._settings", "._transport"):
                importlib.import_module(module, __package__)
            client = self._api()
        except Exception:  # the first API call loads the settings again and reports what is wrong
            return
        client.connect_ahead()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self._asked(news.get("token_id"), "check")
        inputs, failures = check_props(news, is_unknown)
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        self._asked(id_, "diff")
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
        """Adopt the declared token: 1 GET (or a list entry, see ``_transport.snapshot``), and 1 PUT when
        the declared name or network differs; before that PUT, 1 GET more when the token came from a list
        page requested before this read and name or network is not declared, so the undeclared one is sent
        as Okta has it now.

        If it fails before the PUT, nothing was changed. If it fails on or after the PUT, the PUT may
        have been applied (its answer lost or not trusted); the engine records no resource either way,
        and the next ``up`` adopts again.
        """
        spec = TokenSpec.from_props(props)
        api = self._api()
        with self._explained("adopt", spec.token_id):
            try:
                served = api.read_to_adopt(spec.token_id)
            except NotFound:
                raise AdoptionError(
                    f"cannot adopt API token {spec.token_id}: it does not exist in the Okta org "
                    f"{self._org_url} (never created there, or revoked). Okta's API cannot create API "
                    f"tokens: create one in {_ADMIN_CONSOLE}, then declare its id as token_id."
                ) from None
            live = served.token
            found = differences(spec, live)
            _refuse_differing_assertions("adopt", spec.token_id, found)
            if found and (spec.name is None or spec.network is None) and served.may_predate_the_read:
                # The PUT sends the undeclared field as Okta has it now: never from a list entry of a page
                # requested before this read (a console change in between would be written back). 1 GET
                # more; a page this read itself fetched is as new as that GET would be.
                live = api.get(spec.token_id)
                found = differences(spec, live)
                _refuse_differing_assertions("adopt", spec.token_id, found)
            if found:
                live = _put(
                    api,
                    "adopt",
                    spec.token_id,
                    spec,
                    name=live.name,
                    user_id=live.user_id,
                    network=live.network,
                )
        _HANDOVERS.adopted(spec.token_id)
        return CreateResult(spec.token_id, outputs_from_token(live))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """1 GET, or a list entry (completed from ``props``, the state, where Okta never changes a field:
        ``_transport/stable_fields.py``): the live token's outputs and the inputs that declare it; gone
        when Okta says not found.

        Changes nothing in Okta; if it fails, the stored state stays as it was.
        """
        _refuse_a_malformed_id("refresh", id_)
        api = self._api()
        with self._explained("refresh", id_):
            try:
                live = api.read(id_, _stored(id_, props))
            except NotFound:
                return ReadResult(None, {})
        return ReadResult(id_, outputs_from_token(live), refreshed_inputs(live))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """1 PUT when name and network are both declared, else 1 GET + 1 PUT (the undeclared one as Okta
        has it now, never from the stored outputs).

        If it fails before the PUT, nothing was changed. If it fails on or after the PUT, the PUT may
        have been applied (its answer lost or not trusted); the engine keeps the outputs stored before
        this update, and the next refresh records Okta's values.
        """
        _refuse_a_malformed_id("update", id_)
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
            current = stored
            if spec.name is None or spec.network is None:
                current = api.get(id_)
            live = _put(
                api,
                "update",
                id_,
                spec,
                name=current.name,
                user_id=stored.user_id or current.user_id,
                network=current.network,
            )
        return UpdateResult(outputs_from_token(live))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """Revoke the token (1 DELETE); one Okta reports as not found counts as revoked.

        If it fails, the resource stays in the state; the token may be revoked nonetheless when the
        answer was lost, and the next ``destroy`` finds it gone.

        A token another resource adopted in this same operation is not revoked: the engine deletes the
        old resource of a renamed one (see ``_Handovers``), and the token now belongs to the new one.
        """
        _refuse_a_malformed_id("revoke", id_)
        if _HANDOVERS.taken_over(id_):
            return
        api = self._api()
        with self._lock:  # before the answer: a parallel call's 401 may follow this revoke
            self._revoked.append(id_)
        try:
            with self._explained("revoke", id_):
                api.revoke(id_)
        except (NotFound, Unauthorized, Forbidden) as refused:
            with self._lock:  # Okta revoked nothing
                self._revoked.remove(id_)
            if isinstance(refused, NotFound):
                return  # already revoked: the goal of delete is met
            raise

    # -- helpers ------------------------------------------------------------------------------

    def _asked(self, token_id: Any, call: Call) -> None:
        """Tell the API client, if there is one yet, that the engine asks about ``token_id``: a list
        snapshot that answered it already belongs to an earlier operation (``_transport/snapshot.py``).
        Makes no client and no request (check and diff call no API)."""
        with self._lock:
            client = self._client
        if client is not None and isinstance(token_id, str):
            client.asked(token_id, call)

    def _api(self) -> OktaApiTokens:
        """The API client, made on first use from the stack config and the environment."""
        with self._lock:
            if self._client is None:
                from ._settings import ApiTokenAuth, load_settings, warn_once
                from ._transport import OktaApiTokens

                settings = load_settings(self._config, os.environ)
                warn_once(settings.notices)  # pulumi-okta settings read differently here, once each
                self._client = OktaApiTokens(settings)
                self._org_url = settings.org_url
                self._signs_in_with_api_token = isinstance(settings.auth, ApiTokenAuth)
            return self._client

    @contextmanager
    def _explained(self, action: str, token_id: str) -> Iterator[None]:
        """Re-raise Okta's errors with what we were doing and what the user can do about it.

        The new error carries every field of Okta's; it is raised ``from None`` because the engine shows
        the whole traceback, and the chained one would only repeat the transport's frames."""
        try:
            yield
        except OktaApiError as error:
            hint = _HINTS.get(type(error), "")
            if isinstance(error, Unauthorized):
                hint += self._revoked_credential_hint(token_id)
            raise type(error)(
                status=error.status,
                error_code=error.error_code,
                error_summary=f"could not {action} API token {token_id}: {error.error_summary}{hint}",
                error_id=error.error_id,
                error_causes=error.error_causes,
                method=error.method,
                url=error.url,
            ) from None

    def _revoked_credential_hint(self, failed_id: str) -> str:
        """Why a 401 may follow a revoke this process made (an API token credential only)."""
        with self._lock:
            revoked = [token_id for token_id in dict.fromkeys(self._revoked) if token_id != failed_id]
        if not revoked or not self._signs_in_with_api_token:
            return ""
        listed = ", ".join(revoked[:_LISTED]) + (
            f" and {len(revoked) - _LISTED} more" if len(revoked) > _LISTED else ""
        )
        return (
            f". This provider process revoked API token(s) {listed} earlier in this run: the credential "
            "the provider signs in with (okta:apiToken / OKTA_API_TOKEN) may itself have been one of the "
            "revoked tokens, and a revoked token cannot be restored. To keep a token the provider signs in "
            "with, set retain_on_delete=True on that token's resource (then remove it or destroy), or make "
            "Pulumi forget it with `pulumi state delete <urn>`; better, sign in with a credential this "
            f"stack does not manage. If it was revoked, create a new token in {_ADMIN_CONSOLE} and set it "
            "with `pulumi config set --secret okta:apiToken`"
        )


_LISTED = 5
"""How many revoked token ids a hint lists."""

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
    NotFound: (
        ". The token no longer exists in Okta (revoked since the last refresh?): `pulumi refresh` drops "
        "it from the state; nothing was changed"
    ),
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


def _stored(token_id: str, props: Mapping[str, Any]) -> TokenMetadata | None:
    """The token as the state's outputs hold it, when they are about ``token_id`` and readable; ``None``
    otherwise (an import brings no outputs): a read then never takes a field from the state."""
    if props.get("token_id") != token_id:
        return None
    try:
        return token_from_outputs(token_id, props)
    except ValueError:  # pydantic's ValidationError: outputs no release of ours wrote
        return None


def _refuse_a_malformed_id(action: str, token_id: str) -> None:
    """Raise, before any request, when the resource id is not an API token id."""
    if not is_token_id(token_id):
        raise OktaTokenError(
            f"cannot {action} the API token of this resource: its id {shown(token_id)} is not an Okta "
            "API token id ('00T' followed by 17 letters or digits), so no request was sent. The id "
            "comes from the stack state (or from ApiToken.get): if the state holds a wrong id, make "
            "Pulumi forget the resource with `pulumi state delete <urn>` and declare the token again."
        )


def _put(
    api: OktaApiTokens,
    action: str,
    token_id: str,
    spec: TokenSpec,
    *,
    name: str | None,
    user_id: str | None,
    network: NetworkCondition | None,
) -> TokenMetadata:
    """PUT the declared name and network (the given current values for what is undeclared), and
    check the answer is about this token and shows what was declared."""
    body = update_body(
        spec.name if spec.name is not None else name,
        spec.user_id if spec.user_id is not None else user_id,
        spec.network if spec.network is not None else network,
    )
    answer = api.update(token_id, body)
    _refuse_a_change_not_applied(action, token_id, spec, answer)
    return answer


_AFTERMATH = {
    "adopt": (
        "The token is not taken under management (the engine records no resource when create fails); "
        "the next `pulumi up` adopts it again."
    ),
    "update": (
        "A dynamic provider cannot return partial state when an operation fails, so the engine keeps "
        "the outputs it stored before this update; the next `pulumi refresh` records Okta's values."
    ),
}


def _refuse_a_change_not_applied(action: str, token_id: str, spec: TokenSpec, answer: TokenMetadata) -> None:
    """Raise ``ChangeNotApplied`` when the PUT's answer does not show the declared name and network."""
    missing = [item for item in differences(spec, answer) if item.field in ("name", "network")]
    if missing:
        fields = [item.field for item in missing]
        raise ChangeNotApplied(
            f"Okta accepted the PUT to {action} API token {token_id} (HTTP 200) but did not apply "
            f"the {' and '.join(fields)}: "
            + "; ".join(item.describe("Okta reports") for item in missing)
            + f". {_AFTERMATH[action]} Check the token in {_ADMIN_CONSOLE}: Okta may not allow this "
            "change through its API.",
            token_id=token_id,
            fields=fields,
        )
