"""Bring existing Okta API tokens under Pulumi: adopt, keep as declared, follow drift, revoke."""
