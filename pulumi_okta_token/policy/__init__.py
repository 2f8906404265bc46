"""Guardrails for programs: a Pulumi policy pack judging every ``ApiToken`` a program declares.

``pulumi-okta-token policy-pack`` writes the pack's directory (``_location.pack_directory``) and prints
it, for ``pulumi preview --policy-pack "$(pulumi-okta-token policy-pack)"``. The rules live in ``_judge``
(pure, on the predicates the org audit uses too, ``_exposure``), the ``pulumi_policy`` policies around
them in ``_pack``, which only the pack's own process imports (it needs the ``policy`` extra).
"""
