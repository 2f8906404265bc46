"""The pack's program: Pulumi's Python language host runs this file with the interpreter that
``PulumiPolicy.yaml`` names (``pulumi-okta-token policy-pack`` writes both)."""

from pulumi_okta_token.policy._pack import serve

serve()
