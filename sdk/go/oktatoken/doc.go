// Bring existing Okta API tokens under Pulumi: import or adopt a token by its id, keep its name and network condition as declared, follow changes made in the Admin Console on refresh, revoke it on destroy.
package oktatoken
