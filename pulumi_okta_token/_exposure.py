"""What a token's network condition and expiry mean for its exposure: the one definition of each.

The org audit (``cli._audit_rules``: what Okta has) and the policy pack (``policy``: what a program
declares) judge tokens by these predicates and by no other test, so that ``network-anywhere``,
``network-exclude-only`` and ``expiring`` mean the same wherever they are reported:

* usable from anywhere: connection ``ANYWHERE``, or no network condition at all (Okta's answer for a
  token never restricted);
* restricted by excluded zones only: connection ``ZONE`` with excluded zones and no included ones
  (``ALL_IP_ZONES`` excluded included): every network outside those zones may use the token;
* expiring within a span: the expiry is no later than ``now + within`` (an expiry already past is).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ._models import NetworkCondition

__all__ = ["expires_within", "is_exclude_only", "is_usable_from_anywhere"]


def is_usable_from_anywhere(network: NetworkCondition | None) -> bool:
    """Whether a token with ``network`` may be used from any IP address (``None``: no condition)."""
    return network is None or network.connection == "ANYWHERE"


def is_exclude_only(network: NetworkCondition | None) -> bool:
    """Whether ``network`` restricts a token by excluded zones alone (a deny-list, no allow-list)."""
    return (
        network is not None and network.connection == "ZONE" and not network.include and bool(network.exclude)
    )


def expires_within(expires_at: datetime, now: datetime, within: timedelta) -> bool:
    """Whether an expiry at ``expires_at`` comes no later than ``within`` after ``now`` (or has passed)."""
    return expires_at - now <= within
