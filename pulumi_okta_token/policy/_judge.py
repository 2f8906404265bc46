"""The policy pack's rules as pure functions: one ``ApiToken`` declaration (or its outputs) in, a message
out when the rule is broken, ``None`` when it is not or cannot be judged.

What counts as usable from anywhere, restricted by excluded zones only, or expiring is decided by
``_exposure``, the predicates the org audit uses too; the wording of each rule's finding and fix comes
from the audit's ``RULES`` where the audit has the rule. Only ``network-undeclared`` is the pack's own:
a program that leaves ``network`` unset does not manage it, so the token keeps whatever Okta has.

Values the engine does not know yet (during a preview, an input computed from another resource) arrive
as ``UNKNOWN`` and are not judged: the same rule runs again on ``pulumi up``, with the value known, before
the provider is asked to change anything. Every text of the program (resource names, token ids, token
names) is written through ``_text`` so that no escape sequence or line break reaches the terminal or a CI
log as it came.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from .._exposure import expires_within, is_exclude_only, is_usable_from_anywhere
from .._models import ALL_IP_ZONES, NetworkCondition
from .._okta_time import parsed_or_none
from .._text import shown_text
from ..cli._audit_rules import RULES, expiry_detail

__all__ = [
    "EXPIRING_DAYS",
    "PACK_RULES",
    "UNKNOWN",
    "PackRule",
    "expiring",
    "network_anywhere",
    "network_exclude_only",
    "network_undeclared",
    "token_label",
]

EXPIRING_DAYS = 7
"""The ``expiring`` rule's default ``days``: the audit's ``--expiring-days`` default."""


class _Unknown:
    """A value the engine does not know yet (a preview of an input computed from another resource)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The stand-in for a value not known yet."""


@dataclass(frozen=True)
class PackRule:
    """One policy of the pack: its id (the policy's name), what it finds, the fix, and its default
    enforcement level."""

    id: str
    finds: str
    fix: str
    default_level: str
    url: str | None = None


def _from_audit(rule_id: str, default_level: str) -> PackRule:
    rule = RULES[rule_id]
    return PackRule(rule_id, rule.finds, rule.advice, default_level, rule.remediation[0])


_UNDECLARED = PackRule(
    "network-undeclared",
    "tokens whose network condition the program leaves undeclared (the token keeps whatever Okta has)",
    "Declare network for the token: the zones its client calls from, network={'connection': 'ZONE', "
    "'include': [...]} (`pulumi-okta-token generate --name NAME` prints what the token has now).",
    "advisory",
)

PACK_RULES: dict[str, PackRule] = {
    rule.id: rule
    for rule in (
        _from_audit("network-anywhere", "mandatory"),
        _from_audit("network-exclude-only", "advisory"),
        _UNDECLARED,
        PackRule(
            "expiring",
            "tokens that expire within `days` days (a token expires after going unused for its window); "
            "judged on outputs, so only for tokens the stack already holds",
            RULES["expiring"].advice,
            "advisory",
            RULES["expiring"].remediation[0],
        ),
    )
}
"""The pack's policies by name, in the order Pulumi lists them."""


def token_label(resource: str, props: Mapping[str, Any]) -> str:
    """``ApiToken 'NAME' (token 00T...)`` for a message: the resource's name and its token's id, each
    terminal-safe and cut when long."""
    token_id = props.get("token_id")
    if token_id is UNKNOWN or token_id is None:
        which = "token id not known yet" if token_id is UNKNOWN else "no token id"
    else:
        which = f"token {shown_text(token_id)[1:-1]}"
    return f"ApiToken {shown_text(resource)} ({which})"


def _message(rule_id: str, resource: str, props: Mapping[str, Any], detail: str) -> str:
    return f"{rule_id}: {token_label(resource, props)} {detail}. Fix: {PACK_RULES[rule_id].fix}"


def _declared_network(props: Mapping[str, Any]) -> NetworkCondition | None:
    """The declared network condition; ``None`` when it is undeclared, not known yet, or not a condition
    ``check`` accepts (the provider refuses those itself: no policy needs to)."""
    network = props.get("network")
    if not isinstance(network, Mapping) or any(_holds_unknown(value) for value in network.values()):
        return None
    try:
        return NetworkCondition.model_validate({k: v for k, v in network.items() if v is not None})
    except ValidationError:
        return None


def _holds_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, (list, tuple)) and any(item is UNKNOWN for item in value))


def network_anywhere(resource: str, props: Mapping[str, Any]) -> str | None:
    """``network-anywhere``: the declared network lets the token be used from any IP address."""
    network = _declared_network(props)
    if network is None or not is_usable_from_anywhere(network):
        return None
    return _message(
        "network-anywhere", resource, props, "is usable from any IP address (network.connection 'ANYWHERE')"
    )


def network_exclude_only(resource: str, props: Mapping[str, Any]) -> str | None:
    """``network-exclude-only``: the declared network only excludes zones."""
    network = _declared_network(props)
    if network is None or not is_exclude_only(network):
        return None
    if network.exclude == (ALL_IP_ZONES,):
        what = "only excludes the org's zones"
    else:
        what = f"only excludes {len(network.exclude)} zone{'s' if len(network.exclude) != 1 else ''}"
    return _message("network-exclude-only", resource, props, f"{what}: it is usable from every other network")


def network_undeclared(resource: str, props: Mapping[str, Any]) -> str | None:
    """``network-undeclared``: the program does not declare ``network`` at all."""
    if props.get("network") is not None:
        return None
    return _message(
        "network-undeclared",
        resource,
        props,
        "leaves network undeclared: the token keeps whatever network condition Okta has, and this "
        "program neither sets nor checks it",
    )


def expiring(resource: str, props: Mapping[str, Any], now: datetime, days: int) -> str | None:
    """``expiring``: the token's ``expires_at`` output is at most ``days`` days after ``now`` (or past).
    Without a known, readable ``expires_at`` (a token not adopted yet) nothing is judged."""
    value = props.get("expires_at")
    expires_at = parsed_or_none(value) if isinstance(value, str) else None
    if expires_at is None or not expires_within(expires_at, now, timedelta(days=days)):
        return None
    when = expiry_detail(expires_at, now)
    return _message(
        "expiring", resource, props, f"{when}: within the policy's {days} day{'s' if days != 1 else ''}"
    )
