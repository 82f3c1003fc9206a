#!/usr/bin/env bash
# The action's install step: strace where the command needs it (only when absent), then writegate
# built from the action's own checkout, since dist/ is not committed. A second use of the action in
# one job finds its build and skips this.
set -euo pipefail
action_path=${GITHUB_ACTION_PATH:?install.sh runs inside the writegate action (GITHUB_ACTION_PATH is unset)}
command=${WG_COMMAND:-gate}

# parity and hook run git and the hook, not strace; the writer suites trace every write.
case "$command" in
  gate | compare | bench | crash)
    if ! command -v strace >/dev/null 2>&1; then
      if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null 2>&1; then
        sudo=()
        if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
        echo "writegate: installing strace"
        if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace; }; then
          echo "::warning title=writegate::could not install strace; writegate will say what it cannot run without it"
        fi
      else
        echo "::warning title=writegate::strace is not installed and this runner has no apt-get; $command needs it (writegate runs on Linux)"
      fi
    fi
    ;;
esac

cd "$action_path"
# What the build depends on: the Node that compiles it, the lock file and every TypeScript source.
sources=$(find . \( -path ./node_modules -o -path ./dist -o -path ./.git \) -prune -o -type f \( -name '*.ts' -o -name 'tsconfig*.json' \) -print0 |
  LC_ALL=C sort -z | xargs -0 cat package-lock.json | cksum)
key="node $(node --version); ${sources}"
stamp=dist/.writegate-action-build
if [ -f dist/cli/bin.js ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  echo "writegate: already built in this job ($(node dist/cli/bin.js --version))"
  exit 0
fi
# Install scripts are skipped: writegate's dependencies are plain JavaScript, and the build is tsc.
npm ci --include=dev --ignore-scripts --no-audit --no-fund --prefer-offline
npm run build
printf '%s\n' "$key" > "$stamp"
echo "writegate: built $(node dist/cli/bin.js --version) with node $(node --version)"
