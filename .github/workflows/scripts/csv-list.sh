#!/usr/bin/env bash
# Prints the results CSVs of one arm under DIR (any depth), comma-separated, in a stable order:
# what `writegate analyze --baseline` takes.
# usage: csv-list.sh DIR ARM
set -euo pipefail
dir=${1:?usage: csv-list.sh DIR ARM}
arm=${2:?arm}
find "$dir" -path "*/$arm-r*/results_raw.csv" -type f | LC_ALL=C sort | paste -sd, -
