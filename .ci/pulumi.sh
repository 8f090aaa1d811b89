#!/usr/bin/env bash
# Builds the real Pulumi CLI from its Go modules, with the Python language host and the
# `pulumi-resource-pulumi-python` shim, into a cache outside the repository; prints the directory
# that holds the binaries. A second run finds the binaries of that version and builds nothing (Go's
# module and build caches make a rebuild after a cache wipe cheaper too).
#
#   .ci/pulumi.sh            # prints e.g. /root/.cache/guardrail/pulumi/v3.276.0/bin
#   PATH="$(.ci/pulumi.sh):$PATH" pulumi version
#
# PULUMI_VERSION picks the version (pkg/v3 and sdk/v3 always at the same one), GUARDRAIL_CACHE_DIR
# the cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/guardrail).
set -euo pipefail

version=${PULUMI_VERSION:-3.276.0}
cache=${GUARDRAIL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/guardrail}/pulumi/v$version
bin=$cache/bin
if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-python" ] && [ -x "$bin/pulumi-resource-pulumi-python" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "error: building the Pulumi CLI needs Go (go 1.24 or newer)" >&2; exit 2; }

start=$(date +%s)
mkdir -p "$bin"
# A scratch module outside the repository whose only job is to depend on pkg/v3 and sdk/v3 at one
# version; pkg's own go.mod replaces github.com/atotto/clipboard, and a replace only counts in the
# main module, so it is repeated here.
scratch=$cache/build
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"
export GOFLAGS=-mod=mod
go mod init guardrail.invalid/pulumi-build >/dev/null 2>&1
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" >&2
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
go build -o "$bin/pulumi.tmp" -ldflags "$ldflags" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
mv "$bin/pulumi.tmp" "$bin/pulumi"
echo "pulumi v$version built in $(( $(date +%s) - start )) s" >&2
echo "$bin"
