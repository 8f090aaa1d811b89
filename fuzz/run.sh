#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer's coverage instrumentation on the stable toolchain (the
# flags `cargo fuzz build -s none` passes; no nightly and no cargo-fuzz needed) and runs them.
#
#   fuzz/run.sh seed                  copy seed inputs from ../shared/corpus and examples/
#   fuzz/run.sh build                 build every target
#   fuzz/run.sh run TARGET SECONDS    fuzz one target (corpus in fuzz/corpus/TARGET)
#   fuzz/run.sh smoke [SECONDS]       build, seed, and run every target briefly (default 5 s)
#   fuzz/run.sh targets               list the targets
#
# Crashes are written to fuzz/artifacts/TARGET/; a crash becomes a regression test in the normal
# test suite (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")"

host=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="target/$host/release"
targets() { sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^guardrail-fuzz$'; }

build() {
  # An explicit --target keeps the instrumentation off build scripts and proc macros.
  RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
    cargo build --release --locked --target "$host" --bins
}

# Seeds: small real inputs (at most 256 KiB each, so runs stay fast); copied, not committed.
seed() {
  local corpus=../../shared/corpus
  [ -d "$corpus" ] || corpus=../shared/corpus
  for t in $(targets); do mkdir -p "corpus/$t"; done
  copy() { # copy TARGET FILE...
    local t=$1; shift
    for f in "$@"; do
      [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 262144 ] &&
        cp "$f" "corpus/$t/$(echo "$f" | sed 's#^[./]*##; s#/#_#g')"
    done
    return 0
  }
  local plans states pulumi manifests
  plans=$(find ../examples "$corpus/terraform-plan" -name '*.json' 2>/dev/null | grep -i -v state | head -200 || true)
  states=$(find "$corpus/terraform-state" -name '*.json' -o -name '*.tfstate' 2>/dev/null | head -200 || true)
  pulumi=$(find ../examples "$corpus/pulumi-state" -name '*.json' 2>/dev/null | grep -i -E 'pulumi|stack|preview|events' | head -200 || true)
  manifests=$(find ../examples/kubernetes ../crates/guardrail-catalog/tests/realworld/kubernetes \( -name '*.yaml' -o -name '*.json' \) 2>/dev/null | head -100 || true)
  # The TOML examples of docs/config.md, one seed each.
  mkdir -p corpus/config
  awk '/^```toml/ { n++; f = sprintf("corpus/config/docs_config_%02d.toml", n); on = 1; next }
       /^```/ { on = 0 } on { print > f }' ../docs/config.md
  # shellcheck disable=SC2086
  {
    copy detect $plans $states $pulumi $manifests
    copy terraform_plan $plans
    copy terraform_state $states
    copy tfstate $states
    copy pulumi_stack $pulumi
    copy pulumi_preview $pulumi
    copy pulumi_events $pulumi
    copy config $(find .. -name 'guardrail.toml' -not -path '*/target/*' 2>/dev/null)
    copy pack_manifest $(find .. \( -name 'guardrail-pack.yaml' -o -name 'PulumiPolicy.yaml' \) -not -path '*/target/*' 2>/dev/null)
    copy rego_metadata $(find .. -name '*.rego' -not -path '*/target/*' 2>/dev/null)
    copy fixtures $(find .. \( -name '*.fixtures.yaml' -o -name '*.fixtures.json' \) -not -path '*/target/*' -not -path './corpus/*' 2>/dev/null | head -300)
  }
  # Every target starts with at least one seed, even where no file of its kind exists.
  for t in $(targets); do
    [ -n "$(ls -A "corpus/$t")" ] || printf '{}' > "corpus/$t/empty"
  done
}

run() { # run TARGET SECONDS [libFuzzer options...]
  local t=$1 secs=$2; shift 2
  mkdir -p "corpus/$t" "artifacts/$t"
  "$bin_dir/$t" "corpus/$t" -max_total_time="$secs" -max_len=262144 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="artifacts/$t/" -print_final_stats=1 "$@"
}

case "${1:-}" in
  build) build ;;
  seed) seed ;;
  targets) targets ;;
  run) shift; run "$@" ;;
  smoke)
    secs=${2:-5}
    build
    seed
    log=$(mktemp)
    for t in $(targets); do
      echo "== fuzz $t (${secs}s)"
      status=0
      run "$t" "$secs" >"$log" 2>&1 || status=$?
      grep -E '^#[0-9]+[[:space:]]+DONE|ERROR|panicked|SUMMARY' "$log" || true
      if [ "$status" -ne 0 ]; then
        tail -40 "$log"
        rm -f "$log"
        echo "fuzz target $t failed (exit $status): the input is in fuzz/artifacts/$t/"
        exit 1
      fi
    done
    rm -f "$log"
    ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
