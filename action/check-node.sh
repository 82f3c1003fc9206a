#!/usr/bin/env bash
# The action's first step: is there a Node.js writegate can run on (20.17 or newer)? If not, the
# next step sets up Node 22 with actions/setup-node; a Node the job already has is left alone.
# Also prints the key of the npm download cache for writegate's own dependencies.
set -euo pipefail
outputs=${GITHUB_OUTPUT:-/dev/stdout}
action_path=${GITHUB_ACTION_PATH:?check-node.sh runs inside the writegate action (GITHUB_ACTION_PATH is unset)}

setup=true
if command -v node >/dev/null 2>&1; then
  version=$(node --version)
  IFS=. read -r major minor _ <<< "${version#v}"
  if [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 17 ]; }; then
    setup=false
    echo "writegate: using node $version from PATH"
  else
    echo "writegate: node $version is older than 20.17; setting up Node 22 for this job"
  fi
  if [ "$major" -ge 27 ]; then
    echo "::warning title=writegate::node $version is newer than writegate is tested on (20.17 to 26); set up Node 24 or 26 with actions/setup-node before this step if anything misbehaves"
  fi
else
  echo "writegate: no node on PATH; setting up Node 22 for this job"
fi

if command -v sha256sum >/dev/null 2>&1; then
  lock=$(sha256sum "$action_path/package-lock.json")
else
  lock=$(shasum -a 256 "$action_path/package-lock.json")
fi
{
  echo "setup-node=$setup"
  echo "npm-cache-key=writegate-action-npm-$(uname -s)-$(uname -m)-${lock:0:16}"
} >> "$outputs"
