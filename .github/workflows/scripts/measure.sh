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

# Each run only measures (--no-verdict); one `writegate analyze` judges every round together. A base
# built before suite commands gave their own verdict has no such flag, and needs none. Asked once per build.
declare -A measure_only=()
measure_only_flag() {
  local help
  help=$(node "$1" "$suite" --help 2>/dev/null || true)
  if [[ $help == *--no-verdict* ]]; then echo --no-verdict; fi
}

run_arm() {
  local arm=$1 bin=$2 round=$3
  shift 3
  echo "measure: $suite $arm round $round/$rounds"
  if [ -z "${measure_only[$bin]+set}" ]; then measure_only[$bin]=$(measure_only_flag "$bin"); fi
  local flags=()
  if [ -n "${measure_only[$bin]}" ]; then flags+=("${measure_only[$bin]}"); fi
  node "$bin" "$suite" "$@" "${flags[@]}" --out "$out/$arm-r$round"
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
