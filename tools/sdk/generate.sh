#!/usr/bin/env bash
# `make sdks`: every language's SDK generated from the one schema, pulumi_okta_token/native/schema.json,
# by the pinned CLI and its language hosts (`make pulumi`), offline:
#
#   sdk/nodejs          the Node.js/TypeScript package (npm name: the schema's language.nodejs.packageName)
#   sdk/go/oktatoken    the Go package (import path: the schema's language.go.importBasePath); the Go
#                       module around it, sdk/go.mod, is ours and not generated
#   sdk/java            the Java sources (package: the schema's language.java.basePackage + .oktatoken) and
#                       README.md; sdk/java/pom.xml, the Maven build around them, is ours and not generated
#   Python              no sdk/python: the Python SDK is this repository's own package, pulumi_okta_token
#                       (the one `pulumi import` programs import, and the one that ships the plugin), so
#                       the generated modules go into it: native/{api_token,_inputs,outputs,provider}.py,
#                       config/ and _utilities.py. The generated package root (__init__.py,
#                       pulumi-plugin.json, README.md) and native/__init__.py are not taken: the
#                       package's own stay (they keep the plugin's start-up free of Pulumi imports and
#                       say {"resource": false}, so the CLI never looks for a plugin to download).
#
# Generated files are committed; CI runs this script and fails on any difference (`git status` of the
# generated paths), so a schema change cannot leave an SDK behind.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repository="$(cd "$here/../.." && pwd)"
bin="${PULUMI_TOOLS_DIR:-$repository/.tools/pulumi}/bin"
# For tests: another schema (SDK_SCHEMA) and another tree to write into (SDK_ROOT, which must exist).
schema="${SDK_SCHEMA:-$repository/pulumi_okta_token/native/schema.json}"
root="$(cd "${SDK_ROOT:-$repository}" && pwd)"
LANGUAGES=(nodejs go python java)
PYTHON_GENERATED=(native/api_token.py native/_inputs.py native/outputs.py native/provider.py
                  config/__init__.py config/__init__.pyi config/vars.py _utilities.py)

say() { printf 'make sdks: %s\n' "$*" >&2; }

