"""Adopt several existing API tokens, each with its own network condition, from stack config.

The stack config holds a list ``tokens``; each entry names one token::

    pulumi config set --path 'tokens[0].name' ci-deployer
    pulumi config set --plaintext --path 'tokens[0].id' 00T1fxzubpqiepH11d38
    pulumi config set --path 'tokens[0].network.connection' ZONE
    pulumi config set --plaintext --path 'tokens[0].network.include[0]' nzonkw1sfwwi79Hat2d7
    pulumi config set --path 'tokens[1].name' backup-bot
    pulumi config set --plaintext --path 'tokens[1].id' 00T2backupbotToken01
    pulumi config set --path 'tokens[1].network.connection' ANYWHERE
    pulumi config set --path 'tokens[1].retain' true

Entry keys: ``name`` (required: the token's name and the Pulumi resource name), ``id`` (required: the
token's ``00T...`` id), ``network`` (optional: ``connection`` plus ``include`` or ``exclude`` zone
ids), ``user_id`` (optional assertion of the owner), ``retain`` (optional: ``true`` keeps the token
alive when it leaves the program or on ``pulumi destroy``; by default it is revoked).
"""

from typing import Any

import pulumi

from pulumi_okta_token import ApiToken


def declare(entry: dict[str, Any]) -> ApiToken:
    """One ``ApiToken`` from one config entry."""
    # `pulumi config set --path '...retain' true` may store a boolean or the string "true".
    retain = str(entry.get("retain", False)).lower() == "true"
    options = pulumi.ResourceOptions(retain_on_delete=retain)
    return ApiToken(
        entry["name"],
        options,
        token_id=entry["id"],
        name=entry["name"],
        user_id=entry.get("user_id"),
        network=entry.get("network"),
    )


config = pulumi.Config()
for entry in config.require_object("tokens"):
    token = declare(entry)
    pulumi.export(entry["name"], {"token_id": token.token_id, "expires_at": token.expires_at})
