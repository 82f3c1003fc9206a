#!/usr/bin/env bash
# `writegate compare` judged on writers whose truth is known, with the writegate a user installs:
#   1. a Python atomic writer against a copy of it slowed by +8 ms per write  → regressed, exit 1
#   2. the writer against itself, TRIES times                                 → never regressed
#   3. a copy slowed by +38% (of the writer's own p50) with too few rounds    → inconclusive, exit 1
#      (regressed is accepted too: a slowdown that clear can show even in the unpaired test)
# Usage: test/scripts/compare-acceptance.sh [TRIES] (default 1); WRITEGATE="node dist/cli/bin.js" picks
# the writegate to run (default: the one npx finds in the current directory's node_modules); PYTHON the
# interpreter (default: the one python3 runs, not a version manager's shim, whose own start is slower
# than the writer).
set -euo pipefail
tries=${1:-1}
read -r -a writegate <<<"${WRITEGATE:-npx --no-install writegate}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/writer.py" <<'PY'
import os, sys, tempfile, time
def main(source, target, delay_ms):
    time.sleep(delay_ms / 1000)
    data = open(source, "rb").read()
    directory = os.path.dirname(os.path.abspath(target))
    fd, temp = tempfile.mkstemp(prefix=".w.", dir=directory)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(temp, target)
    dir_fd = os.open(directory, os.O_RDONLY)
    os.fsync(dir_fd)
    os.close(dir_fd)
main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0)
PY

python=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
writer() { echo "w=$python $work/writer.py {source} {target} $1"; }
compare() { # compare DELAY_MS OUT [extra args…]: prints "verdict exit"
  local delay=$1 out=$2; shift 2
  set +e
  "${writegate[@]}" compare --base "$(writer 0)" --head "$(writer "$delay")" --sizes 1KiB --modes durable --out "$out" --json "$@" >"$out.json" 2>"$out.log"
  local status=$?
  set -e
  local verdict
  verdict=$(node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).verdict) } catch { console.log("none") }' "$out.json")
  echo "$verdict $status"
}

failures=0
expect() { # expect WHAT GOT WANTED…
  local what=$1 got=$2; shift 2
  for wanted in "$@"; do [ "$got" = "$wanted" ] && { echo "ok   $what: $got"; return; }; done
  echo "FAIL $what: $got (wanted: $*)"; failures=$((failures + 1))
}

expect "+8 ms per write" "$(compare 8 "$work/slowed")" "regressed 1"
regressed=0
for i in $(seq 1 "$tries"); do
  got=$(compare 0 "$work/same-$i")
  echo "     self against self, try $i: $got"
  case $got in regressed*) regressed=$((regressed + 1)) ;; esac
done
expect "self against self, regressed in $tries tries" "$regressed" 0
# +38% of the writer's own median, measured by the first comparison's base.
p50=$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const row = j.sections.trend.baseline.find((f) => f.label.endsWith("p50")); console.log(row.reference)' "$work/slowed.json")
delay=$(node -e 'console.log((Number(process.argv[1]) * 0.38).toFixed(2))' "$p50")
expect "+38% (+$delay ms) with --rounds 2" "$(compare "$delay" "$work/few" --rounds 2)" "inconclusive 1" "regressed 1"
if [ "$failures" -ne 0 ]; then
  trap - EXIT
  echo "compare-acceptance: $failures check(s) failed; the runs are kept in $work"
  exit 1
fi
