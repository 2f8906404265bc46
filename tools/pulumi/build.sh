#!/usr/bin/env bash
# Builds the pinned Pulumi CLI and the language hosts this repository tests with, from the Go module
# proxy, into .tools/pulumi/bin/ (git-ignored). `make pulumi` runs it.
#
#   pulumi                          the CLI, with the version ldflag (`pulumi version` prints the pin)
#   pulumi-language-yaml            the YAML language host
#   pulumi-resource-pulumi-python   the script the CLI starts for dynamic providers (refresh, destroy)
#   pulumi-language-python          the Python language host, and pulumi-language-python-exec beside it
#   pulumi-language-nodejs          the Node.js host: runs TypeScript programs, generates the Node.js SDK
#   pulumi-language-go              the Go host: builds and runs Go programs, generates the Go SDK
#   pulumi-language-java            the Java host (pulumi-java): generates the Java SDK
#
# Six tools modules (requirements only, no Pulumi code), one module graph each, because the language
# hosts do not compile against the CLI's sdk/v3 and pkg/v3 (their plugin APIs changed):
#   go.mod              the CLI, pkg/v3 and sdk/v3 at the pin
#   yaml-host/go.mod    pulumi-yaml at its newest served tag, on the pkg/sdk it requires (v3.206.0)
#   python-host/go.mod  the Python host: an untagged module, of which the Go module proxy serves one
#                       pseudo-version here (v3.0.0-20250806165243-bee5e4fa4815), on sdk/pkg v3.192.0
#   nodejs-host/go.mod  the Node.js host, untagged too, at the same commit and sdk/pkg v3.192.0
#   go-host/go.mod      the Go host, likewise
#   java-host/go.mod    the Java host, github.com/pulumi/pulumi-java/pkg at v1.17.0 (the newest tag the
#                       proxy serves: v1.18.0 and later, and v1.17.1, are refused), on sdk/pkg v3.205.0;
#                       pulumi-java's own replace directives need nothing here (Sirupsen/logrus is not in
#                       the graph, and gogo/protobuf resolves to v1.3.2, their target, anyway)
# The hosts speak the language-host gRPC protocol to the newer CLI, as hosts older than the CLI do in
# any Pulumi install whose plugins are not upgraded with it.
# Nothing is rebuilt when the binaries were built from the same go.mod, go.sum files and script. Release
# flags as Pulumi's own builds: CGO off, -trimpath, tags osusergo,grpcnotrace.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
script="$here/$(basename "$0")"
root="$(cd "$here/../.." && pwd)"
out="${PULUMI_TOOLS_DIR:-$root/.tools/pulumi}"
bin="$out/bin"
stamp="$bin/.built-from"

CLI_PACKAGE=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
PYTHON_HOST=github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
PYTHON_HOST_MODULE="$here/python-host"
YAML_HOST=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
YAML_HOST_MODULE="$here/yaml-host"
NODEJS_HOST=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
NODEJS_HOST_MODULE="$here/nodejs-host"
GO_HOST=github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3
GO_HOST_MODULE="$here/go-host"
JAVA_HOST=github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java
JAVA_HOST_MODULE="$here/java-host"
SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
BINARIES=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python
          pulumi-language-yaml pulumi-language-nodejs pulumi-language-go pulumi-language-java)

say() { printf 'make pulumi: %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
    say "the go command is missing: install Go 1.26 or newer (this repository's machines have it) and run make pulumi again"
    exit 1
fi

cd "$here"
fingerprint="$( (cat go.mod go.sum ./*-host/go.mod ./*-host/go.sum "$script"; go env GOVERSION) |
    sha256sum | cut -d' ' -f1)"

up_to_date() {
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ] || return 1
    local name
    for name in "${BINARIES[@]}"; do [ -x "$bin/$name" ] || return 1; done
}

if up_to_date; then
    say "up to date: $("$bin/pulumi" version) in $bin"
    exit 0
fi

version="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
say "building Pulumi $version into $bin (a cold build downloads ~350 modules and compiles for 10-20 minutes on 2 cores)"

