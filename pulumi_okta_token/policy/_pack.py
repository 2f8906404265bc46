"""The policy pack as Pulumi runs it: ``pulumi_policy`` policies around the rules of ``_judge``.

``serve`` is what the pack's ``__main__.py`` calls; it does not return (``pulumi_policy.PolicyPack``
serves the analyzer protocol until the engine stops it). Each rule is one policy, named by its rule id:

* ``network-anywhere``, ``network-exclude-only``, ``network-undeclared``: resource policies, on the
  inputs a program declares for each ``ApiToken`` of either kind (``RESOURCE_TYPES``), judged before the
  engine asks the provider to create or update anything;
* ``expiring``: a stack policy on the resources' properties as the engine gives them to stack policies,
  which are a resource's outputs when the stack holds it already (a preview of an adopted token, and the
  end of the ``up`` that adopts it) and its inputs (no ``expires_at``) when it is new.

Each policy's enforcement level, and ``expiring``'s ``days``, come from ``--policy-pack-config``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ..cli._stack_state import API_TOKEN_TYPE
from ..native.schema import TYPE_TOKEN
from . import _judge
from ._judge import EXPIRING_DAYS, PACK_RULES, UNKNOWN

__all__ = ["PACK_NAME", "RESOURCE_TYPES", "plain", "policies", "serve"]

PACK_NAME = "pulumi-okta-token"

RESOURCE_TYPES: tuple[str, ...] = (API_TOKEN_TYPE, TYPE_TOKEN)
"""The dynamic provider's ``ApiToken`` and the native plugin's: the types the pack judges."""

_LEVELS = {"advisory": EnforcementLevel.ADVISORY, "mandatory": EnforcementLevel.MANDATORY}

Judge = Callable[[str, Mapping[str, Any]], "str | None"]


def plain(value: Any) -> Any:
    """``value`` from ``pulumi_policy`` (proxies that raise on unknown values) as plain dicts, lists and
    scalars, each unknown value replaced by ``_judge.UNKNOWN``."""
    if isinstance(value, Mapping):
        return {key: _item(value, key) for key in value}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [_item(value, index) for index in range(len(value))]
    return value


def _item(container: Any, key: Any) -> Any:
    try:
        return plain(container[key])
    except UnknownValueError:
        return UNKNOWN


def _resource_policy(rule_id: str, judge: Judge) -> ResourceValidationPolicy:
    rule = PACK_RULES[rule_id]

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in RESOURCE_TYPES:
            return
        message = judge(args.name, plain(args.props))
        if message is not None:
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=rule.id,
        description=rule.finds,
        validate=validate,
        enforcement_level=_LEVELS[rule.default_level],
        remediation_steps=rule.fix,
        url=rule.url,
    )


def _expiring_policy(now: Callable[[], datetime]) -> StackValidationPolicy:
    rule = PACK_RULES["expiring"]

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        days = int(args.get_config().get("days", EXPIRING_DAYS))
        moment = now()
        for resource in args.resources:
            if resource.resource_type not in RESOURCE_TYPES:
                continue
            message = _judge.expiring(resource.name, plain(resource.props), moment, days)
            if message is not None:
                report_violation(message, resource.urn)

    return StackValidationPolicy(
        name=rule.id,
        description=rule.finds,
        validate=validate,
        enforcement_level=_LEVELS[rule.default_level],
        config_schema=PolicyConfigSchema(
            properties={"days": {"type": "integer", "minimum": 0, "default": EXPIRING_DAYS}}
        ),
        remediation_steps=rule.fix,
        url=rule.url,
    )


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def policies(
    now: Callable[[], datetime] = _utc_now,
) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    """The pack's policies, in ``PACK_RULES`` order."""
    return [
        _resource_policy("network-anywhere", _judge.network_anywhere),
        _resource_policy("network-exclude-only", _judge.network_exclude_only),
        _resource_policy("network-undeclared", _judge.network_undeclared),
        _expiring_policy(now),
    ]


def serve() -> None:
    """Serve the pack to the engine that started this process (never returns)."""
    PolicyPack(
        name=PACK_NAME,
        policies=list(policies()),
        description="Stops an Okta API token declared usable from anywhere before `pulumi up` reaches Okta",
    )
