#!/usr/bin/env bash
# Runs guardrail's benchmark: builds the release binaries, installs Checkov and OPA into
# .bench/venv (gitignored), generates plans under .bench/data and times every tool.
#
#   bench/run.sh                         1k, 10k and 100k resources, 3 runs each
#   bench/run.sh --sizes 1k,10k,100k,1M --runs 3
#   bench/run.sh --skip checkov,opa      leave tools out
#
# Results: .bench/results/<sizes>.md and .json. Exit status 1 when a tool fails or a violation
# count differs from the generator's expected counts.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p guardrail -p guardrail-bench

venv=.bench/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ ! -x "$venv/bin/checkov" ]; then
  "$venv/bin/pip" install --quiet checkov
fi
if ! "$venv/bin/python" -c 'import opa_bindings' 2>/dev/null; then
  # The wheel ships OPA's Go engine as a shared library; it is tagged for Python 3.14 but the
  # bindings are plain ctypes, so any Python 3 loads them.
  mkdir -p .bench/wheels
  "$venv/bin/pip" download --quiet --only-binary=:all: --python-version 3.14 \
    --platform manylinux_2_34_x86_64 --no-deps -d .bench/wheels opa-golib-python-bindings
  "$venv/bin/pip" install --quiet --ignore-requires-python .bench/wheels/opa_golib_python_bindings-*.whl
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(lscpu | sed -n 's/^Model name: *//p')"
exec target/release/guardrail-bench run "$@"
