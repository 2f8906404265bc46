// An existing Okta API token, adopted by id: the first `pulumi up` reads it (no write when it is as
// declared); a change of `network` is one PUT; `pulumi destroy` revokes it, unless retainOnDelete.
//
//	pulumi config set okta-token:orgName dev-123456
//	pulumi config set --secret okta-token:apiToken          # prompts for the value
//	pulumi config set tokenId 00T1fxzubpqiepH11d38
//	pulumi config set zoneId nzonkw1sfwwi79Hat2d7
//	pulumi config set retainOnDelete true                   # optional: destroy forgets, never revokes
package main

import (
	"github.com/pulumi-okta-token/pulumi-okta-token/sdk/go/oktatoken"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		ci, err := oktatoken.NewApiToken(ctx, "ci", &oktatoken.ApiTokenArgs{
			Token_id: pulumi.String(cfg.Require("tokenId")),
			Network: &oktatoken.ApiTokenNetworkArgs{
				Connection: pulumi.String("ZONE"),
				Include:    pulumi.StringArray{pulumi.String(cfg.Require("zoneId"))},
			},
		}, pulumi.RetainOnDelete(cfg.GetBool("retainOnDelete")))
		if err != nil {
			return err
		}
		ctx.Export("name", ci.Name)
		ctx.Export("expiresAt", ci.Expires_at)
		return nil
	})
}
