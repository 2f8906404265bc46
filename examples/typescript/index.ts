// An existing Okta API token, adopted by id: the first `pulumi up` reads it (no write when it is as
// declared); a change of `network` is one PUT; `pulumi destroy` revokes it, unless `retainOnDelete`.
//
//   pulumi config set okta-token:orgName dev-123456
//   pulumi config set --secret okta-token:apiToken          # prompts for the value
//   pulumi config set tokenId 00T1fxzubpqiepH11d38
//   pulumi config set zoneId nzonkw1sfwwi79Hat2d7
//   pulumi config set retainOnDelete true                   # optional: destroy forgets, never revokes
import * as pulumi from "@pulumi/pulumi";
import * as oktaToken from "pulumi-okta-token";

const config = new pulumi.Config();

const ci = new oktaToken.ApiToken(
    "ci",
    {
        token_id: config.require("tokenId"),
        network: { connection: "ZONE", include: [config.require("zoneId")] },
    },
    { retainOnDelete: config.getBoolean("retainOnDelete") ?? false },
);

export const name = ci.name;
export const expiresAt = ci.expires_at;
