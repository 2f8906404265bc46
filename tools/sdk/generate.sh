#!/usr/bin/env bash
# `make sdks`: every language's SDK generated from the one schema, pulumi_okta_token/native/schema.json,
# by the pinned CLI and its language hosts (`make pulumi`), offline:
#
#   sdk/nodejs          the Node.js/TypeScript package (npm name: the schema's language.nodejs.packageName)
#   sdk/go/oktatoken    the Go package (import path: the schema's language.go.importBasePath); the Go
#                       module around it, sdk/go.mod, is ours and not generated
#
# Generated files are committed; CI runs this script and fails on any difference (`git status` of the
# generated paths), so a schema change cannot leave an SDK behind.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${PULUMI_TOOLS_DIR:-$root/.tools/pulumi}/bin"
schema="$root/pulumi_okta_token/native/schema.json"
LANGUAGES=(nodejs go)

say() { printf 'make sdks: %s\n' "$*" >&2; }

[ -x "$bin/pulumi" ] || { say "no pulumi CLI at $bin: run make pulumi first"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Offline, and only the language hosts built next to the CLI (none from PATH, none downloaded).
export PULUMI_HOME="$work/home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    PULUMI_DISABLE_REGISTRY_RESOLVE=true PULUMI_IGNORE_AMBIENT_PLUGINS=true

for language in "${LANGUAGES[@]}"; do
    if ! "$bin/pulumi" package gen-sdk "$schema" --language "$language" --out "$work/sdk" \
            --non-interactive >"$work/$language.log" 2>&1; then
        cat "$work/$language.log" >&2
        say "pulumi package gen-sdk --language $language failed"
        exit 1
    fi
done

# Replace each generated tree whole, so that a file the schema no longer produces disappears too.
rm -rf "$root/sdk/nodejs" "$root/sdk/go/oktatoken"
mkdir -p "$root/sdk/go"
cp -R "$work/sdk/nodejs" "$root/sdk/nodejs"
cp -R "$work/sdk/go/oktatoken" "$root/sdk/go/oktatoken"
say "generated ${LANGUAGES[*]} from $(realpath --relative-to="$root" "$schema") with $("$bin/pulumi" version)"
