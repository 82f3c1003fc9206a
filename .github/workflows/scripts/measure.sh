#!/usr/bin/env bash
# Runs one writegate suite for head, and for base when a base checkout is given, in interleaved
# rounds on this runner: round 1 base then head, round 2 head then base, and so on (ABBA), so both
# commits see the same neighbours, caches and disk. Each run writes OUT/<arm>-r<N>/results_raw.csv.
# usage: measure.sh OUT ROUNDS BASE_DIR|"" SUITE [suite options...]
set -euo pipefail
out=${1:?usage: measure.sh OUT ROUNDS BASE_DIR SUITE [options...]}
rounds=${2:?rounds}
base_dir=${3-}
suite=${4:?suite}
shift 4

run_arm() {
  local arm=$1 bin=$2 round=$3
  shift 3
  echo "measure: $suite $arm round $round/$rounds"
  node "$bin" "$suite" "$@" --out "$out/$arm-r$round"
}

mkdir -p "$out"
for ((round = 1; round <= rounds; round++)); do
  if [ -z "$base_dir" ]; then
    run_arm head dist/cli/bin.js "$round" "$@"
  elif ((round % 2 == 1)); then
    run_arm base "$base_dir/dist/cli/bin.js" "$round" "$@"
    run_arm head dist/cli/bin.js "$round" "$@"
  else
    run_arm head dist/cli/bin.js "$round" "$@"
    run_arm base "$base_dir/dist/cli/bin.js" "$round" "$@"
  fi
done
