#!/usr/bin/env bash
# `writegate compare` judged on writers whose truth is known, with the writegate a user installs, at
# --sizes 1KiB (durable and unchanged), each comparison stopping when its answer is known:
#   1. a per-op Python atomic writer against a copy slowed by +8 ms per write → regressed (≤ 3 min)
#   2. the writer against itself, TRIES times → never regressed; pass (decided) in ≤ 6 min in ≥ 90%
#   3. a copy 20% slower (a sleep of 20% of the writer's own p50), TRIES times → regressed in ≥ 95%
#      within 6 min
# Each line reports the verdict, the exit code, the rounds, the time to the verdict and the load average
# before and after; the end gives the distribution of the times.
# Usage: test/scripts/compare-acceptance.sh [TRIES] (default 1); WRITEGATE="node dist/cli/bin.js" picks
# the writegate to run (default: the one npx finds in the current directory's node_modules); PYTHON the
# interpreter (default /usr/bin/python3: a version manager's shim starts slower than the writer).
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

python=${PYTHON:-/usr/bin/python3}
writer() { echo "w=$python $work/writer.py {source} {target} $1"; }
load() { cut -d' ' -f1 /proc/loadavg; }
compare() { # compare DELAY_MS OUT [extra args…]: prints "verdict exit rounds seconds load-before load-after"
  local delay=$1 out=$2; shift 2
  local before; before=$(load)
  set +e
  "${writegate[@]}" compare --base "$(writer 0)" --head "$(writer "$delay")" --sizes 1KiB --out "$out" --json "$@" >"$out.json" 2>"$out.log"
  local status=$?
  set -e
  node -e 'let j = {}; try { j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")) } catch {} ; console.log([j.verdict ?? "none", process.argv[2], j.rounds ?? "-", j.seconds ?? "-", process.argv[3], process.argv[4]].join(" "))' "$out.json" "$status" "$before" "$(load)"
}

failures=0
check() { # check WHAT CONDITION-TEXT OK(0/1)
  if [ "$3" -eq 1 ]; then echo "ok   $1: $2"; else echo "FAIL $1: $2"; failures=$((failures + 1)); fi
}
times() { # the distribution of the 4th field (seconds) of the lines on stdin
  node -e 'const s = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => Number(l.split(" ")[3])).filter(Number.isFinite).sort((a, b) => a - b); const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]; console.log(s.length ? `min ${s[0]} s, median ${q(0.5)} s, p90 ${q(0.9)} s, max ${s[s.length - 1]} s` : "none")'
}

got=$(compare 8 "$work/slowed")
echo "     +8 ms per write: $got"
read -r verdict status _ seconds _ <<<"$got"
check "+8 ms per write" "$verdict (exit $status) in $seconds s" "$([ "$verdict" = regressed ] && [ "$status" = 1 ] && awk "BEGIN{exit !($seconds <= 180)}" && echo 1 || echo 0)"

: >"$work/same.txt"
for i in $(seq 1 "$tries"); do
  got=$(compare 0 "$work/same-$i")
  echo "     self against self, try $i: $got"
  echo "$got" >>"$work/same.txt"
done
regressed=$(grep -c '^regressed' "$work/same.txt" || true)
passed=$(awk '$1 == "pass" && $4 <= 360' "$work/same.txt" | wc -l)
check "self against self, never regressed" "$regressed of $tries regressed" "$([ "$regressed" -eq 0 ] && echo 1 || echo 0)"
check "self against self, pass within 6 min" "$passed of $tries ($(times <"$work/same.txt"))" "$([ $((passed * 10)) -ge $((tries * 9)) ] && echo 1 || echo 0)"

# 20% of the writer's own median, measured by the first comparison's base.
p50=$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const row = j.sections.trend.baseline.find((f) => f.label.endsWith("p50")); console.log(row.reference)' "$work/slowed.json")
delay=$(node -e 'console.log((Number(process.argv[1]) * 0.2).toFixed(2))' "$p50")
: >"$work/slower.txt"
for i in $(seq 1 "$tries"); do
  got=$(compare "$delay" "$work/slower-$i")
  echo "     20% slower (+$delay ms of $p50 ms), try $i: $got"
  echo "$got" >>"$work/slower.txt"
done
caught=$(awk '$1 == "regressed" && $4 <= 360' "$work/slower.txt" | wc -l)
check "20% slower, regressed within 6 min" "$caught of $tries ($(times <"$work/slower.txt"))" "$([ $((caught * 20)) -ge $((tries * 19)) ] && echo 1 || echo 0)"
if [ "$failures" -ne 0 ]; then
  trap - EXIT
  echo "compare-acceptance: $failures check(s) failed; the runs are kept in $work"
  exit 1
fi
