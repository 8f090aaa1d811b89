#!/usr/bin/env bash
# The measurements bench/run.sh does not make (BENCHMARKS.md, run F). Expects the release
# binaries (`cargo build --release -p guardrail -p guardrail-bench`).
#
#   bench/compare.sh aws BEFORE [--sizes 1k,10k,100k] [--runs 5]
#       `guardrail check plan.json --select all` on the AWS benchmark plans: the guardrail binary
#       BEFORE (another build, e.g. of an older commit) and this tree's, interleaved
#   bench/compare.sh gcp-k8s [--runs 3] [--checkov PATH]
#       the 10k Google Cloud plan and the 10k Kubernetes manifest set: guardrail (every run) and
#       Checkov (once) in the same run
#
# Every run is timed with /usr/bin/time (wall, user + sys CPU, peak RSS); guardrail's violation
# counts are compared with the generator's expected counts (a mismatch makes the exit status 1).
# Raw samples go to .bench/results/compare-<mode>.tsv; medians and ratios are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: bench/compare.sh aws BEFORE | gcp-k8s}
shift
before=""
if [ "$mode" = aws ]; then
  before=$(realpath "${1:?bench/compare.sh aws BEFORE: the guardrail binary to compare with}")
  shift
fi
sizes=1k,10k,100k
runs=5
checkov=.bench/venv/bin/checkov
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --checkov) checkov=$2; shift 2 ;;
    *) echo "unknown option \`$1\`" >&2; exit 2 ;;
  esac
done

bin=target/release
mkdir -p .bench/results
tsv=.bench/results/compare-$mode.tsv
printf 'set\trun\ttool\twall_s\tcpu_s\trss_mb\tcounts\n' >"$tsv"
status=0

# timed SET RUN TOOL OUT COMMAND... : runs COMMAND with stdout to OUT and appends a sample.
timed() {
  local set=$1 run=$2 tool=$3 out=$4
  shift 4
  /usr/bin/time -f '%e %U %S %M' -o .bench/results/time.txt "$@" >"$out" 2>.bench/results/stderr.txt || true
  read -r wall user sys rss < <(tail -n 1 .bench/results/time.txt)
  sample=$(printf '%s\t%s\t%s\t%s\t%.2f\t%d' "$set" "$run" "$tool" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)))
}

# check EXPECTED REPORT : "exact" or the differing rules; counts guardrail's violations per rule.
check() {
  "$bin/guardrail-bench" count guardrail "$2" | python3 -c '
import json, sys
expected = json.load(open(sys.argv[1]))["rules"]
found = json.load(sys.stdin)
bad = []
for rule, want in expected.items():
    want = want["count"] if isinstance(want, dict) else want
    if found.get(rule, 0) != want:
        bad.append(f"{rule} {found.get(rule, 0)} != {want}")
print("; ".join(bad) or "exact")' "$1"
}

# record COUNTS [checked]: appends the last sample; a checked count other than "exact" fails.
record() {
  printf '%s\t%s\n' "$sample" "$1" | tee -a "$tsv"
  if [ "${2-}" = checked ] && [ "$1" != exact ]; then status=1; fi
}

if [ "$mode" = aws ]; then
  for size in ${sizes//,/ }; do
    n=${size,,}
    n=${n/k/000}
    n=${n/m/000000}
    dir=.bench/data/$n
    if [ ! -f "$dir/plan.expected.json" ]; then
      "$bin/guardrail-bench" gen --resources "$size" --seed 1 --out "$dir" >/dev/null
    fi
    for run in $(seq "$runs"); do
      for tool in before after; do
        exe=$bin/guardrail
        [ $tool = before ] && exe=$before
        timed "$size" "$run" "$tool" /dev/null "$exe" check "$dir/plan.json" --select all \
          --format json -o "$dir/out-$tool.json"
        record "$(check "$dir/plan.expected.json" "$dir/out-$tool.json")" checked
      done
    done
  done
elif [ "$mode" = gcp-k8s ]; then
  gcp=.bench/gcp/10000
  k8s=.bench/k8s/10000
  [ -f "$gcp/gcp-plan.expected.json" ] || "$bin/guardrail-bench" gen-gcp --resources 10k --out "$gcp" >/dev/null
  [ -f "$k8s/manifests.expected.json" ] || "$bin/guardrail-bench" gen-k8s --objects 10k --out "$k8s" >/dev/null
  for run in $(seq "$runs"); do
    timed gcp-10k "$run" guardrail /dev/null "$bin/guardrail" check "$gcp/gcp-plan.json" \
      --select all --format json -o "$gcp/guardrail.json"
    record "$(check "$gcp/gcp-plan.expected.json" "$gcp/guardrail.json")" checked
    timed k8s-10k "$run" guardrail /dev/null "$bin/guardrail" check "$k8s/manifests.yaml" \
      --select all --format json -o "$k8s/guardrail.json"
    record "$(check "$k8s/manifests.expected.json" "$k8s/guardrail.json")" checked
  done
  # Checkov once per set: minutes each. Its failed checks per check id, for the table.
  timed gcp-10k 1 checkov "$gcp/checkov.json" "$checkov" -f "$gcp/gcp-plan.json" \
    --framework terraform_plan --quiet --compact -o json
  record "$("$bin/guardrail-bench" count checkov "$gcp/checkov.json" | tr -d '\n ')"
  timed k8s-10k 1 checkov "$k8s/checkov.json" "$checkov" -f "$k8s/manifests.yaml" \
    --framework kubernetes --quiet --compact -o json
  record "$("$bin/guardrail-bench" count checkov "$k8s/checkov.json" | tr -d '\n ')"
else
  echo "unknown mode \`$mode\`: aws or gcp-k8s" >&2
  exit 2
fi

python3 - "$tsv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
sets = dict.fromkeys(r["set"] for r in rows)
for s in sets:
    by = {}
    for r in rows:
        if r["set"] == s:
            by.setdefault(r["tool"], []).append(r)
    for tool, rs in by.items():
        med = lambda k: statistics.median(float(r[k]) for r in rs)
        print(f"{s}\t{tool}\truns {len(rs)}\twall {med('wall_s'):.3f} s\tcpu {med('cpu_s'):.2f} s\trss {med('rss_mb'):.0f} MB")
    if "before" in by and "after" in by:
        for k in ("wall_s", "cpu_s"):
            pairs = [float(a[k]) / float(b[k]) for a, b in zip(by["after"], by["before"]) if float(b[k]) > 0]
            if pairs:
                print(f"{s}\tafter / before {k} (paired, median)\t{statistics.median(pairs):.3f}")
EOF
exit $status