# Step 1: every module of the graph, so that a refusal names its module and version.
say "step 1/3: downloading the modules go.sum lists"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { go mod download -x && (cd "$YAML_HOST_MODULE" && go mod download -x) &&
       (cd "$PYTHON_HOST_MODULE" && go mod download -x) && (cd "$NODEJS_HOST_MODULE" && go mod download -x) &&
       (cd "$GO_HOST_MODULE" && go mod download -x) && (cd "$JAVA_HOST_MODULE" && go mod download -x); } >"$log" 2>&1; then
    refused="$(grep -Eo '[a-zA-Z0-9./_-]+@v[^:[:space:]]+: (reading|verifying|invalid|unknown).*' "$log" | sort -u | head -5 || true)"
    if [ -n "$refused" ]; then
        say "the Go module proxy did not serve these module versions:"
        printf '  %s\n' "$refused" >&2
    else
        tail -20 "$log" >&2
    fi
    say "download failed; the pins are in $here/go.mod and $here/*-host/go.mod"
    exit 1
fi
say "  $(grep -c '^# get ' "$log" || true) module files fetched (0 when the module cache had them all)"

# Step 2: compile, with a progress line every 200 packages (a cold build compiles ~2,500).
# build MODULE_DIR VERSION_VARIABLE VERSION PACKAGE...: one module graph's binaries, stamped with VERSION.
build() {
    local module_dir="$1" variable="$2" stamp_version="$3"
    shift 3
    (cd "$module_dir" && CGO_ENABLED=0 go build -v -trimpath -tags osusergo,grpcnotrace \
        -ldflags "-X $variable=$stamp_version" -o "$bin/" "$@") 2>&1 |
        awk '/^#|: / { print; fflush(); next }
             { n++; if (n % 200 == 0) { printf "make pulumi:   %d packages compiled\n", n; fflush() } }
             END { printf "make pulumi:   %d packages compiled (the rest came from the build cache)\n", n }' >&2
    local status="${PIPESTATUS[0]}"
    if [ "$status" -ne 0 ]; then
        say "go build of $* failed (exit $status)"
        exit "$status"
    fi
}
mkdir -p "$bin"
rm -f "$stamp"
SDK_VERSION=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
yaml_version="$(cd "$YAML_HOST_MODULE" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-yaml)"
host_sdk="$(cd "$PYTHON_HOST_MODULE" && go list -m -f '{{.Version}}' "$SDK_MODULE")"
java_version="$(cd "$JAVA_HOST_MODULE" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-java/pkg)"
say "step 2/3: compiling pulumi $version, pulumi-language-yaml $yaml_version, pulumi-language-python, -nodejs and -go (sdk $host_sdk), pulumi-language-java $java_version"
build "$here" "$SDK_VERSION" "$version" "$CLI_PACKAGE"
build "$YAML_HOST_MODULE" github.com/pulumi/pulumi-yaml/pkg/version.Version "$yaml_version" "$YAML_HOST"
build "$PYTHON_HOST_MODULE" "$SDK_VERSION" "$host_sdk" "$PYTHON_HOST"
build "$NODEJS_HOST_MODULE" "$SDK_VERSION" "$host_sdk" "$NODEJS_HOST"
build "$GO_HOST_MODULE" "$SDK_VERSION" "$host_sdk" "$GO_HOST"
build "$JAVA_HOST_MODULE" github.com/pulumi/pulumi-java/pkg/version.Version "$java_version" "$JAVA_HOST"

# Step 3: the two scripts Pulumi's release archive adds: the executor from the Python host's sdk/v3 (it
# is the host's half), the dynamic-provider script from the CLI's (the CLI starts it). Python policy
# packs need no third script: the CLI (since v3.221) starts a pack directory through the language host's
# RunPlugin, with the interpreter of the virtualenv its PulumiPolicy.yaml names; sdk/v3 no longer ships
# pulumi-analyzer-policy-python.
say "step 3/3: the language host's executor and the dynamic-provider script, from $SDK_MODULE"
host_sdk_dir="$(cd "$PYTHON_HOST_MODULE" && go list -m -f '{{.Dir}}' "$SDK_MODULE")"
cli_sdk_dir="$(go list -m -f '{{.Dir}}' "$SDK_MODULE")"
install -m 0755 "$host_sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
install -m 0755 "$cli_sdk_dir/python/dist/pulumi-resource-pulumi-python" "$bin/pulumi-resource-pulumi-python"

for name in "${BINARIES[@]}"; do
    [ -x "$bin/$name" ] || { say "$bin/$name is missing after the build"; exit 1; }
done
echo "$fingerprint" >"$stamp"
say "done: $("$bin/pulumi" version), $(du -sh "$bin" | cut -f1) in $bin"
