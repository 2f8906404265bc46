"""The seed example: one existing API token, adopted by id and kept as declared.

Run it as a Pulumi program (set ``main: examples/seed_token/`` in Pulumi.yaml, or copy this file into
your own project's ``__main__.py``). The ids are the ones of Okta's and Terraform's documentation;
replace them with a token of your org (Security > API > Tokens in the Admin Console).

The network block uses Terraform's ``{"ip": "nzo..."}`` form on purpose: it is accepted and stored as
a plain list of zone ids, so the state reads ``exclude: ["nzonkw1sfwwi79Hat2d7"]``.
"""

import pulumi

from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

token = ApiToken(
    "ci-deployer",
    token_id="00T1fxzubpqiepH11d38",  # the token's id; Pulumi reserves `id` for the resource id
    name="ci-deployer",
    user_id="00unkw1sfbTw08c0g1d7",  # asserted: adoption fails if another user owns the token
    client_name="Okta API",  # asserted as well: tokens made in the Admin Console say "Okta API"
    network=ApiTokenNetworkArgs(connection="ZONE", exclude=[{"ip": "nzonkw1sfwwi79Hat2d7"}]),
)

pulumi.export("token_id", token.token_id)
pulumi.export("expires_at", token.expires_at)
