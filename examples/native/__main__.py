"""API tokens managed through the native ``okta-token`` provider (``okta_token.native.ApiToken``).

``ci`` is what ``pulumi import okta-token:index:ApiToken ci <id>`` printed, pasted here (the id and
zone come from the stack config so the example runs against any org). ``backup`` is taken over with the
``import_`` resource option instead: the first ``pulumi up`` reads it from Okta and imports it, and
fails, changing nothing, if the declaration would need another token. Stack config::

    pulumi config set okta-token:orgName dev-123456
    pulumi config set --secret okta-token:apiToken
    pulumi config set --plaintext ciTokenId 00T1fxzubpqiepH11d38
    pulumi config set --plaintext officeZoneId nzonkw1sfwwi79Hat2d7
    pulumi config set --plaintext backupTokenId 00T2backupbotToken01     # optional
"""

import pulumi

import pulumi_okta_token as okta_token

config = pulumi.Config()

ci = okta_token.native.ApiToken(
    "ci",
    token_id=config.require("ciTokenId"),
    name="ci-deployer",
    network={"connection": "ZONE", "include": [config.require("officeZoneId")], "exclude": []},
    opts=pulumi.ResourceOptions(protect=True),
)
pulumi.export("ci_expires_at", ci.expires_at)

backup_id = config.get("backupTokenId")
if backup_id:
    backup = okta_token.native.ApiToken(
        "backup",
        token_id=backup_id,
        name="backup-bot",
        # Remove `import_` after the first `pulumi up`: it has done its job, and left in place it
        # makes any later change of token_id fail instead of replacing the token.
        opts=pulumi.ResourceOptions(import_=backup_id, retain_on_delete=True),
    )
    pulumi.export("backup_expires_at", backup.expires_at)
