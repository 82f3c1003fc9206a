#!/usr/bin/env bash
# Restores the trend history into DIR: from the results branch when one is configured, else from the
# newest earlier run of this workflow that uploaded a writegate-history-* artifact. No history yet is
# fine: the analyzer starts one (trend verdicts begin after five runs).
# usage: fetch-history.sh DIR [RESULTS_BRANCH]
set -euo pipefail
dest=${1:?usage: fetch-history.sh DIR [RESULTS_BRANCH]}
branch=${2-}
mkdir -p "$dest"

if [ -n "$branch" ] && git fetch --depth=1 origin "$branch" 2>/dev/null; then
  if git archive FETCH_HEAD history 2>/dev/null | tar -x -C "$dest" --strip-components=1; then
    echo "history: restored from branch $branch"
    exit 0
  fi
fi

workflow=${WORKFLOW_FILE:-nightly.yml}
ids=$(gh run list --workflow "$workflow" --branch "${GITHUB_REF_NAME:-main}" --limit 20 --json databaseId,status \
  --jq '.[] | select(.status == "completed") | .databaseId' || true)
for id in $ids; do
  [ "$id" = "${GITHUB_RUN_ID:-}" ] && continue
  tmp=$(mktemp -d)
  if gh run download "$id" --pattern 'writegate-history-*' --dir "$tmp" >/dev/null 2>&1; then
    # A pattern download puts each artifact in a folder of its own name.
    src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    if [ -n "$src" ]; then
      cp -R "$src"/. "$dest"/
      echo "history: restored from run $id"
      exit 0
    fi
  fi
done
echo "history: none found; starting a new one"
