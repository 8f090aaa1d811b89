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
# The Python SDK from PyPI for the test programs (PyPI's newest at the time; the SDK and the CLI
# speak the same protocol across minor versions).
python_sdk=${PULUMI_PYTHON_SDK_VERSION:-3.272.0}
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${GUARDRAIL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/guardrail}/pulumi/v$version
bin=$cache/bin
mkdir -p "$bin"
start=$(date +%s)

if [ ! -x "$bin/pulumi" ]; then
  command -v go >/dev/null || { echo "error: building the Pulumi CLI needs Go (go 1.24 or newer)" >&2; exit 2; }
  # A scratch module outside the repository whose only job is to depend on pkg/v3 and sdk/v3 at
  # one version; pkg's own go.mod replaces github.com/atotto/clipboard, and a replace only counts
  # in the main module, so it is repeated here.
  scratch=$cache/build
  rm -rf "$scratch"
  mkdir -p "$scratch"
  (
    cd "$scratch"
    export GOFLAGS=-mod=mod
    go mod init guardrail.invalid/pulumi-build >/dev/null 2>&1
    go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" >&2
    go build -o "$bin/pulumi.tmp" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  )
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  echo "pulumi v$version built in $(( $(date +%s) - start )) s" >&2
fi

# The Python side: a virtual environment with the SDK, the SDK's program runner and dynamic
# provider shim (both shipped in the sdk Go module), and the language host.
if [ ! -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c 'import pulumi' 2>/dev/null; then
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/python" -m pip install --quiet "pulumi==$python_sdk" >&2
fi
sdk=$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
install -m 755 "$sdk/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
install -m 755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$bin/pulumi-resource-pulumi-python"
# The language host: Pulumi's own (module .../sdk/python/cmd/pulumi-language-python/v3) is not
# served by the module proxy here; the repository's stand-in speaks the same protocol. And a fake
# `aws` provider, so that test programs use AWS types without a download. Both live in
# crates/guardrail/tests/pulumi and are copied on every run (they are small).
for plugin in pulumi-language-python pulumi-resource-aws; do
  {
    echo "#!$cache/venv/bin/python"
    tail -n +2 "$repo/crates/guardrail/tests/pulumi/$plugin"
  } > "$bin/$plugin.tmp"
  chmod 755 "$bin/$plugin.tmp"
  mv "$bin/$plugin.tmp" "$bin/$plugin"
done
echo "$bin"