[ -x "$bin/pulumi" ] || { say "no pulumi CLI at $bin: run make pulumi first"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Offline, and only the language hosts built next to the CLI (none from PATH, none downloaded).
export PULUMI_HOME="$work/home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    PULUMI_DISABLE_REGISTRY_RESOLVE=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
# The CLI looks next to itself only for the hosts it bundles, and Java is not one of them: the Java host
# built next to it is installed (copied, offline) into this run's plugin cache, at its go.mod version.
java_host_version="$(awk '$1 == "github.com/pulumi/pulumi-java/pkg" { print $2 }' "$repository/tools/pulumi/java-host/go.mod")"
if ! "$bin/pulumi" plugin install language java "$java_host_version" --file "$bin/pulumi-language-java" \
        --non-interactive >"$work/java-host.log" 2>&1; then
    cat "$work/java-host.log" >&2
    say "installing $bin/pulumi-language-java ($java_host_version) into the plugin cache failed"
    exit 1
fi

for language in "${LANGUAGES[@]}"; do
    if ! "$bin/pulumi" package gen-sdk "$schema" --language "$language" --out "$work/sdk" \
            --non-interactive >"$work/$language.log" 2>&1; then
        cat "$work/$language.log" >&2
        say "pulumi package gen-sdk --language $language failed"
        exit 1
    fi
done

# Node.js post-processing, so that sdk/nodejs is a package `npm ci && npm run build` builds (tsc, into bin/):
# - the package's version (the generated "${VERSION}" placeholder) is the plugin's, pulumi_okta_token/_version.py:
#   the SDK asks the engine for okta-token at that version, and the plugin reports it (GetPluginInfo);
# - @pulumi/pulumi (the CLI's pin), typescript and @types/node are pinned exactly; sdk/nodejs/package-lock.json is
#   ours (kept across regenerations, like sdk/go.mod);
# - the host (pkg v3.192.0) built with Go >= 1.26 writes "./utilities" and "./types/..." in config/ and types/,
#   where "../" is meant (filepath.Rel changed; pkg v3.276.0's codegen has the fix): corrected here.
NODEJS_PINS='{"@pulumi/pulumi": "3.276.0", "typescript": "5.9.3", "@types/node": "20.19.43"}'
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$repository/pulumi_okta_token/_version.py")"
[ -n "$version" ] || { say "no __version__ in pulumi_okta_token/_version.py"; exit 1; }
node - "$work/sdk/nodejs/package.json" "$version" "$NODEJS_PINS" <<'NODE'
const fs = require("fs");
const [file, version, pins] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
pkg.version = version;
for (const [name, pin] of Object.entries(JSON.parse(pins))) {
    for (const section of ["dependencies", "devDependencies"]) {
        if (pkg[section] && name in pkg[section]) pkg[section][name] = pin;
    }
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 4) + "\n");
NODE
sed -i 's#from "\./utilities"#from "../utilities"#; s#from "\./types/#from "../types/#' \
    "$work/sdk/nodejs"/config/*.ts "$work/sdk/nodejs"/types/*.ts
# Go: the same version, in pulumi-plugin.json (what the Go host reports the program needs: without it, the
# module's version, v0.0.0 under a `replace`) and in SdkVersion (the version resources are registered with).
sed -i "s/^  \"name\": \"okta-token\"$/  \"name\": \"okta-token\",\n  \"version\": \"$version\"/" \
    "$work/sdk/go/oktatoken/pulumi-plugin.json"
sed -i "s/^var SdkVersion semver.Version = semver.Version{}$/var SdkVersion semver.Version = semver.MustParse(\"$version\")/" \
    "$work/sdk/go/oktatoken/internal/pulumiVersion.go"
grep -q "\"version\": \"$version\"" "$work/sdk/go/oktatoken/pulumi-plugin.json" &&
    grep -q "semver.MustParse(\"$version\")" "$work/sdk/go/oktatoken/internal/pulumiVersion.go" ||
    { say "the Go SDK's version could not be set (the generated pulumi-plugin.json or pulumiVersion.go changed)"; exit 1; }
if [ -f "$repository/sdk/nodejs/package-lock.json" ]; then cp "$repository/sdk/nodejs/package-lock.json" "$work/sdk/nodejs/"; fi

# Replace each generated tree whole, so that a file the schema no longer produces disappears too
# (sdk/nodejs/node_modules and bin/, what `make sdk-deps` installed and built, are put back).
mkdir -p "$work/kept"
for kept in node_modules bin; do
    if [ -d "$root/sdk/nodejs/$kept" ]; then mv "$root/sdk/nodejs/$kept" "$work/kept/$kept"; fi
done
rm -rf "$root/sdk/nodejs" "$root/sdk/go/oktatoken"
mkdir -p "$root/sdk/go"
cp -R "$work/sdk/nodejs" "$root/sdk/nodejs"
cp -R "$work/sdk/go/oktatoken" "$root/sdk/go/oktatoken"
for kept in node_modules bin; do
    if [ -d "$work/kept/$kept" ]; then mv "$work/kept/$kept" "$root/sdk/nodejs/$kept"; fi
done
# Java: README.md and src/ are generated (buildFiles "none": no Gradle files); pom.xml stays.
if [ "$(cd "$work/sdk/java" && ls -A | tr '\n' ' ')" != "README.md src " ]; then
    say "the Java generator wrote other files than README.md and src/: $(ls -A "$work/sdk/java" | tr '\n' ' ')"
    exit 1
fi
# The version the Java SDK registers its resources with (and asks the engine for the plugin at) is the
# package's, as in Node.js and Go: the generator writes the schema's, which it has not (0.0.1).
java_version_file="$(find "$work/sdk/java/src" -name version.txt)"
[ "$(printf '%s\n' "$java_version_file" | wc -l)" -eq 1 ] && [ -f "$java_version_file" ] ||
    { say "the Java generator wrote no single version.txt"; exit 1; }
printf '%s' "$version" >"$java_version_file"
rm -rf "$root/sdk/java/README.md" "$root/sdk/java/src"
mkdir -p "$root/sdk/java"
cp -R "$work/sdk/java/README.md" "$work/sdk/java/src" "$root/sdk/java/"
package="$root/pulumi_okta_token"
generated="$work/sdk/python/pulumi_okta_token"
rm -rf "$package/config"
for path in "${PYTHON_GENERATED[@]}"; do
    install -D -m 0644 "$generated/$path" "$package/$path"
done
# The schema's moduleNameOverrides ("" and "index" -> "native") put the resource in native/, which is
# what `pulumi import` programs refer to (okta_token.native.ApiToken); the generator moves the files but
# keeps the package root's import of _utilities. That one import is corrected to the parent package.
sed -i 's/^from \. import _utilities$/from .. import _utilities/' "$package"/native/{api_token,_inputs,outputs,provider}.py
# Anything else the generator writes is either one of the files above or deliberately not taken; a new
# file fails here, so that a newer generator cannot add a module without this list saying so.
unexpected="$(cd "$generated" && find . -type f ! -name README.md ! -name __init__.py ! -name pulumi-plugin.json \
    ! -name py.typed | sed 's|^\./||' | grep -vxF -f <(printf '%s\n' "${PYTHON_GENERATED[@]}") || true)"
if [ -n "$unexpected" ]; then
    say "the Python generator wrote files this script does not place: $unexpected"
    exit 1
fi
say "generated ${LANGUAGES[*]} from $(realpath --relative-to="$repository" "$schema") into $root with $("$bin/pulumi" version)"
