#!/usr/bin/env bash
# Checks out and builds the base commit next to the head checkout, for a base-vs-head comparison on
# one runner. Prints available=true|false to $GITHUB_OUTPUT (or stdout): a base that predates
# writegate's bench, or fails to build, is no error — the job then gates head on its own and says so.
# usage: checkout-base.sh BASE_SHA DIR
set -euo pipefail
sha=${1:-}
dir=${2:?usage: checkout-base.sh BASE_SHA DIR}
out=${GITHUB_OUTPUT:-/dev/stdout}

if [ -z "$sha" ] || [ "$sha" = "0000000000000000000000000000000000000000" ] || ! git cat-file -e "${sha}^{commit}" 2>/dev/null; then
  echo "base: no base commit (${sha:-none}); head is gated on its own"
  echo "available=false" >> "$out"
  exit 0
fi
git worktree add --detach "$dir" "$sha"
if (cd "$dir" && npm ci --no-audit --no-fund && npm run build && node dist/cli/bin.js bench --help >/dev/null 2>&1); then
  echo "base: $sha built in $dir"
  echo "available=true" >> "$out"
else
  echo "::warning title=writegate base::base commit $sha has no buildable writegate bench; head is gated on its own"
  echo "available=false" >> "$out"
fi
